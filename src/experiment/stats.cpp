#include "experiment/stats.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>

namespace govsim {

double t_quantile(double level, int df) {
  if (df < 1 || !(level > 0 && level < 1)) return std::nan("");
  // Boost.Math's Student t: the upper (1 - level) / 2 tail, for a two-sided interval at `level`.
  const boost::math::students_t t(static_cast<double>(df));
  return boost::math::quantile(boost::math::complement(t, (1 - level) / 2));
}

double t_quantile_975(int df) {
  return t_quantile(0.95, df);
}

Interval mean_interval(const std::vector<double>& x, double level) {
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
  const double half = t_quantile(level, r.n - 1) * std::sqrt(ss / (r.n - 1) / r.n);
  r.lo = r.mean - half;
  r.hi = r.mean + half;
  return r;
}

Interval paired_difference(const std::vector<double>& a, const std::vector<double>& b, double level) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_difference: unequal replicate counts");
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return mean_interval(d, level);
}

}  // namespace govsim
