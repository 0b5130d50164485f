#include <gtest/gtest.h>

#include <cmath>

#include "experiment/stats.h"

namespace govsim {
namespace {

TEST(Stats, TQuantilesMatchTables) {
  // t_{0.975, df} from standard tables.
  const std::pair<int, double> table[] = {{1, 12.706}, {2, 4.303}, {3, 3.182}, {4, 2.776}, {5, 2.571},
                                          {9, 2.262},  {19, 2.093}, {29, 2.045}, {31, 2.040}, {40, 2.021}, {100, 1.984}};
  for (auto [df, t] : table) EXPECT_NEAR(t_quantile_975(df), t, 2e-3) << "df " << df;
}

TEST(Stats, TQuantilesAtAnyLevel) {
  // Boost.Math against scipy.stats.t.ppf (they agree to 1e-9: their root finders stop at different digits).
  EXPECT_NEAR(t_quantile(0.95, 2), 4.302652729911275, 1e-9);
  EXPECT_NEAR(t_quantile(0.90, 10), 1.8124611228107335, 1e-9);
  EXPECT_NEAR(t_quantile(0.99, 5), 4.032142983557536, 1e-9);
  EXPECT_TRUE(std::isnan(t_quantile(0.95, 0)));
  EXPECT_TRUE(std::isnan(t_quantile(1.0, 5)));
  // A wider level, a wider interval.
  const std::vector<double> x = {1, 2, 3, 4};
  EXPECT_GT(mean_interval(x, 0.99).hi, mean_interval(x, 0.95).hi);
  EXPECT_LT(mean_interval(x, 0.80).hi, mean_interval(x, 0.95).hi);
}

TEST(Stats, MeanIntervalByHand) {
  // x = 1, 2, 3, 4: mean 2.5, sd sqrt(5/3), half-width 3.182 * sd / 2.
  const Interval iv = mean_interval({1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(iv.mean, 2.5);
  EXPECT_NEAR(iv.hi - iv.mean, 3.182446 * std::sqrt(5.0 / 3.0) / 2.0, 1e-6);
  EXPECT_TRUE(iv.excludes_zero());
}

TEST(Stats, PairedDifferenceRemovesTheCommonPart) {
  // Large common variation, constant difference of 1: the paired interval is exactly {1}.
  const Interval d = paired_difference({11, 101, 1001}, {10, 100, 1000});
  EXPECT_DOUBLE_EQ(d.mean, 1.0);
  EXPECT_DOUBLE_EQ(d.lo, 1.0);
  EXPECT_DOUBLE_EQ(d.hi, 1.0);
  EXPECT_FALSE(paired_difference({1, 2}, {2, 1}).excludes_zero());
  EXPECT_TRUE(std::isnan(mean_interval({}).mean));
}

}  // namespace
}  // namespace govsim
