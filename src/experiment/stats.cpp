#include "experiment/stats.h"

#include <cmath>
#include <stdexcept>

namespace govsim {

double t_quantile_975(int df) {
  if (df < 1) return std::nan("");
  // Tabulated up to 30 degrees of freedom; beyond, the Cornish-Fisher expansion in 1/df (Abramowitz &
  // Stegun 26.7.5), within 1e-5 there.
  static const double table[30] = {12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624,
                                   2.306004,  2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787,
                                   2.131450,  2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614,
                                   2.073873,  2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407,
                                   2.045230,  2.042272};
  if (df <= 30) return table[df - 1];
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
