// Approximate Bayesian computation by sequential Monte Carlo with adaptive tolerances (Del Moral, Doucet &
// Jasra 2012, "An adaptive sequential Monte Carlo method for approximate Bayesian computation", Statistics
// and Computing 22:1009-1020): a population of N particles, each with M simulations; every generation
// lowers the tolerance so that the effective sample size keeps a share alpha of the last one, resamples when
// it falls below a threshold, and moves every living particle by Metropolis-Hastings steps (as many as
// Drovandi & Pettitt 2011 advise, at most max_moves) whose likelihood is the share of its M simulations
// within the tolerance. A generation is one batch of simulations of a known size, so the caller can run it as
// one sweep. Every draw is keyed by (seed, particle, generation, purpose): the result depends on the
// simulations' outcomes only, never on the order or the threads they ran on. The algorithm, its equations and
// choices: docs/CALIBRATION.md.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/rng.h"

namespace govsim::abc {

// A prior on one parameter. The sampler works on z: z = log(x) for a log-uniform prior, z = x otherwise,
// so that on z every prior is uniform or a (truncated) normal and the random-walk kernel is symmetric.
struct Prior {
  enum class Kind { kUniform, kLogUniform, kNormal, kTruncatedNormal };
  std::string key;  // the parameter
  Kind kind = Kind::kUniform;
  double a = 0, b = 1;  // uniform, log-uniform: bounds on x; normal: mean and sd
  double lo = -std::numeric_limits<double>::infinity();  // truncation of a normal, on x
  double hi = std::numeric_limits<double>::infinity();
  bool integer = false;  // the parameter is an integer: the model sees round(x)
  std::string where;     // file:line

  // log density on z up to a constant; -inf outside the support.
  double log_density(double z) const;
  double draw(Rng& rng) const;   // z
  double value(double z) const;  // x (rounded for an integer parameter)
  double z_of(double x) const;
  // Support on x.
  double lower() const;
  double upper() const;
  std::string text() const;  // as written: "uniform(0.1, 1)"
};

// `uniform(lo, hi)`, `loguniform(lo, hi)`, `normal(mean, sd)`, `truncnormal(mean, sd, lo, hi)`; throws
// InputError naming `where` and `key`.
Prior parse_prior(const std::string& key, const std::string& text, const std::string& where);

struct Settings {
  std::size_t particles = 200;   // N
  int replicates = 1;            // M: simulations per particle
  int generations = 30;          // at most this many generations after the prior's
  double ess_keep = 0.9;         // alpha: each tolerance keeps this share of the last effective sample size
  double resample_below = 0.5;   // resample when the effective sample size falls below this share of N
  double tolerance = 0;          // stop once the tolerance reaches this (0: never by tolerance)
  std::vector<double> schedule;  // fixed decreasing tolerances instead of adaptive ones (empty: adaptive)
  double min_acceptance = 0.02;  // stop once a generation's moves accept fewer than this share
  double kernel_scale = 2.0;     // proposal covariance: this times the particles' weighted covariance
  // Moves per generation (Drovandi & Pettitt 2011): after the first, as many as leave a particle unmoved
  // with probability `stay` at the first move's acceptance rate a, ceil(log(stay) / log(1 - a)), at most
  // max_moves. One move (max_moves = 1) is Del Moral et al.'s algorithm.
  int max_moves = 10;
  double stay = 0.05;
  std::uint64_t seed = 1;  // key of every draw of the sampler
};

// One particle's simulation request: parameters z and a seed (replicate k runs with derive_seed(seed, k)).
struct Proposal {
  std::size_t particle = 0;
  std::vector<double> z;
  std::uint64_t seed = 0;
};

// Summary statistics [proposal][replicate][target]; NaN is allowed (its distance is infinite).
using Stats = std::vector<std::vector<std::vector<double>>>;
// Simulates one move's proposals of a generation (all of them, in order); the prior's generation is move 0.
using Simulate = std::function<Stats(int generation, int move, const std::vector<Proposal>& batch)>;

struct Generation {
  int index = 0;
  double tolerance = std::numeric_limits<double>::infinity();  // the prior's generation: infinite
  std::vector<std::vector<double>> z;                          // [particle][parameter]
  std::vector<double> weight;                                  // normalised
  std::vector<std::uint64_t> seed;                             // of each particle's current simulations
  std::vector<std::vector<double>> distance;                   // [particle][replicate]
  Stats stats;                                                 // [particle][replicate][target]
  double ess = 0;                                              // effective sample size of `weight`
  bool resampled = false;     // the population was resampled before the moves
  int moves = 0;              // Metropolis-Hastings moves made (0 for the prior's)
  std::size_t proposed = 0;   // moves proposed (living particles, summed over the moves)
  std::size_t simulated = 0;  // proposals simulated (those inside the prior's support)
  std::size_t accepted = 0;   // moves accepted
  // The first move's accepted / proposed, which sets the number of moves and the stop (NaN for the prior's).
  double acceptance = std::numeric_limits<double>::quiet_NaN();
};

// The distance of one simulation: sqrt(sum_j ((s_j - observed_j) / scale_j)^2); +inf if any s_j is NaN.
double distance(const std::vector<double>& stats, const std::vector<double>& observed,
                const std::vector<double>& scale);

// Effective sample size 1 / sum(w^2) of normalised weights.
double ess(const std::vector<double>& w);

// Runs the sampler: generation 0 from the prior, then until the tolerance reaches settings.tolerance, the
// schedule ends, a generation's acceptance falls below settings.min_acceptance, or settings.generations.
// `done` sees each generation as it is finished. Throws std::runtime_error when no particle lies within a
// scheduled tolerance.
std::vector<Generation> run(const std::vector<Prior>& priors, const Settings& settings,
                            const std::vector<double>& observed, const std::vector<double>& scale,
                            const Simulate& simulate,
                            const std::function<void(const Generation&)>& done = {});

// The posterior a generation gives, on x: weighted means, sds, quantiles and correlations, and a maximum a
// posteriori point: the particle of highest density under a weighted Gaussian kernel density estimate on z
// (Scott's bandwidth, as scipy.stats.gaussian_kde: the weighted covariance times n_eff^(-2/(d+4))). Where the
// posterior is a curved ridge the mean may lie off it; the MAP particle lies on it.
struct Posterior {
  std::vector<double> mean, sd, q025, q50, q975, map;  // map: empty unless asked for
  std::size_t map_particle = 0;
  std::vector<std::vector<double>> correlation;
  double ess = 0;
};
// The sds and correlations use the weighted covariance Σ w (x - mean)^2 (weights summing to 1); the kernel
// density estimate, like scipy's, the unbiased one (divided by 1 - Σ w^2). `with_map`: also the MAP point
// (O(N^2) kernel evaluations).
Posterior summarise(const std::vector<Prior>& priors, const Generation& g, bool with_map = true);

// `count` particle indices drawn from a generation's weights by systematic resampling, keyed by
// (seed, generation, purpose): the posterior-predictive draw.
std::vector<std::size_t> draw_particles(const Generation& g, std::size_t count, std::uint64_t seed);

// A simulation seed for (particle, generation, move) (below 4e18, run.seed's range).
std::uint64_t simulation_seed(std::uint64_t seed, std::size_t particle, int generation, int move);

}  // namespace govsim::abc
