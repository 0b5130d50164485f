// The ABC-SMC sampler on problems whose posterior is known in closed form (docs/CALIBRATION.md, "Checks").
#include <gtest/gtest.h>

#include <cmath>

#include "experiment/abc_smc.h"
#include "params/registry.h"

namespace govsim {
namespace {

// y_j = theta_j + N(0, sd_j): one observation per parameter, noise keyed by the proposal's seed.
abc::Simulate gaussian_model(std::vector<double> sd, int* calls = nullptr) {
  return [sd, calls](int, int, const std::vector<abc::Proposal>& batch) {
    abc::Stats out;
    for (const auto& p : batch) {
      if (calls) ++*calls;
      std::vector<std::vector<double>> reps;
      for (int k = 0; k < 1; ++k) {
        Rng r(derive_seed(p.seed, static_cast<std::uint64_t>(k)), Purpose::kPopulation, 0, 0);
        std::vector<double> s;
        for (std::size_t j = 0; j < sd.size(); ++j) s.push_back(p.z[j] + sd[j] * r.normal());
        reps.push_back(s);
      }
      out.push_back(reps);
    }
    return out;
  };
}

abc::Settings settings(std::size_t n, double tolerance) {
  abc::Settings s;
  s.particles = n;
  s.tolerance = tolerance;
  s.generations = 80;
  s.min_acceptance = 0.0;
  s.seed = 11;
  return s;
}

// Normal prior, normal likelihood: theta ~ N(0, 1), y | theta ~ N(theta, 1), y = 1 observed. The posterior
// is N(1/2, 1/2); ABC with tolerance eps adds a uniform error of half-width eps (variance eps^2/3, 0.0008
// at eps = 0.05). With 2,000 particles the Monte Carlo error of the mean and sd is about 0.02-0.03 (six
// seeds: means 0.464-0.538, sds 0.684-0.732): each of four seeds must be within 0.05 of the truth.
TEST(AbcSmc, ConjugateNormalPosteriorMeanAndSd) {
  const std::vector<abc::Prior> priors = {abc::parse_prior("theta", "normal(0, 1)", "test:1")};
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    abc::Settings s = settings(2000, 0.05);
    s.seed = seed;
    const auto gens = abc::run(priors, s, {1.0}, {1.0}, gaussian_model({1.0}));
    const auto& last = gens.back();
    EXPECT_DOUBLE_EQ(last.tolerance, 0.05);
    const auto post = abc::summarise(priors, last);
    EXPECT_NEAR(post.mean[0], 0.5, 0.05) << "seed " << seed;
    EXPECT_NEAR(post.sd[0], std::sqrt(0.5), 0.05) << "seed " << seed;
    EXPECT_NEAR(post.q025[0], 0.5 - 1.959964 * std::sqrt(0.5), 0.12) << "seed " << seed;
    EXPECT_NEAR(post.q975[0], 0.5 + 1.959964 * std::sqrt(0.5), 0.12) << "seed " << seed;
    // The posterior's mode is its mean, 0.5; the kernel density estimate finds a particle near it.
    EXPECT_NEAR(post.map[0], 0.5, 0.15) << "seed " << seed;
    EXPECT_GT(last.weight[post.map_particle], 0.0);
    // The tolerances fall, and every living particle's simulation is within the last one.
    for (std::size_t g = 1; g < gens.size(); ++g) {
      EXPECT_LE(gens[g].tolerance, gens[g - 1].tolerance);
    }
    for (std::size_t i = 0; i < last.z.size(); ++i) {
      if (last.weight[i] > 0) {
        EXPECT_LE(last.distance[i][0], last.tolerance);
      }
    }
  }
}

// Two parameters, two targets with different standard errors: theta1 ~ N(0, 1) with y1 ~ N(theta1, 1),
// y1 = -1 (posterior N(-1/2, 1/2)); theta2 ~ U(0, 3) with y2 ~ N(theta2, 0.5), y2 = 1 (posterior N(1, 0.25)
// truncated to [0, 3]: mean 1 + 0.5 (phi(-2) - phi(4)) / (Phi(4) - Phi(-2)) = 1.02762, sd 0.47103).
// Independent in the prior and the likelihood, so in the posterior. At tolerance 0.2 (a disc of radius 0.2
// in the scaled distance) ABC widens the sds by less than 0.002.
TEST(AbcSmc, TwoParametersTruncatedPosteriorAndIndependence) {
  const std::vector<abc::Prior> priors = {abc::parse_prior("a", "normal(0, 1)", "t:1"),
                                          abc::parse_prior("b", "uniform(0, 3)", "t:2")};
  for (std::uint64_t seed : {1, 2}) {
    abc::Settings s = settings(2000, 0.2);
    s.seed = seed;
    const auto gens = abc::run(priors, s, {-1.0, 1.0}, {1.0, 0.5}, gaussian_model({1.0, 0.5}));
    const auto post = abc::summarise(priors, gens.back());
    EXPECT_NEAR(post.mean[0], -0.5, 0.06) << "seed " << seed;
    EXPECT_NEAR(post.sd[0], std::sqrt(0.5), 0.06) << "seed " << seed;
    EXPECT_NEAR(post.mean[1], 1.02762, 0.05) << "seed " << seed;
    EXPECT_NEAR(post.sd[1], 0.47103, 0.05) << "seed " << seed;
    EXPECT_NEAR(post.correlation[0][1], 0.0, 0.1) << "seed " << seed;
    for (const auto& z : gens.back().z) {
      EXPECT_GE(z[1], 0.0);
      EXPECT_LE(z[1], 3.0);
    }
  }
}

// A log-uniform prior is uniform on log x: with data that say nothing (an infinite standard error), the
// posterior is the prior, whose median is the geometric mean of its bounds.
TEST(AbcSmc, LogUniformPriorIsUniformOnTheLog) {
  const std::vector<abc::Prior> priors = {abc::parse_prior("k", "loguniform(0.01, 100)", "t:1")};
  abc::Settings s = settings(1000, 0);
  s.generations = 3;
  const auto gens = abc::run(priors, s, {0.0}, {INFINITY}, gaussian_model({1.0}));
  const auto post = abc::summarise(priors, gens.front());
  EXPECT_NEAR(std::log10(post.q50[0]), 0.0, 0.15);
  EXPECT_NEAR(std::log10(post.q025[0]), -2 + 0.1, 0.1);
}

// The same seed gives the same generations bit for bit, whatever order the simulations ran in.
TEST(AbcSmc, DeterministicAndIndependentOfSimulationOrder) {
  const std::vector<abc::Prior> priors = {abc::parse_prior("a", "normal(0, 1)", "t:1"),
                                          abc::parse_prior("b", "truncnormal(1, 2, 0, 4)", "t:2")};
  abc::Settings s = settings(200, 0.3);
  const auto model = gaussian_model({1.0, 0.5});
  auto reversed = [&](int g, int m, const std::vector<abc::Proposal>& batch) {
    std::vector<abc::Proposal> rev(batch.rbegin(), batch.rend());
    auto out = model(g, m, rev);
    return abc::Stats(out.rbegin(), out.rend());
  };
  const auto a = abc::run(priors, s, {0.3, 2.0}, {1.0, 0.5}, model);
  const auto b = abc::run(priors, s, {0.3, 2.0}, {1.0, 0.5}, reversed);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t g = 0; g < a.size(); ++g) {
    EXPECT_EQ(a[g].z, b[g].z);
    EXPECT_EQ(a[g].weight, b[g].weight);
    EXPECT_EQ(a[g].tolerance, b[g].tolerance);
  }
  s.seed = 12;
  const auto c = abc::run(priors, s, {0.3, 2.0}, {1.0, 0.5}, model);
  EXPECT_NE(a.front().z, c.front().z);
}

// Each generation after the prior's simulates one proposal per living particle inside the prior's support,
// and keeps an effective sample size of about alpha times the last one before resampling.
TEST(AbcSmc, OneBatchPerGenerationAndAdaptiveTolerance) {
  const std::vector<abc::Prior> priors = {abc::parse_prior("theta", "uniform(-3, 3)", "t:1")};
  int calls = 0;
  abc::Settings s = settings(300, 0);
  s.generations = 6;
  s.resample_below = 0.0;  // never resample: the effective sample size falls by alpha each time
  const auto gens = abc::run(priors, s, {0.0}, {1.0}, gaussian_model({1.0}, &calls));
  ASSERT_EQ(gens.size(), 7u);
  std::size_t simulated = 0;
  for (const auto& g : gens) {
    simulated += g.simulated;
    EXPECT_LE(g.simulated, g.index == 0 ? 300u : g.proposed);
  }
  EXPECT_EQ(static_cast<std::size_t>(calls), simulated);
  for (std::size_t g = 1; g < gens.size(); ++g) {
    EXPECT_FALSE(gens[g].resampled);
    EXPECT_GE(gens[g].ess, 0.9 * gens[g - 1].ess * 0.97);  // distances are discrete: a step may undershoot
    EXPECT_LT(gens[g].tolerance, gens[g - 1].tolerance);
  }
}

TEST(AbcSmc, AScheduledToleranceNoParticleMeetsIsAnError) {
  const std::vector<abc::Prior> priors = {abc::parse_prior("theta", "uniform(10, 11)", "t:1")};
  abc::Settings s = settings(50, 0);
  s.schedule = {1e-9};
  EXPECT_THROW(abc::run(priors, s, {0.0}, {1.0}, gaussian_model({1.0})), std::runtime_error);
}

// A truncated normal far in its upper tail (where the CDF rounds to 1) still draws across its whole support.
TEST(AbcSmc, TruncatedNormalDrawsInAFarTail) {
  const abc::Prior p = abc::parse_prior("k", "truncnormal(0, 1, 10, 11)", "t:1");
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    Rng r(5, Purpose::kCalibration, i, 0);
    const double z = p.draw(r);
    lo = std::min(lo, z);
    hi = std::max(hi, z);
    sum += z;
  }
  EXPECT_GE(lo, 10.0);
  EXPECT_LE(hi, 11.0);
  EXPECT_GT(hi, 10.2);  // not every draw clamped to the lower bound
  // The mean of N(0, 1) truncated to [10, 11] is about 10.098 (phi(10) / (1 - Phi(10)) for the tail).
  EXPECT_NEAR(sum / 2000, 10.098, 0.01);
}

TEST(AbcSmc, PriorsAreParsedOrRefusedWithTheirLine) {
  EXPECT_EQ(abc::parse_prior("k", "loguniform(0.1, 10)", "f:3").text(), "loguniform(0.1, 10)");
  EXPECT_EQ(abc::parse_prior("k", "truncnormal(0.5, 0.1, 0, 1)", "f:3").upper(), 1.0);
  for (const char* bad : {"uniform(1, 0)", "loguniform(0, 1)", "normal(0, -1)", "normal(0)", "beta(1, 2)",
                          "uniform(a, 1)", "uniform 0 1", "truncnormal(0, 1, 2, 1)"}) {
    try {
      abc::parse_prior("k", bad, "f:3");
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("f:3: key 'k': ", 0), 0u) << e.what();
    }
  }
}

}  // namespace
}  // namespace govsim
