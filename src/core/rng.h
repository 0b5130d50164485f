// Counter-based random numbers: every draw is a pure function of (seed, purpose, entity, day, index).
// No generator is shared between threads, so results never depend on scheduling.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace govsim {

// Each independent use of randomness has its own purpose, so that switching a mechanism on or off
// never shifts the draws another part of the model sees (common random numbers across arms).
enum class Purpose : std::uint32_t {
  kPopulation = 1,        // resident traits
  kNetwork = 2,           // neighbour network
  kDemandCount = 3,       // arrivals per grid and day
  kDemandTraits = 4,      // kind, size, level, household, hour of each arrival
  kReporting = 5,         // whether a demand is reported
  kAdminTasks = 6,        // administrative tasks arriving at a grid worker
  kTurnover = 7,          // quitting
  kOpinion = 8,           // awareness on contact
  kOrganisations = 9,     // units, leaders, members
  kWorkers = 10,          // grid worker initial state
  kDesignLhs = 11,        // Latin hypercube strata and offsets (keyed by the design seed, not a run seed)
  kDesignMorris = 12,     // Morris trajectories (keyed by the design seed)
  kCoordination = 13,     // whether a hard problem's parties accept it or pass it back (推诿)
  kMoving = 14,           // residents moving out, replaced by newcomers
  kCommunityType = 15,    // a community's type (sub 0) and its staffing draw (sub 1)
  kCalibration = 16,      // ABC-SMC's draws (keyed by the calibration seed; subs in experiment/abc_smc.cpp)
  kOptimisation = 17,     // NSGA-II's draws (keyed by the optimisation seed; subs in experiment/nsga2.cpp)
  kMechanismBase = 1000,  // mechanisms use kMechanismBase + their own offsets (below 65536)
  kJointHandling = 1001,
  kDownshift = 1002,
  kDualRegistration = 1003,
  kTriage = 1004,
  kWhistle = 1005,
  kDigital = 1006,
  kVisits = 1007,
  kProperty = 1008,
  kSocialWorkers = 1009,
  kShock = 1010,
  kDownshiftAuthority = 1011  // which hard problems down-shifting moves to a community without the authority
};

class Rng {
 public:
  using Philox = r123::Philox4x32;

  // seed: the run seed; purpose: what the draws are for; entity: whose draws; day: when; sub: which of
  // several independent streams of the same entity and day (e.g. one per demand kind, or per arrival).
  // Counter layout: (entity, day, sub, purpose << 16 | block); a stream holds 2^16 blocks of 4 words.
  Rng(std::uint64_t seed, Purpose purpose, std::uint32_t entity, std::uint32_t day, std::uint32_t sub = 0) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    ctr_ = {{entity, day, sub, static_cast<std::uint32_t>(purpose) << 16}};
  }

  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return out_.v[used_++];
  }

  // Uniform in (0, 1): never exactly 0 or 1, so log() is always safe.
  double uniform() {
    const std::uint64_t hi = next_u32() >> 5;  // 27 bits
    const std::uint64_t lo = next_u32() >> 6;  // 26 bits
    return (static_cast<double>((hi << 26) | lo) + 0.5) * (1.0 / 9007199254740992.0);
  }

  bool bernoulli(double p) { return uniform() < p; }

  // Uniform integer in [0, n), by Lemire's multiply-shift (bias below 2^-32 for the n used here).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * n) >> 32);
  }

  double exponential(double mean) { return -mean * std::log(uniform()); }

  double normal() {
    // Box-Muller; the second variate is discarded to keep the draw count fixed per call.
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // Lognormal with the given mean (not median) and log-space sd.
  double lognormal_mean(double mean, double sigma) {
    return mean * std::exp(sigma * normal() - 0.5 * sigma * sigma);
  }

  std::uint32_t poisson(double lambda);

 private:
  void refill() {
    out_ = Philox()(ctr_, key_);
    // The block counter lives in the low 16 bits; wrapping would reuse the stream's first block.
    ctr_.v[3] = (ctr_.v[3] & 0xFFFF0000u) | ((ctr_.v[3] + 1) & 0xFFFFu);
    used_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type out_{};
  int used_ = 4;
};

// Derives a run seed from a base seed and a replicate number (splitmix64), so replicate k of
// every arm gets the same seed: common random numbers.
inline std::uint64_t derive_seed(std::uint64_t base, std::uint64_t replicate) {
  std::uint64_t z = base + 0x9E3779B97F4A7C15ull * (replicate + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace govsim
