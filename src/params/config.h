// A resolved configuration: the core parameters, every mechanism's parameter block, and the registry that
// binds them to INI keys and command-line options.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "params/params.h"
#include "params/registry.h"
#include "util/text.h"  // trim, split_list

namespace govsim {

class Config {
 public:
  Config();  // every parameter at its default
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  Params params;
  ParamRegistry& registry() { return registry_; }
  const ParamRegistry& registry() const { return registry_; }

  // A mechanism's parameter block, created on first use (by its declare function).
  template <class T>
  T& block(const std::string& name) {
    auto& p = blocks_[name];
    if (!p) p = std::make_shared<T>();
    return *static_cast<T*>(p.get());
  }
  template <class T>
  const T& block(const std::string& name) const {
    return *static_cast<const T*>(blocks_.at(name).get());
  }

  // Mechanism names from run.mechanisms, validated against the factory.
  std::vector<std::string> mechanism_names() const;

  // Reads an INI scenario (Boost.Program_options), then `key=value` overrides. A scenario may start with
  // `include = other.ini` (relative to itself): the other file is read first and this one's keys win. Throws InputError with
  // "file:line: key '...': ..." on any bad input; nothing is applied partially that a caller could use.
  void load(const std::string& ini_path, const std::vector<std::string>& overrides);
  void apply_overrides(const std::vector<std::string>& overrides);
  // Sets one parameter and remembers `where` it came from, so that validate() names that line.
  void set(const std::string& key, const std::string& value, const std::string& where);
  void validate() const;  // cross-parameter checks and mechanism names

  std::string source_file() const { return source_file_; }

  // Arms of a comparison: the [arms] section, one line per arm, `name = key=value; key=value`. Each arm is
  // the scenario with its overrides applied after the command line's (a scenario without [arms] is one arm).
  struct Arm {
    std::string name;
    std::vector<std::string> overrides;
    int line = 0;
    std::string where;  // file:line
  };
  const std::vector<Arm>& arms() const { return arms_; }
  // Extra paired contrasts for the table: the [contrasts] section, `name = arm_a, arm_b` (a minus b).
  struct Contrast {
    std::string name, a, b;
    int line = 0;
    std::string where;
  };
  const std::vector<Contrast>& contrasts() const { return contrasts_; }
  // Validation checks: the [checks] section, `name = METRIC: arm_a > arm_b` etc. (experiment/validation.h).
  struct CheckText {
    std::string name, text;
    int line = 0;
    std::string where;
  };
  const std::vector<CheckText>& checks() const { return checks_; }
  // Lines of the sections an experiment reads ([experiment], [vary]), kept as text in file order (an
  // included file's lines first); plain parameter loading ignores them.
  struct SectionLine {
    std::string name, value;
    int line = 0;
    std::string file;   // the file the line is in
    std::string where;  // file:line
  };
  const std::vector<SectionLine>& section_lines(const std::string& section) const;
  // Whether any file read had this section header (even with no lines under it).
  bool has_section(const std::string& section) const { return sections_.count(section) > 0; }
  // Applies an arm's overrides (errors name the arm's line) and sets run.name to the arm's name.
  void apply_arm(const Arm& arm);

 private:
  ParamRegistry registry_;
  std::map<std::string, std::shared_ptr<void>> blocks_;
  void scan(const std::string& path, int depth);  // reads a file (and its includes) into the maps below
  std::map<std::string, std::string> key_lines_;  // key -> "file:line" where it was last given
  std::map<std::string, std::string> values_;
  std::vector<Arm> arms_;
  std::vector<Contrast> contrasts_;
  std::vector<CheckText> checks_;
  std::map<std::string, std::vector<SectionLine>> section_lines_;
  std::set<std::string> sections_;
  std::string source_file_;
};

}  // namespace govsim
