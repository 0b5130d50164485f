#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <vector>

#include "core/rng.h"

namespace govsim {
namespace {

TEST(Rng, SameKeySameDraws) {
  Rng a(42, Purpose::kDemandCount, 17, 3), b(42, Purpose::kDemandCount, 17, 3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u32(), b.next_u32());
}

TEST(Rng, EveryKeyComponentChangesTheStream) {
  const auto first = [](std::uint64_t seed, Purpose p, std::uint32_t e, std::uint32_t d) {
    Rng r(seed, p, e, d);
    return std::vector<std::uint32_t>{r.next_u32(), r.next_u32(), r.next_u32(), r.next_u32(), r.next_u32()};
  };
  const auto base = first(42, Purpose::kDemandCount, 17, 3);
  EXPECT_NE(base, first(43, Purpose::kDemandCount, 17, 3));
  EXPECT_NE(base, first(42ull | (1ull << 40), Purpose::kDemandCount, 17, 3));  // high seed bits count too
  EXPECT_NE(base, first(42, Purpose::kReporting, 17, 3));
  EXPECT_NE(base, first(42, Purpose::kDemandCount, 18, 3));
  EXPECT_NE(base, first(42, Purpose::kDemandCount, 17, 4));
}

TEST(Rng, DrawsDoNotDependOnThreads) {
  // Each entity's draws are the same whichever thread makes them and in whatever order.
  const int n = 2000;
  std::vector<double> serial(n), parallel(n);
  for (int e = 0; e < n; ++e) serial[e] = Rng(9, Purpose::kOpinion, static_cast<std::uint32_t>(e), 5).uniform();
  omp_set_num_threads(2);
#pragma omp parallel for schedule(dynamic, 7)
  for (int e = n - 1; e >= 0; --e) parallel[e] = Rng(9, Purpose::kOpinion, static_cast<std::uint32_t>(e), 5).uniform();
  EXPECT_EQ(serial, parallel);
}

TEST(Rng, UniformIsOpenInterval) {
  Rng r(1, Purpose::kPopulation, 0, 0);
  double lo = 1, hi = 0, sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = r.uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  EXPECT_GT(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

class PoissonMoments : public ::testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MeanAndVarianceMatchLambda) {
  const double lambda = GetParam();
  const int n = 200000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    Rng r(7, Purpose::kDemandCount, static_cast<std::uint32_t>(i), 0);
    const double k = r.poisson(lambda);
    s += k;
    s2 += k * k;
  }
  const double mean = s / n, var = s2 / n - mean * mean;
  // Standard error of the mean is sqrt(lambda / n); allow 5 of them.
  EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / n));
  EXPECT_NEAR(var / lambda, 1.0, 0.03);
}

INSTANTIATE_TEST_SUITE_P(SmallAndLarge, PoissonMoments, ::testing::Values(0.3, 3.0, 29.0, 31.0, 250.0));

TEST(Rng, LognormalHasTheRequestedMean) {
  double s = 0;
  const int n = 200000;
  Rng r(3, Purpose::kDemandTraits, 0, 0);
  for (int i = 0; i < n; ++i) s += r.lognormal_mean(4.0, 0.8);
  EXPECT_NEAR(s / n, 4.0, 0.05);
}

TEST(Rng, DerivedSeedsDifferByReplicate) {
  EXPECT_NE(derive_seed(1, 0), derive_seed(1, 1));
  EXPECT_EQ(derive_seed(1, 5), derive_seed(1, 5));
  EXPECT_NE(derive_seed(1, 0), derive_seed(2, 0));
}

}  // namespace
}  // namespace govsim
