#include "experiment/design.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/rng.h"
#include "experiment/sobol_directions.h"

namespace govsim::design {

namespace {

// scipy.stats.qmc.Sobol's default: 30-bit integers scaled by 2^-30, at most 2^30 points.
constexpr int kSobolBits = 30;
constexpr std::uint64_t kSobolMaxPoints = std::uint64_t{1} << kSobolBits;

// Direction numbers v[d][k] (k = 0..bits-1, already shifted to the top of the 30 bits), as scipy's
// _initialize_v builds them: dimension 0 all ones (van der Corput), the others from the Joe & Kuo
// polynomial and initial numbers by the recurrence of Bratley & Fox (1988).
std::vector<std::uint32_t> direction_numbers(std::size_t d) {
  std::vector<std::uint32_t> v(d * kSobolBits);
  for (std::size_t j = 0; j < d; ++j) {
    std::uint32_t* row = &v[j * kSobolBits];
    if (j == 0) {
      for (int k = 0; k < kSobolBits; ++k) row[k] = 1;
    } else {
      const std::uint32_t p = sobol_table::kPoly[j];
      const int m = std::bit_width(p) - 1;
      for (int k = 0; k < m; ++k) row[k] = sobol_table::kVinit[j][k];
      for (int k = m; k < kSobolBits; ++k) {
        std::uint32_t nv = row[k - m];
        std::uint32_t pow2 = 1;
        for (int i = 0; i < m; ++i) {
          pow2 <<= 1;
          if ((p >> (m - 1 - i)) & 1u) nv ^= pow2 * row[k - i - 1];
        }
        row[k] = nv;
      }
    }
    for (int k = 0; k < kSobolBits; ++k) row[k] <<= (kSobolBits - 1 - k);
  }
  return v;
}

}  // namespace

std::vector<std::vector<std::size_t>> factorial(const std::vector<std::size_t>& sizes) {
  std::size_t total = 1;
  for (std::size_t s : sizes) total *= s;  // no factors: one empty tuple
  std::vector<std::vector<std::size_t>> out;
  out.reserve(total);
  std::vector<std::size_t> idx(sizes.size(), 0);
  for (std::size_t r = 0; r < total; ++r) {
    out.push_back(idx);
    for (std::size_t f = sizes.size(); f-- > 0;) {  // odometer: the last factor turns fastest
      if (++idx[f] < sizes[f]) break;
      idx[f] = 0;
    }
  }
  return out;
}

std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed) {
  if (n > 0xFFFFFFFFu || d > 0xFFFFFFFFu)
    throw std::invalid_argument("latin_hypercube: n and d must be below 2^32");
  std::vector<std::vector<double>> x(n, std::vector<double>(d));
  std::vector<std::uint32_t> perm(n);
  const double width = 1.0 / static_cast<double>(n);
  for (std::size_t j = 0; j < d; ++j) {
    // Each draw is keyed by (seed, dimension, index), so a design does not depend on how it is computed.
    std::iota(perm.begin(), perm.end(), 0u);
    for (std::size_t i = n; i-- > 1;) {  // Fisher-Yates
      Rng rng(seed, Purpose::kDesignLhs, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i), 0);
      std::swap(perm[i], perm[rng.below(static_cast<std::uint32_t>(i + 1))]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      Rng rng(seed, Purpose::kDesignLhs, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i), 1);
      const double lo = perm[i] * width;
      const double v = (perm[i] + rng.uniform()) * width;
      // Rounding must not carry a point into the next stratum.
      x[i][j] = std::min(std::max(v, lo), std::nextafter((perm[i] + 1.0) * width, 0.0));
    }
  }
  return x;
}

std::size_t sobol_max_dims() {
  return static_cast<std::size_t>(sobol_table::kDims);
}

std::vector<std::vector<double>> sobol(std::size_t n, std::size_t d, std::size_t skip) {
  if (d == 0 || d > sobol_max_dims())
    throw std::invalid_argument("sobol: dimension must be 1.." + std::to_string(sobol_max_dims()));
  if (static_cast<std::uint64_t>(n) + skip > kSobolMaxPoints)
    throw std::invalid_argument("sobol: at most 2^30 points");
  const auto v = direction_numbers(d);
  // Gray-code order, as scipy: point i is the XOR of v[k] over the bits k of i ^ (i >> 1).
  std::vector<std::uint32_t> q(d, 0);
  const std::uint64_t gray = skip ^ (skip >> 1);
  for (int k = 0; k < kSobolBits; ++k)
    if ((gray >> k) & 1u)
      for (std::size_t j = 0; j < d; ++j) q[j] ^= v[j * kSobolBits + k];
  const double scale = 1.0 / static_cast<double>(kSobolMaxPoints);
  std::vector<std::vector<double>> x(n, std::vector<double>(d));
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) {  // from point skip+i-1 to skip+i, one bit of the Gray code flips
      const int k = std::countr_zero(static_cast<std::uint64_t>(skip + i));
      for (std::size_t j = 0; j < d; ++j) q[j] ^= v[j * kSobolBits + k];
    }
    for (std::size_t j = 0; j < d; ++j) x[i][j] = q[j] * scale;
  }
  return x;
}

std::vector<SampleRow> saltelli(std::size_t n, std::size_t d) {
  if (d == 0 || 2 * d > sobol_max_dims())
    throw std::invalid_argument("saltelli: dimension must be 1.." + std::to_string(sobol_max_dims() / 2));
  const auto base = sobol(n, 2 * d, 1);  // the origin skipped
  std::vector<SampleRow> rows;
  rows.reserve(n * (d + 2));
  for (std::size_t j = 0; j < n; ++j) {
    const auto g = static_cast<std::int64_t>(j);
    const std::vector<double> a(base[j].begin(), base[j].begin() + static_cast<std::ptrdiff_t>(d));
    const std::vector<double> b(base[j].begin() + static_cast<std::ptrdiff_t>(d), base[j].end());
    rows.push_back({a, "A", g});
    for (std::size_t i = 0; i < d; ++i) {
      auto ab = a;
      ab[i] = b[i];
      rows.push_back({std::move(ab), "AB" + std::to_string(i + 1), g});
    }
    rows.push_back({b, "B", g});
  }
  return rows;
}

std::vector<SampleRow> morris(std::size_t r, std::size_t d, int levels, std::uint64_t seed) {
  // With an even number of levels the step is a whole number of grid intervals, so every point is on the
  // grid.
  if (levels < 2 || levels % 2 != 0)
    throw std::invalid_argument("morris: levels must be even and at least 2");
  if (d == 0 || d > 50000) throw std::invalid_argument("morris: dimension must be 1..50000");
  if (r > 0xFFFFFFFFu) throw std::invalid_argument("morris: fewer than 2^32 trajectories");
  const auto p = static_cast<std::uint32_t>(levels);
  const std::uint32_t step = p / 2;  // delta = p / (2 (p - 1)) in grid intervals of 1 / (p - 1)
  const double unit = 1.0 / (p - 1);
  std::vector<SampleRow> rows;
  rows.reserve(r * (d + 1));
  std::vector<std::uint32_t> x(d), order(d);
  std::vector<int> dir(d);
  for (std::size_t t = 0; t < r; ++t) {
    Rng rng(seed, Purpose::kDesignMorris, static_cast<std::uint32_t>(t), 0);
    // Base point x* on the levels from which x* + delta is still on the grid; a factor moving down
    // starts at x* + delta (Campolongo et al. 2007, B* = J x* + (delta/2)((2B - J) D* + J)).
    for (std::size_t i = 0; i < d; ++i) {
      const std::uint32_t base = rng.below(p - step);
      dir[i] = rng.below(2) ? 1 : -1;
      x[i] = dir[i] > 0 ? base : base + step;
    }
    std::iota(order.begin(), order.end(), 0u);
    for (std::size_t i = d; i-- > 1;)
      std::swap(order[i], order[rng.below(static_cast<std::uint32_t>(i + 1))]);
    const auto g = static_cast<std::int64_t>(t);
    auto point = [&] {
      std::vector<double> u(d);
      for (std::size_t i = 0; i < d; ++i) u[i] = x[i] * unit;
      return u;
    };
    rows.push_back({point(), "step0", g});
    for (std::size_t k = 0; k < d; ++k) {
      const std::uint32_t f = order[k];
      x[f] = dir[f] > 0 ? x[f] + step : x[f] - step;
      rows.push_back({point(), "step" + std::to_string(k + 1) + ":" + std::to_string(f + 1), g});
    }
  }
  return rows;
}

}  // namespace govsim::design
