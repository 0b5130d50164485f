// A calibration's result file (DIR/calibration.h5, docs/OUTPUT.md "Calibration files"): every generation's
// particles, weights, distances and tolerance, the posterior summary and the posterior-predictive draws.
// Written under a temporary name and renamed when complete.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace govsim {

struct CalibrationRecord {
  std::vector<std::pair<std::string, std::string>> attributes;  // root text attributes after the provenance
  std::string command_line, config_text;
  // [parameter]
  std::vector<std::string> parameters, priors;
  std::vector<std::int64_t> integer;
  // [target]
  std::vector<std::string> targets, metrics;
  std::vector<std::int64_t> first_day, last_day;  // -1: no window
  std::vector<double> observed, se;
  // [generation]
  std::vector<double> tolerance, ess, acceptance;
  std::vector<std::int64_t> resampled, moves, proposed, simulated, accepted;
  // [generation, particle, ...], row-major
  std::size_t particles = 0, replicates = 0;
  std::vector<double> theta;        // [g, n, parameter]: the values the model saw
  std::vector<double> weight;       // [g, n]
  std::vector<std::uint64_t> seed;  // [g, n]: run.seed of the particle's simulations
  std::vector<double> distance;     // [g, n, replicate]
  std::vector<double> stats;        // [g, n, replicate, target]
  // posterior (the last generation)
  std::vector<double> mean, sd, q025, q50, q975, map, correlation;  // correlation [parameter, parameter]
  std::int64_t map_particle = 0;
  double posterior_ess = 0;
  // [run]: posterior-predictive simulations
  std::vector<std::int64_t> predictive_particle;
  std::vector<std::uint64_t> predictive_seed;
  std::vector<double> predictive_theta;  // [run, parameter]
  std::vector<double> predictive_stats;  // [run, target]
};

void write_calibration(const std::string& path, const CalibrationRecord& c);

// An optimisation's result (DIR/optimisation.h5, docs/CALIBRATION.md "Policy search"): every generation's
// surviving population and the final front.
struct OptimisationRecord {
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string command_line, config_text;
  std::vector<std::string> decisions;  // [decision]
  std::vector<double> lo, hi;
  std::vector<std::int64_t> integer;
  std::vector<std::string> objectives, objective_metrics, senses;  // [objective]
  std::vector<std::int64_t> objective_first, objective_last;
  std::vector<std::string> constraints, constraint_metrics, constraint_ops;  // [constraint]
  std::vector<double> bounds;
  std::vector<std::int64_t> constraint_first, constraint_last;
  std::size_t generations = 0, population = 0;
  std::vector<double> x;                    // [g, i, decision]
  std::vector<double> objective_values;     // [g, i, objective], in the objective's own sense
  std::vector<double> constraint_values;    // [g, i, constraint]
  std::vector<double> violation, crowding;  // [g, i]
  std::vector<std::int64_t> rank;           // [g, i]
  std::vector<std::int64_t> front;          // indices into the last generation
};

void write_optimisation(const std::string& path, const OptimisationRecord& o);

}  // namespace govsim
