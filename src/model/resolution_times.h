// Resolution-time quantiles: the day's exact 90th percentile, and a run-wide log histogram for the run's
// median and 90th percentile without keeping every time.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace govsim {

// Run-wide histogram of log10(hours): 0.001 decades (0.23%) from 10^-1 to 10^6 hours.
inline constexpr double kHistLo = -1.0, kHistWidth = 0.001;
inline constexpr int kHistBins = 7000;

inline int hist_bin(float hours) {
  const int b = static_cast<int>(std::floor((std::log10(std::max(hours, 1e-3f)) - kHistLo) / kHistWidth));
  return std::clamp(b, 0, kHistBins - 1);
}

inline double quantile_from_hist(const std::vector<double>& h, double q) {
  const double total = std::accumulate(h.begin(), h.end(), 0.0);
  if (total <= 0) return std::nan("");
  double cum = 0;
  for (int i = 0; i < kHistBins; ++i) {
    cum += h[i];
    if (cum >= q * total) return std::pow(10.0, kHistLo + (i + 0.5) * kHistWidth);
  }
  return std::pow(10.0, kHistLo + kHistBins * kHistWidth);
}

// Nearest-rank 90th percentile (reorders v).
inline double p90(std::vector<float>& v) {
  if (v.empty()) return 0.0;
  const auto k = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(v.size()))) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace govsim
