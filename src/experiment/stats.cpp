#include "experiment/stats.h"

#include <cmath>
#include <stdexcept>

namespace govsim {

double t_quantile_975(int df) {
  if (df < 1) return std::nan("");
  // Exact for 1 and 2 degrees of freedom; the Cornish-Fisher expansion in 1/df (Abramowitz & Stegun 26.7.5)
  // from 3 on.
  if (df == 1) return 12.706204736174707;
  if (df == 2) return 4.302652729749464;
  const double z = 1.959963984540054;
  const double n = df;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n) +
         (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * n * n * n * n);
}

Interval mean_interval(const std::vector<double>& x) {
  Interval r;
  double s = 0;
  for (double v : x)
    if (std::isfinite(v)) {
      s += v;
      ++r.n;
    }
  if (r.n == 0) return {std::nan(""), std::nan(""), std::nan(""), 0};
  r.mean = s / r.n;
  if (r.n == 1) {
    r.lo = r.hi = r.mean;
    return r;
  }
  double ss = 0;
  for (double v : x)
    if (std::isfinite(v)) ss += (v - r.mean) * (v - r.mean);
  const double half = t_quantile_975(r.n - 1) * std::sqrt(ss / (r.n - 1) / r.n);
  r.lo = r.mean - half;
  r.hi = r.mean + half;
  return r;
}

Interval paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_difference: unequal replicate counts");
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return mean_interval(d);
}

}  // namespace govsim
