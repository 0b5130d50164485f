// Scenarios: a resolved configuration as a value, and what a scenario file holds. A Scenario binds the core
// parameters (params/params.h) and every mechanism's block (mechanisms/factory.h) into one registry, and
// remembers the file line each key came from. Copying a Scenario gives an independent configuration bound
// to its own fields: an arm or a design point is the base scenario copied and overridden, never the file
// read again. read_scenario() reads an INI file (with its includes) into the base Scenario and the
// sections that are not parameters: [arms], [contrasts], [checks], [experiment] and [vary].
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "mechanisms/factory.h"
#include "params/params.h"
#include "params/registry.h"
#include "util/text.h"  // trim, split_list

namespace govsim {

// One line of [arms]: `name = key=value; key=value`. Each arm is the scenario with its overrides applied
// after the command line's (a scenario without [arms] is one arm).
struct Arm {
  std::string name;
  std::vector<std::string> overrides;
  int line = 0;
  std::string where;  // file:line
};
// One line of [contrasts], an extra paired contrast for the table: `name = arm_a, arm_b` (a minus b).
struct Contrast {
  std::string name, a, b;
  int line = 0;
  std::string where;
};
// One line of [checks]: `name = METRIC: arm_a > arm_b` etc., parsed by experiment/validation.h.
struct CheckText {
  std::string name, text;
  int line = 0;
  std::string where;
};
// One line of a section an experiment, a calibration or an optimisation reads ([experiment], [vary],
// [calibration], [priors], [targets], [optimise], [decisions], [objectives], [constraints]), kept as text.
struct SectionLine {
  std::string name, value;
  int line = 0;
  std::string file;   // the file the line is in
  std::string where;  // file:line
};

// Reads an INI scenario (Boost.Program_options), then `key=value` overrides. A scenario may start with
// `include = other.ini` (relative to itself): the other file is read first and this one's keys win. Throws
// InputError with "file:line: key '...': ..." on any bad input.
struct ScenarioFile;
ScenarioFile read_scenario(const std::string& path, const std::vector<std::string>& overrides);

class Scenario {
 public:
  Scenario();  // every parameter at its default
  // A copy has the same values and provenance, and a registry bound to its own fields.
  Scenario(const Scenario& other);
  Scenario& operator=(const Scenario& other);

  Params params;
  MechanismParams mechanisms;

  // Every parameter, core sections first, then each mechanism's in factory order, bound to this object.
  ParamRegistry& registry() { return registry_; }
  const ParamRegistry& registry() const { return registry_; }

  // Mechanism names from run.mechanisms.
  std::vector<std::string> mechanism_names() const;

  // Sets one parameter and remembers `where` it came from, so that validate() names that line.
  void set(const std::string& key, const std::string& value, const std::string& where);
  // `key=value` overrides from the command line; errors say "command line".
  void apply_overrides(const std::vector<std::string>& overrides);
  // Applies an arm's overrides (errors name the arm's line), sets run.name to the arm's name and validates.
  void apply_arm(const Arm& arm);
  // Cross-parameter checks and mechanism names (validated against the factory); throws InputError.
  void validate() const;
  // Where `key` was last set ("file:line", "command line", an arm's line), or "" if it has its default.
  std::string where(const std::string& key) const {
    const auto it = key_lines_.find(key);
    return it == key_lines_.end() ? "" : it->second;
  }

 private:
  friend ScenarioFile read_scenario(const std::string& path, const std::vector<std::string>& overrides);
  ParamRegistry registry_;
  std::map<std::string, std::string> key_lines_;  // key -> "file:line" where it was last given
};

// "\n[arms]\nname = key=value; key=value\n..." as a file gives it (empty without arms): provenance text.
std::string arms_text(const std::vector<Arm>& arms);

// Every parameter at its default: the keys, types and ranges for option parsing and `govsim describe`.
const Scenario& default_scenario();

// What read_scenario() found in a file.
struct ScenarioFile {
  std::string path;
  // The file's parameters (an included file's first, this one's keys win), then the command line's
  // overrides; validated.
  Scenario base;
  std::vector<Arm> arms;  // in file order
  std::vector<Contrast> contrasts;
  std::vector<CheckText> checks;
  // Lines of the sections an experiment reads ([experiment], [vary]), in file order (an included file's
  // lines first); plain parameter loading ignores them.
  std::map<std::string, std::vector<SectionLine>> section_lines;
  std::set<std::string> sections;  // every section header read (even with no lines under it)

  const std::vector<SectionLine>& lines(const std::string& section) const;
  bool has_section(const std::string& section) const { return sections.count(section) > 0; }
  // A calibration file: [calibration], [priors] or [targets] (run with govsim calibrate).
  bool is_calibration() const {
    return has_section("calibration") || has_section("priors") || has_section("targets");
  }
  // An optimisation file: [optimise], [decisions], [objectives] or [constraints] (run with govsim optimise).
  bool is_optimisation() const {
    return has_section("optimise") || has_section("decisions") || has_section("objectives") ||
           has_section("constraints");
  }
};

}  // namespace govsim
