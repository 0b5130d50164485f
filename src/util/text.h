// Text helpers for every layer (src/util includes nothing from the rest of src/).
#pragma once

#include <string>
#include <vector>

namespace govsim {

// `s` without leading and trailing spaces, tabs and carriage returns.
std::string trim(const std::string& s);

// `s` split at `sep`, each item trimmed; empty items are dropped ("a, ,b" gives a and b).
std::vector<std::string> split_list(const std::string& s, char sep = ',');

}  // namespace govsim
