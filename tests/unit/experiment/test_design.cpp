#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "experiment/design.h"

namespace govsim::design {
namespace {

TEST(Factorial, CountsAndTheLastFactorTurnsFastest) {
  const auto t = factorial({2, 3});
  ASSERT_EQ(t.size(), 6u);
  const std::vector<std::vector<std::size_t>> expected = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}};
  EXPECT_EQ(t, expected);
  EXPECT_EQ(factorial({4, 1, 5}).size(), 20u);
  EXPECT_EQ(factorial({}).size(), 1u);  // no factors: one point
  EXPECT_TRUE(factorial({}).front().empty());
  EXPECT_TRUE(factorial({3, 0}).empty());
}

TEST(LatinHypercube, EveryDimensionHasOnePointPerStratum) {
  for (const auto& [n, d] :
       std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {5, 3}, {16, 4}, {100, 7}})
    for (std::uint64_t seed : {1ull, 2ull, 12345ull}) {
      const auto x = latin_hypercube(n, d, seed);
      ASSERT_EQ(x.size(), n);
      for (std::size_t j = 0; j < d; ++j) {
        std::set<std::size_t> strata;
        for (const auto& p : x) {
          ASSERT_EQ(p.size(), d);
          ASSERT_GE(p[j], 0.0);
          ASSERT_LT(p[j], 1.0);
          strata.insert(static_cast<std::size_t>(std::floor(p[j] * static_cast<double>(n))));
        }
        EXPECT_EQ(strata.size(), n) << "n=" << n << " d=" << d << " seed=" << seed << " dimension " << j;
      }
    }
}

TEST(LatinHypercube, TheSeedKeysTheDesign) {
  EXPECT_EQ(latin_hypercube(20, 3, 7), latin_hypercube(20, 3, 7));
  EXPECT_NE(latin_hypercube(20, 3, 7), latin_hypercube(20, 3, 8));
  // Dimensions are independent streams: adding one leaves the others alone.
  const auto a = latin_hypercube(20, 2, 7), b = latin_hypercube(20, 3, 7);
  for (std::size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(a[i][0], b[i][0]);
    EXPECT_EQ(a[i][1], b[i][1]);
  }
}

TEST(Sobol, FirstPointsAreTheKnownOnes) {
  const auto x = sobol(8, 3);
  // Gray-code order, as scipy.stats.qmc.Sobol(3, scramble=False).random(8).
  const double d1[] = {0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125};
  const double d2[] = {0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625};
  const double d3[] = {0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375};
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(x[i][0], d1[i]) << i;
    EXPECT_EQ(x[i][1], d2[i]) << i;
    EXPECT_EQ(x[i][2], d3[i]) << i;
  }
}

TEST(Sobol, SkippingContinuesTheSameSequence) {
  const auto all = sobol(40, 6);
  const auto tail = sobol(30, 6, 10);
  for (std::size_t i = 0; i < 30; ++i) EXPECT_EQ(tail[i], all[i + 10]) << i;
}

TEST(Sobol, EveryCoordinateOfTheFirstPowerOfTwoPointsIsAGridPoint) {
  // The first 2^m points take each value k / 2^m exactly once per dimension.
  const auto x = sobol(64, 20);
  for (std::size_t j = 0; j < 20; ++j) {
    std::set<double> v;
    for (const auto& p : x) v.insert(p[j] * 64);
    EXPECT_EQ(v.size(), 64u) << j;
    for (double k : v) EXPECT_EQ(k, std::floor(k));
  }
}

TEST(Sobol, DimensionLimits) {
  EXPECT_EQ(sobol_max_dims(), 1000u);
  EXPECT_THROW(sobol(4, 0), std::invalid_argument);
  EXPECT_THROW(sobol(4, 1001), std::invalid_argument);
  EXPECT_NO_THROW(sobol(4, 1000));
}

TEST(Saltelli, RowsAndColumnsFollowTheLayout) {
  const std::size_t n = 8, d = 3;
  const auto rows = saltelli(n, d);
  ASSERT_EQ(rows.size(), n * (d + 2));
  const auto base = sobol(n, 2 * d, 1);
  for (std::size_t j = 0; j < n; ++j) {
    const auto* g = &rows[j * (d + 2)];
    const std::vector<double> a(base[j].begin(), base[j].begin() + d), b(base[j].begin() + d, base[j].end());
    EXPECT_EQ(g[0].block, "A");
    EXPECT_EQ(g[0].u, a);
    EXPECT_EQ(g[d + 1].block, "B");
    EXPECT_EQ(g[d + 1].u, b);
    for (std::size_t i = 0; i < d; ++i) {
      const auto& ab = g[1 + i];
      EXPECT_EQ(ab.block, "AB" + std::to_string(i + 1));
      for (std::size_t k = 0; k < d; ++k)
        EXPECT_EQ(ab.u[k], k == i ? b[k] : a[k]) << "AB" << i + 1 << " col " << k;
    }
    for (std::size_t r = 0; r < d + 2; ++r) EXPECT_EQ(g[r].group, static_cast<std::int64_t>(j));
  }
}

TEST(Morris, EachStepMovesOneFactorByDeltaOnTheGrid) {
  const std::size_t r = 12, d = 5;
  for (int levels : {2, 4, 6}) {
    const auto rows = morris(r, d, levels, 42);
    ASSERT_EQ(rows.size(), r * (d + 1));
    const double delta = levels / (2.0 * (levels - 1));
    for (std::size_t t = 0; t < r; ++t) {
      const auto* tr = &rows[t * (d + 1)];
      EXPECT_EQ(tr[0].block, "step0");
      std::set<std::size_t> changed;
      for (std::size_t k = 0; k <= d; ++k) {
        EXPECT_EQ(tr[k].group, static_cast<std::int64_t>(t));
        for (double v : tr[k].u) {  // on the grid {0, 1/(p-1), ..., 1}
          EXPECT_GE(v, 0.0);
          EXPECT_LE(v, 1.0);
          EXPECT_NEAR(v * (levels - 1), std::round(v * (levels - 1)), 1e-12);
        }
        if (k == 0) continue;
        std::size_t moved = d;
        int n_moved = 0;
        for (std::size_t i = 0; i < d; ++i)
          if (tr[k].u[i] != tr[k - 1].u[i]) {
            moved = i;
            ++n_moved;
            EXPECT_NEAR(std::fabs(tr[k].u[i] - tr[k - 1].u[i]), delta, 1e-12);
          }
        ASSERT_EQ(n_moved, 1) << "trajectory " << t << " step " << k;
        EXPECT_EQ(tr[k].block, "step" + std::to_string(k) + ":" + std::to_string(moved + 1));
        changed.insert(moved);
      }
      EXPECT_EQ(changed.size(), d) << "every factor moves once per trajectory";
    }
  }
}

TEST(Morris, TheSeedKeysTheTrajectoriesAndLevelsMustBeEven) {
  auto points = [](const std::vector<SampleRow>& rows) {
    std::vector<std::vector<double>> u;
    for (const auto& r : rows) u.push_back(r.u);
    return u;
  };
  EXPECT_EQ(points(morris(6, 4, 4, 1)), points(morris(6, 4, 4, 1)));
  EXPECT_NE(points(morris(6, 4, 4, 1)), points(morris(6, 4, 4, 2)));
  EXPECT_THROW(morris(6, 4, 5, 1), std::invalid_argument);
  EXPECT_THROW(morris(6, 4, 0, 1), std::invalid_argument);
}

}  // namespace
}  // namespace govsim::design
