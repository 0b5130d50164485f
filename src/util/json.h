// JSON documents: built as nlohmann::ordered_json values (keys stay in insertion order) and written by
// json_text(), which escapes every string (nlohmann's escaping; invalid UTF-8 becomes U+FFFD), writes NaN and
// infinities as null, and reals in their shortest round-trip form, as govsim writes reals everywhere else
// (std::to_chars: 2, 0.25, 1e-05).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace govsim {

using Json = nlohmann::ordered_json;

// Layout of json_text()'s output. By default one line, without spaces (as nlohmann's dump()).
struct JsonStyle {
  int indent = -1;         // spaces per level of nesting; -1: the whole document on one line
  int one_line_from = -1;  // values nested this deep or deeper are written on one line (-1: none)
  bool spaces = false;     // ", " and ": " between items on one line (else "," and ":")
};

std::string json_text(const Json& j, const JsonStyle& style = {});

}  // namespace govsim
