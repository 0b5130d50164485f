// Prints the first N points of the D-dimensional unscrambled Sobol' sequence (design::sobol), one point per
// line, coordinates with 17 significant digits, for check_sobol_scipy.py.
// Usage: govsim_print_sobol N D [SKIP]
#include <cstdio>
#include <cstdlib>

#include "experiment/design.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: govsim_print_sobol N D [SKIP]\n");
    return 2;
  }
  const auto n = std::strtoull(argv[1], nullptr, 10);
  const auto d = std::strtoull(argv[2], nullptr, 10);
  const auto skip = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 0ull;
  for (const auto& x : govsim::design::sobol(n, d, skip)) {
    for (std::size_t j = 0; j < x.size(); ++j) std::printf("%s%.17g", j ? " " : "", x[j]);
    std::printf("\n");
  }
  return 0;
}
