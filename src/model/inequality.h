// Inequality between communities (docs/ODD.md §7.9): the Gini coefficient of per-community values and the
// mean of the worst tenth of them. Pure functions, so a test can check them on numbers worked out by hand.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace govsim {

// Days over which a community's mean resolution time is taken for the daily inequality metrics.
inline constexpr int kInequalityWindowDays = 30;

// Values that are not finite (a community with no resolutions) take no part.
inline std::vector<double> finite_sorted(std::vector<double> x) {
  x.erase(std::remove_if(x.begin(), x.end(), [](double v) { return !std::isfinite(v); }), x.end());
  std::sort(x.begin(), x.end());
  return x;
}

// Gini coefficient of non-negative values, sum |x_i - x_j| / (2 n^2 mean): 0 when all are equal, (n-1)/n when
// one holds everything. 0 when all are 0; NaN when none is finite.
inline double gini(std::vector<double> values) {
  const auto x = finite_sorted(std::move(values));
  const auto n = static_cast<double>(x.size());
  if (x.empty()) return std::numeric_limits<double>::quiet_NaN();
  double total = 0, ranked = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    total += x[i];
    ranked += static_cast<double>(i + 1) * x[i];
  }
  if (total <= 0) return 0.0;
  return 2.0 * ranked / (n * total) - (n + 1.0) / n;
}

// Mean of the worst ceil(n / 10) values (one value at least): the lowest when `low_is_worse` (share good),
// else the highest (resolution hours). NaN when none is finite.
inline double worst_decile(std::vector<double> values, bool low_is_worse) {
  const auto x = finite_sorted(std::move(values));
  if (x.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t k = (x.size() + 9) / 10;
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) sum += low_is_worse ? x[i] : x[x.size() - 1 - i];
  return sum / static_cast<double>(k);
}

}  // namespace govsim
