// Means with 95% intervals across replicates, and paired differences under common random numbers.
#pragma once

#include <vector>

namespace govsim {

struct Interval {
  double mean = 0, lo = 0, hi = 0;
  int n = 0;
  bool excludes_zero() const { return n > 1 && (lo > 0 || hi < 0); }
};

// Student-t quantile t_{0.975, df}, for two-sided 95% intervals.
double t_quantile_975(int df);

// Mean and t-interval of `x` (NaNs are skipped).
Interval mean_interval(const std::vector<double>& x);

// Interval of the paired differences a[i] - b[i] (pairs with a NaN are skipped).
Interval paired_difference(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace govsim
