// Means with t-intervals (95% unless asked) across replicates, and paired differences under common random
// numbers.
#pragma once

#include <vector>

namespace govsim {

struct Interval {
  double mean = 0, lo = 0, hi = 0;
  int n = 0;
  bool excludes_zero() const { return n > 1 && (lo > 0 || hi < 0); }
};

// Student-t quantile t_{(1 + level) / 2, df} (Boost.Math), for two-sided intervals at `level` (0-1); NaN for
// df < 1 or a level outside (0, 1).
double t_quantile(double level, int df);
double t_quantile_975(int df);  // t_quantile(0.95, df)

// Mean and t-interval at `level` of `x` (NaNs are skipped).
Interval mean_interval(const std::vector<double>& x, double level = 0.95);

// Interval at `level` of the paired differences a[i] - b[i] (pairs with a NaN are skipped).
Interval paired_difference(const std::vector<double>& a, const std::vector<double>& b, double level = 0.95);

}  // namespace govsim
