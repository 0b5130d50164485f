// Stylised facts as checks on a comparison: the direction of a paired effect with a 95% interval that
// excludes zero, or a calibrated value within a stated tolerance.
#pragma once

#include <string>
#include <vector>

#include "experiment/comparison.h"
#include "experiment/stats.h"

namespace govsim {

struct Check {
  std::string name;
  std::string metric;
  std::string a, b;       // arms; b is empty for a calibration check
  // '>': a - b > 0; '<': a - b < 0; '=': a - b within +- tol (equivalence); '~': mean of a within tol of target
  char op = '>';
  double target = 0, tol = 0;
  std::string where;      // file:line
};

// Parses "METRIC: A > B", "METRIC: A < B", "METRIC: A = B +- TOL" or "METRIC: A ~ TARGET +- TOL"; throws
// InputError naming `where`.
Check parse_check(const std::string& name, const std::string& text, const std::string& where);

struct Verdict {
  Check check;
  Interval effect;  // paired difference a - b, or a's mean with its interval for '~'
  bool pass = false;
};

Verdict evaluate(const Check& check, const Comparison& cmp);

}  // namespace govsim
