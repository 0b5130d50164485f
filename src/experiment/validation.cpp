#include "experiment/validation.h"

#include <cmath>
#include <sstream>

#include "params/registry.h"
#include "util/text.h"

namespace govsim {

Check parse_check(const std::string& name, const std::string& text, const std::string& where) {
  Check c;
  c.name = name;
  c.where = where;
  const auto colon = text.rfind(": ");
  auto fail = [&](const std::string& why) {
    throw InputError(where + ": check '" + name + "': " + why +
                     " (expected 'METRIC: arm_a > arm_b', 'METRIC: arm_a < arm_b', 'METRIC: arm_a = arm_b +- TOL' or "
                     "'METRIC: arm ~ VALUE +- TOL')");
  };
  if (colon == std::string::npos) fail("no ': ' after the metric");
  c.metric = trim(text.substr(0, colon));
  if (!is_known_metric_form(c.metric)) fail("unknown metric '" + c.metric + "'");
  std::istringstream rest(text.substr(colon + 2));
  std::string op;
  rest >> c.a >> op;
  if (op == ">" || op == "<") {
    c.op = op[0];
    rest >> c.b;
    if (c.b.empty()) fail("no second arm");
  } else if (op == "=") {  // equivalence: the paired difference's interval lies within +- TOL
    c.op = '=';
    std::string pm, tol;
    rest >> c.b >> pm >> tol;
    if (c.b.empty() || pm != "+-") fail("expected 'arm_a = arm_b +- TOL'");
    try {
      c.tol = parse_real(tol);
    } catch (const std::invalid_argument&) {
      fail("the tolerance must be a number");
    }
    if (!(c.tol >= 0)) fail("the tolerance must be zero or more, got '" + tol + "'");
  } else if (op == "~") {
    c.op = '~';
    std::string target, pm, tol;
    rest >> target >> pm >> tol;
    if (pm != "+-") fail("expected '+-' after the target");
    try {
      c.target = parse_real(target);
      c.tol = parse_real(tol);
    } catch (const std::invalid_argument&) {
      fail("target and tolerance must be numbers");
    }
    if (!(c.tol >= 0)) fail("the tolerance must be zero or more, got '" + tol + "'");
  } else {
    fail("unknown comparison '" + op + "'");
  }
  std::string extra;
  if (rest >> extra) fail("unexpected '" + extra + "'");
  return c;
}

Verdict evaluate(const Check& check, const Comparison& cmp) {
  Verdict v;
  v.check = check;
  const std::size_t a = cmp.arm_index(check.a);
  if (a == cmp.names().size()) throw InputError(check.where + ": check '" + check.name + "': no arm '" + check.a + "'");
  std::vector<double> xa, xb;
  for (const auto& r : cmp.results()[a]) xa.push_back(run_value(r, check.metric));
  if (check.op == '~') {
    v.effect = mean_interval(xa);
    v.pass = std::fabs(v.effect.mean - check.target) <= check.tol;
    return v;
  }
  const std::size_t b = cmp.arm_index(check.b);
  if (b == cmp.names().size()) throw InputError(check.where + ": check '" + check.name + "': no arm '" + check.b + "'");
  for (const auto& r : cmp.results()[b]) xb.push_back(run_value(r, check.metric));
  v.effect = paired_difference(xa, xb);
  if (check.op == '=')
    v.pass = v.effect.n > 1 && v.effect.lo >= -check.tol && v.effect.hi <= check.tol;
  else
    v.pass = check.op == '>' ? v.effect.n > 1 && v.effect.lo > 0 : v.effect.n > 1 && v.effect.hi < 0;
  return v;
}

}  // namespace govsim
