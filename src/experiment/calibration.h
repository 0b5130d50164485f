// A calibration: a scenario plus [calibration] (the sampler's settings), [priors] (`parameter = prior`) and
// [targets] (`name = METRIC [over FIRST-LAST] ~ OBSERVED +- SE`), fitted by ABC-SMC (experiment/abc_smc.h).
// Each move of each generation is one sweep (experiment/sweep.h) of the proposals it simulates, in its own
// directory: journaled, so a calibration killed at any point resumes (the sampler is rerun from the start,
// and every simulation it already made is read back from its journal instead of being run again), parallel
// on one machine and across MPI ranks. File format, algorithm and output: docs/CALIBRATION.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "experiment/abc_smc.h"
#include "experiment/experiment.h"
#include "experiment/runner.h"
#include "experiment/scenario.h"
#include "experiment/sweep.h"

namespace govsim {

// One [targets] line.
struct Target {
  std::string name;
  std::string metric;         // a summary field, an outcome, or a series form (mean:NAME, year:NAME, ...)
  int first = -1, last = -1;  // `over FIRST-LAST`: the days (inclusive) a mean/final/sum/max reduces over
  double observed = 0, se = 0;
  std::string where;                                       // file:line
  std::string column() const { return "target_" + name; }  // the /runs column of each simulation
};

// Parses `METRIC [over FIRST-LAST]` (an objective's or a constraint's metric) into a Target without an
// observed value; throws InputError naming `where` and the key.
Target parse_metric(const std::string& name, const std::string& text, const std::string& where);
// Parses a [targets] value, `METRIC [over FIRST-LAST] ~ OBSERVED +- SE`; throws InputError.
Target parse_target(const std::string& name, const std::string& text, const std::string& where);
// Each metric's window lies within run.days, and its metric exists (a one-day pilot run of one community
// gives the names); throws InputError naming the metric's line.
void check_metrics(const Scenario& base, const std::vector<Target>& metrics);

// The target's metric in one run (NaN if the run gives none, e.g. no day in the window is finite).
double target_value(const RunResult& r, const Target& t);

// Options of the sweeps a calibration or an optimisation runs, and what they ran.
struct BatchOptions {
  int threads = 0, jobs = 0;
  int rank = 0, ranks = 1;
  bool allow_changed = false;  // a sweep directory made by another table is run into (--allow-changed)
  std::string command_line;
  std::function<void(const SweepProgress&)> progress;
};
struct BatchCounts {
  std::size_t executed = 0, skipped = 0;  // runs run now, and read back from their journals
};

// One sweep of given points into `dir` (resumable: finished runs are read back from their journals): each
// point's values of `axes` (parameter text), `groups` as the points' design groups, `replicates` runs each
// (replicate k with derive_seed(run.seed, k): run.seed may be one of the axes), `block` on every row. Every
// run records each metric's value as the /runs column Target::column() and keeps only the district series the
// metrics read (every series if `all_series`); the values are read back from the sweep's files (every rank's
// under MPI), [point][replicate][metric]. Throws std::runtime_error when a run failed.
std::vector<std::vector<std::vector<double>>> run_points(
    const ScenarioFile& file, const std::vector<VaryAxis>& axes,
    const std::vector<std::vector<std::string>>& points, const std::vector<std::int64_t>& groups,
    int replicates, const std::string& block, const std::vector<Target>& metrics, bool all_series,
    const std::string& dir, const BatchOptions& opt, BatchCounts& counts);

class Calibration {
 public:
  // Reads the file (a scenario with the three sections) and checks every prior against its parameter's
  // range and every target's metric against a one-day pilot run. Overrides are parameters (key=value),
  // except calibration.KEY=VALUE. Throws InputError.
  void load(const std::string& path, const std::vector<std::string>& overrides);

  const std::string& path() const { return path_; }
  const ScenarioFile& file() const { return file_; }
  const std::vector<abc::Prior>& priors() const { return priors_; }
  const std::vector<Target>& targets() const { return targets_; }
  const abc::Settings& settings() const { return settings_; }
  std::size_t predictive() const { return predictive_; }  // posterior-predictive runs
  // The resolved scenario and the three sections, as a file that loads to the same calibration.
  std::string config_text() const { return config_text_; }
  std::string settings_json() const;
  // A hash of config_text() and the code version: equal fingerprints, equal calibrations.
  std::string fingerprint() const;

 private:
  std::string path_, config_text_;
  ScenarioFile file_;
  std::vector<abc::Prior> priors_;
  std::vector<Target> targets_;
  abc::Settings settings_;
  std::size_t predictive_ = 100;
};

// How a loop on the sweep engine (a calibration, an optimisation) runs: where, its sweeps' options, and a
// log.
struct LoopOptions {
  std::string out_dir;
  BatchOptions batch;          // threads, jobs, MPI rank and ranks, command line, progress of each sweep
  bool allow_changed = false;  // run into a DIR made by a different file
  std::function<void(const std::string&)> log;  // one line per generation (rank 0)
};
using CalibrationOptions = LoopOptions;

struct CalibrationResult {
  std::vector<abc::Generation> generations;
  abc::Posterior posterior;
  std::vector<std::size_t> predictive_particles;  // the final generation's particles drawn, in order
  abc::Stats predictive;                          // [run][0][target]
  std::size_t executed = 0, skipped = 0;          // simulations run now, and read back from journals
  double wall_seconds = 0;
  std::string file;  // DIR/calibration.h5
};

// Runs (or resumes) the calibration into DIR: DIR/calibration.json (fingerprint), DIR/gen-GGG-move-MM/
// (one sweep per move), DIR/predictive/ (the posterior-predictive runs), DIR/calibration.h5 (rank 0).
// Throws InputError for a DIR that belongs to another calibration, std::runtime_error when runs fail.
CalibrationResult run_calibration(const Calibration& cal, const CalibrationOptions& opt);

}  // namespace govsim
