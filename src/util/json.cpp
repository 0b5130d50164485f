#include "util/json.h"

#include <charconv>
#include <cmath>

namespace govsim {

namespace {

void write(std::string& out, const Json& j, const JsonStyle& st, int depth) {
  const bool container = j.is_object() || j.is_array();
  if (!container) {
    if (j.is_number_float()) {
      const double v = j.get<double>();
      if (!std::isfinite(v)) {
        out += "null";
        return;
      }
      char buf[64];
      const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
      (void)ec;
      out.append(buf, end);
      return;
    }
    out += j.dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  const bool object = j.is_object();
  if (j.empty()) {
    out += object ? "{}" : "[]";
    return;
  }
  const bool lines = st.indent >= 0 && (st.one_line_from < 0 || depth < st.one_line_from);
  const std::string item_sep = lines ? "," : st.spaces ? ", " : ",";
  const std::string key_sep = lines || st.spaces ? ": " : ":";
  const std::string pad =
      lines ? "\n" + std::string(static_cast<std::size_t>(st.indent * (depth + 1)), ' ') : "";
  out += object ? '{' : '[';
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    out += first ? "" : item_sep;
    out += pad;
    first = false;
    if (object) {
      out += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
      out += key_sep;
    }
    write(out, *it, st, depth + 1);
  }
  if (lines) out += "\n" + std::string(static_cast<std::size_t>(st.indent * depth), ' ');
  out += object ? '}' : ']';
}

}  // namespace

std::string json_text(const Json& j, const JsonStyle& style) {
  std::string out;
  write(out, j, style, 0);
  return out;
}

}  // namespace govsim
