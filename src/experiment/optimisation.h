// Policy search under a budget: a scenario plus [optimise] (NSGA-II's settings), [decisions] (`parameter =
// [lo, hi]`), [objectives] (`name = minimise|maximise METRIC [over FIRST-LAST]`) and [constraints] (`name =
// METRIC [over FIRST-LAST] <= VALUE` or `>= VALUE`), searched by NSGA-II (experiment/nsga2.h). Each
// generation's candidates are one sweep (experiment/calibration.h, run_points) with `replicates` runs each
// under common random numbers (replicate k of every candidate sees the same world and draws); a candidate's
// objective and constraint values are the means over its replicates. Journaled like a calibration: rerunning
// the command resumes. docs/CALIBRATION.md, "Policy search".
#pragma once

#include <string>
#include <vector>

#include "experiment/calibration.h"
#include "experiment/nsga2.h"

namespace govsim {

struct Decision {
  std::string key;
  double lo = 0, hi = 1;
  bool integer = false;
  std::string where;
};

struct Objective {
  Target metric;
  bool maximise = false;
};

struct Constraint {
  Target metric;
  bool at_most = true;  // `<=` (else `>=`)
  double bound = 0;
};

class Optimisation {
 public:
  // Reads and checks the file (decisions within their parameters' ranges, metrics against a pilot run).
  // Overrides are parameters, except optimise.KEY=VALUE. Throws InputError.
  void load(const std::string& path, const std::vector<std::string>& overrides);

  const std::string& path() const { return path_; }
  const ScenarioFile& file() const { return file_; }
  const std::vector<Decision>& decisions() const { return decisions_; }
  const std::vector<Objective>& objectives() const { return objectives_; }
  const std::vector<Constraint>& constraints() const { return constraints_; }
  const nsga2::Settings& settings() const { return settings_; }
  int replicates() const { return replicates_; }
  std::string config_text() const { return config_text_; }
  std::string settings_json() const;
  std::string fingerprint() const;

 private:
  std::string path_, config_text_;
  ScenarioFile file_;
  std::vector<Decision> decisions_;
  std::vector<Objective> objectives_;
  std::vector<Constraint> constraints_;
  nsga2::Settings settings_;
  int replicates_ = 1;
};

using OptimisationOptions = LoopOptions;

struct OptimisationResult {
  std::vector<nsga2::Population> generations;
  // Per generation and candidate, in the user's sense: objective means [g][i][o], constraint means [g][i][c].
  std::vector<std::vector<std::vector<double>>> objectives, constraint_values;
  std::vector<std::size_t> front;  // the last generation's non-dominated candidates (distinct decisions)
  BatchCounts counts;
  double wall_seconds = 0;
  std::string file;  // DIR/optimisation.h5
};

// Runs (or resumes) the search into DIR: DIR/optimisation.json, DIR/gen-GGG/ (one sweep per generation),
// DIR/optimisation.h5 (rank 0). Throws InputError for a DIR of another optimisation, std::runtime_error when
// runs fail.
OptimisationResult run_optimisation(const Optimisation& opt, const OptimisationOptions& o);

}  // namespace govsim
