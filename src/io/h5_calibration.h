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
  std::vector<double> theta;     // [g, n, parameter]: the values the model saw
  std::vector<double> weight;    // [g, n]
  std::vector<std::uint64_t> seed;  // [g, n]: run.seed of the particle's simulations
  std::vector<double> distance;  // [g, n, replicate]
  std::vector<double> stats;     // [g, n, replicate, target]
  // posterior (the last generation)
  std::vector<double> mean, sd, q025, q50, q975, correlation;  // correlation [parameter, parameter]
  double posterior_ess = 0;
  // [run]: posterior-predictive simulations
  std::vector<std::int64_t> predictive_particle;
  std::vector<std::uint64_t> predictive_seed;
  std::vector<double> predictive_theta;  // [run, parameter]
  std::vector<double> predictive_stats;  // [run, target]
};

void write_calibration(const std::string& path, const CalibrationRecord& c);

}  // namespace govsim
