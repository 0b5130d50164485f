// An experiment: a scenario (usually by `include`) plus an [experiment] section (design, samples,
// design_seed, replicates, levels) and a [vary] section, expanded into a run table. Each run has an id
// derived from its resolved parameters, its seed and the code version, so reruns and resumes recognise it.
// File format, designs and ordering: docs/EXPERIMENTS.md.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "experiment/scenario.h"

namespace govsim {

// One [vary] line: `key = a, b, c` (levels), `key = start:stop:step` (levels, stop included) or
// `key = [lo, hi]` (bounds, sampled by the design; integer parameters are rounded).
struct VaryAxis {
  std::string key;
  bool sampled = false;             // bounds (true) or levels (false)
  std::vector<std::string> levels;  // levels, as parameter text
  double lo = 0, hi = 0;            // bounds
  bool integer = false;             // the parameter is an integer: sampled values are rounded
  std::string where;                // file:line
};

struct PlannedRun {
  std::int64_t index = 0;   // row of the run table
  std::string id;           // 16 hex digits (run_id())
  std::int64_t point = 0;   // design point: sampled row * F + factorial tuple (F = number of level tuples)
  std::string block;        // design block (SampleRow::block; "" for factorial, lhs and sobol)
  std::int64_t group = 0;   // design group: SampleRow::group * F + factorial tuple (the point if unsampled)
  std::string arm;
  std::int64_t replicate = 0;
  std::uint64_t seed = 0;   // derive_seed(run.seed, replicate): equal seeds see the same exogenous draws
  std::vector<std::pair<std::string, std::string>> values;  // the point's parameter values, in axis order
  double cost = 0;          // relative cost estimate (residents x days), for scheduling
};

class Experiment {
 public:
  // Reads the experiment file, builds every run's configuration to check it, and the run table
  // (design point, then arm, then replicate, the replicate varying fastest). Overrides are parameters
  // (key=value), except experiment.KEY=VALUE, which replaces that key of the [experiment] section.
  // Throws InputError.
  void load(const std::string& path, const std::vector<std::string>& overrides);

  // A table of given points instead of a design (a calibration's proposals): the scenario of `file` (its
  // [arms] too), each point's values for `axes` (parameter text; an error names the axis' `where`), each
  // point's group, `replicates` per point and arm, and `block` on every row. Throws InputError.
  void load_points(const ScenarioFile& file, std::vector<VaryAxis> axes,
                   std::vector<std::vector<std::string>> points, const std::vector<std::int64_t>& groups,
                   std::int64_t replicates, const std::string& block);

  const std::vector<PlannedRun>& runs() const { return runs_; }
  // A run's configuration: scenario, command-line overrides, the point's values, then the arm's overrides.
  Scenario config(const PlannedRun& run) const;

  const std::string& path() const { return path_; }
  // factorial | lhs | sobol | saltelli | morris, or given (load_points)
  const std::string& design() const { return design_; }
  const std::vector<VaryAxis>& axes() const { return axes_; }
  const std::vector<std::string>& arms() const { return arm_names_; }
  std::int64_t replicates() const { return replicates_; }
  std::int64_t points() const { return points_; }
  // Every parameter key whose value differs somewhere in the table (the /runs columns every file carries).
  const std::vector<std::string>& varied_keys() const { return varied_keys_; }
  // A hash of the run ids in table order: equal fingerprints, equal experiments.
  std::string fingerprint() const;
  // The design as JSON (type, samples, seed, axes with bounds or levels, arms, replicates).
  std::string design_json() const;
  std::string config_text() const;  // the experiment file's resolved base configuration and sections
  // One line per varied parameter of a mechanism that acts in no run within its days (off in every arm, or
  // starting after the last day): "file:line: [vary] key: why: its levels cannot change any outcome".
  const std::vector<std::string>& idle_warnings() const { return idle_warnings_; }

 private:
  std::string path_;
  std::string design_ = "factorial";
  std::int64_t samples_ = 0, replicates_ = 1, points_ = 0;
  std::uint64_t design_seed_ = 1;
  int morris_levels_ = 4;
  std::vector<VaryAxis> axes_;
  std::vector<std::string> arm_names_;
  std::vector<PlannedRun> runs_;
  std::vector<std::string> varied_keys_;
  std::vector<std::string> idle_warnings_;
  std::string config_text_;
  Scenario base_;                 // the scenario file's parameters and the command line's overrides
  std::vector<Arm> arms_;         // the [arms] section (empty: one arm, the scenario itself)
  std::vector<std::vector<std::pair<std::string, std::string>>> point_values_;  // [point][axis]
  // A copy of the base, then the point's values (errors name the [vary] line), then the arm.
  Scenario build(std::int64_t point, const Arm* arm) const;
  // The run table of points_ points (point_values_), each point's block and group, every arm and replicate;
  // sets arm_names_, runs_, varied_keys_, arms_ and base_.
  void build_table(const Scenario& base, std::vector<Arm> arms, const std::vector<std::string>& blocks,
                   const std::vector<std::int64_t>& groups);
};

// 16 hex digits: a 64-bit hash (FNV-1a, then splitmix64's finaliser) of every resolved parameter as
// "key=value" lines in declaration order (except run.replicates, which does not change a run), the derived
// seed and the replicate, and the code version (govsim_version() and git_revision()). A table row's id
// (PlannedRun::id) also hashes its design row (point, block, group), so that rows which happen to share a
// configuration and seed (Saltelli's A_0 and B_0: the first Sobol' point after the origin is
// (1/2, ..., 1/2)) are distinct runs with distinct ids.
// `point` < 0: no design row (the id of a configuration alone).
// 16 hex digits of the hash run ids use (FNV-1a 64 finished by splitmix64's mixer) over `text`: the
// fingerprints of calibrations and optimisations.
std::string hash_hex(const std::string& text);

std::string run_id(const Scenario& cfg, std::uint64_t seed, std::int64_t replicate, std::int64_t point = -1,
                   const std::string& block = "", std::int64_t group = -1);

}  // namespace govsim
