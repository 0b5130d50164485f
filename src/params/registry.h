// Parameter declarations: name, type, default, range, unit and source in one place. The registry drives
// Program_options, `govsim describe`, range validation and the provenance written to HDF5.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace govsim {

// Bad user input: the message is one line naming the file, line and key. Exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ParamType { kInt, kReal, kBool, kString };
const char* type_name(ParamType t);

struct ParamSpec {
  std::string key;  // "section.name"
  ParamType type;
  std::string default_text;
  double min = 0.0;
  double max = 0.0;
  std::string unit;
  std::string source;  // a seed figure, or "assumption"
  std::string help;
  std::function<void(const std::string&)> set;  // parses and stores; throws std::invalid_argument
  std::function<std::string()> get;             // current value as text
  std::function<double()> get_number;           // for range checks (int, real, bool)
  std::vector<std::string> choices;             // for a string: the allowed values (empty: any)
};

class ParamRegistry {
 public:
  void add(const std::string& section, const std::string& name, std::int64_t* field, std::int64_t def,
           double min, double max, const char* unit, const char* source, const char* help);
  void add(const std::string& section, const std::string& name, double* field, double def, double min,
           double max, const char* unit, const char* source, const char* help);
  void add(const std::string& section, const std::string& name, bool* field, bool def, double min,
           double max, const char* unit, const char* source, const char* help);
  void add(const std::string& section, const std::string& name, std::string* field, const char* def,
           double min, double max, const char* unit, const char* source, const char* help);

  const std::vector<ParamSpec>& specs() const { return specs_; }
  const ParamSpec* find(const std::string& key) const;
  // Restricts a string parameter to the given values.
  void restrict(const std::string& key, std::vector<std::string> choices);

  // Sets one value given as text; `where` is "file:line" or "command line" for the error message.
  void set(const std::string& key, const std::string& value, const std::string& where);

  // "unknown key 'KEY' (...)" for an error message: with the known key `key` was most likely meant to be
  // (a typo, or the right name in another section), if there is one.
  std::string unknown_key_text(const std::string& key) const;

  // The fully resolved configuration as INI text, one section per prefix, in declaration order.
  std::string to_ini() const;

 private:
  ParamSpec& push(const std::string& section, const std::string& name, ParamType type, double min, double max,
                  const char* unit, const char* source, const char* help);
  std::vector<ParamSpec> specs_;
  std::map<std::string, std::size_t> index_;
};

// Text <-> value conversions shared by the registry and the CLI (strict: "1.5" is not an int).
std::int64_t parse_int(const std::string& s);
double parse_real(const std::string& s);
bool parse_bool(const std::string& s);
std::string format_real(double v);

}  // namespace govsim
