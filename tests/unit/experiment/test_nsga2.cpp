// NSGA-II on ZDT1, whose Pareto front is known (docs/CALIBRATION.md, "Policy search"), and its pieces.
#include <gtest/gtest.h>

#include <cmath>

#include "experiment/nsga2.h"

namespace govsim {
namespace {

// ZDT1 (Zitzler, Deb & Thiele 2000): 30 variables in [0, 1]; f1 = x1, g = 1 + 9 sum(x2..x30) / 29,
// f2 = g (1 - sqrt(f1 / g)); the Pareto front is g = 1: f2 = 1 - sqrt(f1), f1 in [0, 1].
std::vector<nsga2::Evaluation> zdt1(const std::vector<std::vector<double>>& xs) {
  std::vector<nsga2::Evaluation> out;
  for (const auto& x : xs) {
    double s = 0;
    for (std::size_t i = 1; i < x.size(); ++i) s += x[i];
    const double g = 1 + 9 * s / static_cast<double>(x.size() - 1);
    out.push_back({{x[0], g * (1 - std::sqrt(x[0] / g))}, 0.0});
  }
  return out;
}

// Generational distance: the mean over the front's points of the distance to the nearest of 10,001 points
// of the true front.
double generational_distance(const nsga2::Population& p) {
  double sum = 0;
  int n = 0;
  for (std::size_t i = 0; i < p.f.size(); ++i) {
    if (p.rank[i] != 0) continue;
    double best = INFINITY;
    for (int k = 0; k <= 10000; ++k) {
      const double f1 = k / 10000.0, f2 = 1 - std::sqrt(f1);
      best = std::min(best, std::hypot(p.f[i].objectives[0] - f1, p.f[i].objectives[1] - f2));
    }
    sum += best;
    ++n;
  }
  return sum / n;
}

// Deb et al. (2002) report a convergence metric of 0.0334 (sd 0.0048) for real-coded NSGA-II on ZDT1 after
// 25,000 evaluations (population 100, 250 generations); here the bound is 0.01 for the generational distance
// with the same budget, and the front must span f1 from below 0.02 to above 0.98.
TEST(Nsga2, Zdt1FrontWithinABoundOfTheTrueFront) {
  std::vector<nsga2::Variable> vars(30, {0.0, 1.0, false});
  nsga2::Settings s;
  s.population = 100;
  s.generations = 250;
  s.seed = 3;
  int evaluations = 0;
  const auto gens = nsga2::run(vars, s, [&](int, const std::vector<std::vector<double>>& x) {
    evaluations += static_cast<int>(x.size());
    return zdt1(x);
  });
  EXPECT_EQ(evaluations, 100 * 251);
  const auto& last = gens.back();
  const double gd = generational_distance(last);
  EXPECT_LT(gd, 0.01) << "generational distance " << gd;
  RecordProperty("generational_distance", std::to_string(gd));
  double lo = INFINITY, hi = -INFINITY;
  int front = 0;
  for (std::size_t i = 0; i < last.f.size(); ++i)
    if (last.rank[i] == 0) {
      lo = std::min(lo, last.f[i].objectives[0]);
      hi = std::max(hi, last.f[i].objectives[0]);
      ++front;
    }
  EXPECT_LT(lo, 0.02);
  EXPECT_GT(hi, 0.98);
  EXPECT_GE(front, 90);
  // It improves: the first generation's front is far from the true one.
  EXPECT_GT(generational_distance(gens.front()), 10 * gd);
}

TEST(Nsga2, DeterministicWhateverTheEvaluationOrder) {
  std::vector<nsga2::Variable> vars = {{0.0, 1.0, false}, {0.0, 1.0, false}, {1.0, 5.0, true}};
  nsga2::Settings s;
  s.population = 20;
  s.generations = 10;
  auto f = [](const std::vector<std::vector<double>>& xs) {
    std::vector<nsga2::Evaluation> out;
    for (const auto& x : xs) out.push_back({{x[0] + x[2], (1 - x[0]) * x[1] + x[2]}, 0.0});
    return out;
  };
  const auto a = nsga2::run(vars, s, [&](int, const auto& x) { return f(x); });
  const auto b = nsga2::run(vars, s, [&](int, const std::vector<std::vector<double>>& x) {
    std::vector<std::vector<double>> rev(x.rbegin(), x.rend());
    auto out = f(rev);
    return std::vector<nsga2::Evaluation>(out.rbegin(), out.rend());
  });
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t g = 0; g < a.size(); ++g) EXPECT_EQ(a[g].x, b[g].x);
  // The integer variable takes whole values only, and the best front ends up at its lower bound.
  for (const auto& x : a.back().x) EXPECT_EQ(x[2], std::round(x[2]));
  for (std::size_t i = 0; i < a.back().x.size(); ++i)
    if (a.back().rank[i] == 0) {
      EXPECT_EQ(a.back().x[i][2], 1.0);
    }
}

TEST(Nsga2, ConstrainedDominationAndSorting) {
  using E = nsga2::Evaluation;
  EXPECT_TRUE(nsga2::dominates(E{{1, 1}, 0}, E{{2, 2}, 0}));
  EXPECT_FALSE(nsga2::dominates(E{{1, 3}, 0}, E{{2, 2}, 0}));
  EXPECT_TRUE(nsga2::dominates(E{{9, 9}, 0}, E{{0, 0}, 0.5}));    // feasible beats infeasible
  EXPECT_TRUE(nsga2::dominates(E{{9, 9}, 0.1}, E{{0, 0}, 0.5}));  // less violation beats more
  const std::vector<E> f = {{{1, 4}, 0}, {{2, 2}, 0}, {{4, 1}, 0}, {{3, 3}, 0}, {{5, 5}, 0}};
  const auto fronts = nsga2::non_dominated_sort(f);
  ASSERT_EQ(fronts.size(), 3u);
  EXPECT_EQ(fronts[0], (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(fronts[1], (std::vector<std::size_t>{3}));
  EXPECT_EQ(fronts[2], (std::vector<std::size_t>{4}));
  const auto cd = nsga2::crowding_distance(f, fronts[0]);
  EXPECT_TRUE(std::isinf(cd[0]) && std::isinf(cd[2]));
  EXPECT_DOUBLE_EQ(cd[1], (4.0 - 1.0) / 3.0 + (4.0 - 1.0) / 3.0);
}

}  // namespace
}  // namespace govsim
