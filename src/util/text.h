// Text helpers for every layer (src/util includes nothing from the rest of src/).
#pragma once

#include <string>
#include <vector>

namespace govsim {

// `s` without leading and trailing spaces, tabs and carriage returns.
std::string trim(const std::string& s);

// `s` split at `sep`, each item trimmed; empty items are dropped ("a, ,b" gives a and b).
std::vector<std::string> split_list(const std::string& s, char sep = ',');

// Where `s` stops being UTF-8 text: the offset of its first byte that is not part of a well-formed UTF-8
// sequence (overlong forms, surrogates and code points past U+10FFFF included) or is a NUL byte; npos if
// it is all text. Output files store text as UTF-8, which readers (h5py, xarray) decode.
std::size_t text_error_at(const std::string& s);

// "" if `s` is UTF-8 text without NUL bytes, else why not ("byte 0xE9 at column 12 is not UTF-8").
std::string text_problem(const std::string& s);

}  // namespace govsim
