#include "core/rng.h"

namespace govsim {

std::uint32_t Rng::poisson(double lambda) {
  if (lambda <= 0.0) return 0;
  if (lambda < 30.0) {
    // Inversion by sequential search: exact, cost O(lambda).
    const double u = uniform();
    double p = std::exp(-lambda);
    double cdf = p;
    std::uint32_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
  // Hormann's PTRS transformed rejection (1993), exact for lambda >= 10.
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint32_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - std::lgamma(k + 1.0))
      return static_cast<std::uint32_t>(k);
  }
}

}  // namespace govsim
