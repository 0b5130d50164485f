#include "params/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace govsim {

const char* type_name(ParamType t) {
  switch (t) {
    case ParamType::kInt: return "int";
    case ParamType::kReal: return "real";
    case ParamType::kBool: return "bool";
    case ParamType::kString: return "string";
  }
  return "?";
}

std::int64_t parse_int(const std::string& s) {
  std::int64_t v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || s.empty()) throw std::invalid_argument("expected an integer");
  return v;
}

double parse_real(const std::string& s) {
  double v = 0.0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || s.empty() || !std::isfinite(v))
    throw std::invalid_argument("expected a finite number");
  return v;
}

bool parse_bool(const std::string& s) {
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  throw std::invalid_argument("expected true or false");
}

std::string format_real(double v) {
  char buf[64];
  // Shortest text that reads back to the same double.
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, p);
}

ParamSpec& ParamRegistry::push(const std::string& section, const std::string& name, ParamType type,
                               double min, double max, const char* unit, const char* source,
                               const char* help) {
  ParamSpec s;
  s.key = section + "." + name;
  if (index_.count(s.key)) throw std::logic_error("parameter declared twice: " + s.key);
  s.type = type;
  s.min = min;
  s.max = max;
  s.unit = unit;
  s.source = source;
  s.help = help;
  index_[s.key] = specs_.size();
  specs_.push_back(std::move(s));
  return specs_.back();
}

void ParamRegistry::add(const std::string& section, const std::string& name, std::int64_t* field,
                        std::int64_t def, double min, double max, const char* unit, const char* source,
                        const char* help) {
  auto& s = push(section, name, ParamType::kInt, min, max, unit, source, help);
  *field = def;
  s.default_text = std::to_string(def);
  s.set = [field](const std::string& t) { *field = parse_int(t); };
  s.get = [field] { return std::to_string(*field); };
  s.get_number = [field] { return static_cast<double>(*field); };
}

void ParamRegistry::add(const std::string& section, const std::string& name, double* field, double def,
                        double min, double max, const char* unit, const char* source, const char* help) {
  auto& s = push(section, name, ParamType::kReal, min, max, unit, source, help);
  *field = def;
  s.default_text = format_real(def);
  s.set = [field](const std::string& t) { *field = parse_real(t); };
  s.get = [field] { return format_real(*field); };
  s.get_number = [field] { return *field; };
}

void ParamRegistry::add(const std::string& section, const std::string& name, bool* field, bool def,
                        double min, double max, const char* unit, const char* source, const char* help) {
  auto& s = push(section, name, ParamType::kBool, min, max, unit, source, help);
  *field = def;
  s.default_text = def ? "true" : "false";
  s.set = [field](const std::string& t) { *field = parse_bool(t); };
  s.get = [field] { return std::string(*field ? "true" : "false"); };
  s.get_number = [field] { return *field ? 1.0 : 0.0; };
}

void ParamRegistry::add(const std::string& section, const std::string& name, std::string* field,
                        const char* def, double min, double max, const char* unit, const char* source,
                        const char* help) {
  auto& s = push(section, name, ParamType::kString, min, max, unit, source, help);
  *field = def;
  s.default_text = def;
  s.set = [field](const std::string& t) { *field = t; };
  s.get = [field] { return *field; };
}

const ParamSpec* ParamRegistry::find(const std::string& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &specs_[it->second];
}

void ParamRegistry::restrict(const std::string& key, std::vector<std::string> choices) {
  specs_.at(index_.at(key)).choices = std::move(choices);
}

namespace {

// Edit distance (insertions, deletions, substitutions), for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string name_part(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

}  // namespace

std::string ParamRegistry::unknown_key_text(const std::string& key) const {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 5) + 1;  // farther is no suggestion
  for (const auto& spec : specs_) {
    // The right name in another section counts as one edit.
    const std::size_t d = std::min(edit_distance(key, spec.key), name_part(key) == name_part(spec.key) ? 1 : key.size());
    if (d < best_distance) {
      best_distance = d;
      best = spec.key;
    }
  }
  return "unknown key '" + key + "' (" + (best.empty() ? "" : "did you mean '" + best + "'? ") +
         "govsim describe lists the known keys)";
}

void ParamRegistry::set(const std::string& key, const std::string& value, const std::string& where) {
  const ParamSpec* s = find(key);
  if (!s) throw InputError(where + ": " + unknown_key_text(key));
  try {
    s->set(value);
  } catch (const std::invalid_argument& e) {
    throw InputError(where + ": key '" + key + "': " + e.what() + " (" + type_name(s->type) + "), got '" +
                     value + "'");
  }
  if (!s->choices.empty() && std::find(s->choices.begin(), s->choices.end(), value) == s->choices.end()) {
    std::string list;
    for (const auto& c : s->choices) list += (list.empty() ? "" : ", ") + c;
    throw InputError(where + ": key '" + key + "': '" + value + "' is not one of " + list);
  }
  if (s->type == ParamType::kInt || s->type == ParamType::kReal) {
    const double v = s->get_number();
    if (v < s->min || v > s->max) {
      throw InputError(where + ": key '" + key + "': value " + value + " is out of range [" +
                       format_real(s->min) + ", " + format_real(s->max) + "]");
    }
  }
}

std::string ParamRegistry::to_ini() const {
  std::ostringstream out;
  std::string section;
  for (const auto& s : specs_) {
    const auto dot = s.key.find('.');
    const std::string sec = s.key.substr(0, dot);
    if (sec != section) {
      out << (section.empty() ? "" : "\n") << "[" << sec << "]\n";
      section = sec;
    }
    out << s.key.substr(dot + 1) << " = " << s.get() << "\n";
  }
  return out.str();
}

}  // namespace govsim
