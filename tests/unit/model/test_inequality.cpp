// Inequality between communities: the Gini coefficient and the worst decile on hand-made numbers, and the
// recorded district metrics against the per-community series they are computed from.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "../tiny_world.h"
#include "core/population.h"
#include "model/inequality.h"
#include "model/simulation.h"

namespace govsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Equal within `tol`, or both NaN (no community had a resolution yet).
void expect_same(double got, double want, double tol, int day) {
  if (std::isnan(want))
    EXPECT_TRUE(std::isnan(got)) << day;
  else
    EXPECT_NEAR(got, want, tol) << day;
}

TEST(Inequality, GiniOnHandMadeExamples) {
  EXPECT_DOUBLE_EQ(gini({0.4, 0.4, 0.4, 0.4}), 0.0);
  // sum |x_i - x_j| over ordered pairs = 20, 2 n^2 mean = 2 * 16 * 2.5 = 80
  EXPECT_DOUBLE_EQ(gini({1, 2, 3, 4}), 0.25);
  EXPECT_DOUBLE_EQ(gini({4, 1, 3, 2}), 0.25);              // order does not matter
  EXPECT_DOUBLE_EQ(gini({0, 0, 0, 1}), 0.75);              // one holds everything: (n - 1) / n
  EXPECT_DOUBLE_EQ(gini({10, 20, 30, 40}), 0.25);          // scale-free
  EXPECT_DOUBLE_EQ(gini({1, kNaN, 2, 3, kNaN, 4}), 0.25);  // communities without a value take no part
  EXPECT_DOUBLE_EQ(gini({0, 0}), 0.0);
  EXPECT_TRUE(std::isnan(gini({})));
  EXPECT_TRUE(std::isnan(gini({kNaN})));
  // Two groups of two: 0.2 and 0.6. Pairs across groups differ by 0.4: 8 ordered pairs, 3.2; 2 n^2 mean
  // = 12.8.
  EXPECT_NEAR(gini({0.2, 0.6, 0.2, 0.6}), 0.25, 1e-15);
}

TEST(Inequality, WorstDecileOnHandMadeExamples) {
  std::vector<double> x;
  for (int i = 1; i <= 20; ++i) x.push_back(i);
  EXPECT_DOUBLE_EQ(worst_decile(x, /*low_is_worse=*/true), 1.5);    // the lowest 2 of 20
  EXPECT_DOUBLE_EQ(worst_decile(x, /*low_is_worse=*/false), 19.5);  // the highest 2 of 20
  x.push_back(21);                                                  // 21 values: ceil(2.1) = 3 worst
  EXPECT_DOUBLE_EQ(worst_decile(x, true), 2.0);
  EXPECT_DOUBLE_EQ(worst_decile(x, false), 20.0);
  EXPECT_DOUBLE_EQ(worst_decile({0.3, 0.5, 0.1, 0.7}, true), 0.1);  // fewer than ten: the single worst
  EXPECT_DOUBLE_EQ(worst_decile({0.3, kNaN, 0.5}, false), 0.5);
  EXPECT_TRUE(std::isnan(worst_decile({}, true)));
}

TEST(Inequality, RecordedMetricsFollowTheCommunities) {
  Params p = testing::small_district(12, 60);
  Simulation sim(p, generate_world(p, 7), 7);
  sim.run();
  const Recorder& r = sim.recorder();
  const auto C = static_cast<std::size_t>(r.communities());
  const auto& good = r.by_community(r.index("share_good"));
  const auto& resolved = r.by_community(r.index("new_resolved"));
  const auto& hours = r.by_community(r.index("mean_resolution_hours"));
  for (int day : {0, 10, 45, 59}) {
    std::vector<double> g(C), h(C);
    for (std::size_t c = 0; c < C; ++c) {
      g[c] = good[c * 60 + day];
      // the community's mean over the last 30 days, weighted by resolutions
      double sum = 0, n = 0;
      for (int d = std::max(0, day - 29); d <= day; ++d) {
        const double k = resolved[c * 60 + d];
        if (k > 0) sum += k * hours[c * 60 + d], n += k;
      }
      h[c] = n > 0 ? sum / n : kNaN;
    }
    // by-community series are float32, so agreement to float precision
    expect_same(r.at("gini_share_good", day), gini(g), 1e-6, day);
    expect_same(r.at("worst_decile_share_good", day), worst_decile(g, true), 1e-6, day);
    expect_same(r.at("gini_resolution_hours", day), gini(h), 1e-5, day);
    expect_same(r.at("worst_decile_resolution_hours", day), worst_decile(h, false), 1e-3, day);
  }
  EXPECT_GT(r.at("gini_share_good", 59), 0.0);
  EXPECT_LE(r.at("worst_decile_share_good", 59), r.at("share_good", 59));
  EXPECT_GE(r.at("worst_decile_resolution_hours", 59), 0.0);
  const RunSummary s = sim.summary();
  EXPECT_EQ(s.gini_share_good, r.at("gini_share_good", 59));
  EXPECT_EQ(s.worst_decile_share_good, r.at("worst_decile_share_good", 59));
  EXPECT_GT(s.gini_resolution_hours, 0.0);
  EXPECT_GT(s.worst_decile_resolution_hours, 0.0);
}

}  // namespace
}  // namespace govsim
