#include "experiment/nsga2.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/rng.h"

namespace govsim::nsga2 {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Sub-streams of Purpose::kOptimisation.
enum Sub : std::uint32_t { kInit = 0, kTournament = 1, kCrossover = 2, kMutation = 3 };

Rng stream(std::uint64_t seed, std::size_t entity, int generation, Sub sub) {
  return Rng(seed, Purpose::kOptimisation, static_cast<std::uint32_t>(entity),
             static_cast<std::uint32_t>(generation), sub);
}

double clamp_round(double v, const Variable& var) {
  v = std::clamp(v, var.lo, var.hi);
  if (!var.integer) return v;
  const double lo = std::ceil(var.lo), hi = std::floor(var.hi);
  return lo <= hi ? std::clamp(std::round(v), lo, hi) : std::round(v);  // no whole number inside: the nearest
}

// Simulated binary crossover of one variable, bounded (Deb & Agrawal 1995; Deb's NSGA-II code).
void sbx(double& a, double& b, const Variable& v, double eta, Rng& r) {
  const double u = r.uniform(), swap = r.uniform();
  if (std::abs(a - b) <= 1e-14 || v.hi <= v.lo) return;
  const double y1 = std::min(a, b), y2 = std::max(a, b), span = y2 - y1;
  auto betaq = [&](double beta) {
    const double alpha = 2.0 - std::pow(beta, -(eta + 1.0));
    return u <= 1.0 / alpha ? std::pow(u * alpha, 1.0 / (eta + 1.0))
                            : std::pow(1.0 / (2.0 - u * alpha), 1.0 / (eta + 1.0));
  };
  double c1 = 0.5 * ((y1 + y2) - betaq(1.0 + 2.0 * (y1 - v.lo) / span) * span);
  double c2 = 0.5 * ((y1 + y2) + betaq(1.0 + 2.0 * (v.hi - y2) / span) * span);
  c1 = std::clamp(c1, v.lo, v.hi);
  c2 = std::clamp(c2, v.lo, v.hi);
  if (swap < 0.5) std::swap(c1, c2);
  a = c1;
  b = c2;
}

// Polynomial mutation of one variable, bounded (Deb & Goyal 1996; Deb's NSGA-II code).
double mutate(double y, const Variable& v, double eta, Rng& r) {
  const double u = r.uniform();
  if (v.hi <= v.lo) return y;
  const double d1 = (y - v.lo) / (v.hi - v.lo), d2 = (v.hi - y) / (v.hi - v.lo), p = 1.0 / (eta + 1.0);
  double dq;
  if (u < 0.5) {
    const double val = 2.0 * u + (1.0 - 2.0 * u) * std::pow(1.0 - d1, eta + 1.0);
    dq = std::pow(val, p) - 1.0;
  } else {
    const double val = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(1.0 - d2, eta + 1.0);
    dq = 1.0 - std::pow(val, p);
  }
  return std::clamp(y + dq * (v.hi - v.lo), v.lo, v.hi);
}

Evaluation sanitised(Evaluation e) {
  for (double& o : e.objectives)
    if (std::isnan(o)) o = kInf;
  if (!(e.violation >= 0)) e.violation = kInf;
  return e;
}

// Ranks and crowding of a population's evaluations.
void rank_and_crowd(Population& p) {
  p.rank.assign(p.f.size(), 0);
  p.crowding.assign(p.f.size(), 0.0);
  const auto fronts = non_dominated_sort(p.f);
  for (std::size_t k = 0; k < fronts.size(); ++k) {
    const auto cd = crowding_distance(p.f, fronts[k]);
    for (std::size_t i = 0; i < fronts[k].size(); ++i) {
      p.rank[fronts[k][i]] = static_cast<int>(k);
      p.crowding[fronts[k][i]] = cd[i];
    }
  }
}

// Binary tournament on (rank, crowding): the lower rank wins, then the larger crowding, then the first.
std::size_t tournament(const Population& p, std::size_t a, std::size_t b) {
  if (p.rank[a] != p.rank[b]) return p.rank[a] < p.rank[b] ? a : b;
  if (p.crowding[a] != p.crowding[b]) return p.crowding[a] > p.crowding[b] ? a : b;
  return a;
}

}  // namespace

bool dominates(const Evaluation& a, const Evaluation& b) {
  if (a.violation > 0 || b.violation > 0) {
    if (a.violation == 0) return true;  // feasible beats infeasible
    if (b.violation == 0) return false;
    return a.violation < b.violation;
  }
  bool better = false;
  for (std::size_t k = 0; k < a.objectives.size(); ++k) {
    if (a.objectives[k] > b.objectives[k]) return false;
    if (a.objectives[k] < b.objectives[k]) better = true;
  }
  return better;
}

std::vector<std::vector<std::size_t>> non_dominated_sort(const std::vector<Evaluation>& f) {
  const std::size_t n = f.size();
  std::vector<std::vector<std::size_t>> dominated(n);
  std::vector<int> count(n, 0);
  std::vector<std::vector<std::size_t>> fronts(1);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      if (dominates(f[i], f[j]))
        dominated[i].push_back(j);
      else if (dominates(f[j], f[i]))
        ++count[i];
    }
    if (count[i] == 0) fronts[0].push_back(i);
  }
  for (std::size_t k = 0; !fronts[k].empty(); ++k) {
    std::vector<std::size_t> next;
    for (std::size_t i : fronts[k])
      for (std::size_t j : dominated[i])
        if (--count[j] == 0) next.push_back(j);
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

std::vector<double> crowding_distance(const std::vector<Evaluation>& f,
                                      const std::vector<std::size_t>& front) {
  const std::size_t n = front.size();
  std::vector<double> d(n, 0.0);
  if (n == 0) return d;
  const std::size_t m = f[front[0]].objectives.size();
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < m; ++k) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return f[front[a]].objectives[k] < f[front[b]].objectives[k];
    });
    const double lo = f[front[order.front()]].objectives[k], hi = f[front[order.back()]].objectives[k];
    d[order.front()] = d[order.back()] = kInf;
    const double span = hi - lo;
    if (!(span > 0) || !std::isfinite(span)) continue;
    for (std::size_t i = 1; i + 1 < n; ++i)
      d[order[i]] += (f[front[order[i + 1]]].objectives[k] - f[front[order[i - 1]]].objectives[k]) / span;
  }
  return d;
}

std::vector<Population> run(const std::vector<Variable>& vars, const Settings& s, const Evaluate& evaluate,
                            const std::function<void(const Population&)>& done) {
  const std::size_t N = s.population + s.population % 2, D = vars.size();
  const double pm = s.mutation_probability >= 0 ? s.mutation_probability : 1.0 / static_cast<double>(D);
  std::vector<Population> out;
  Population pop;
  pop.generation = 0;
  for (std::size_t i = 0; i < N; ++i) {
    Rng r = stream(s.seed, i, 0, kInit);
    std::vector<double> x;
    for (const auto& v : vars) x.push_back(clamp_round(v.lo + r.uniform() * (v.hi - v.lo), v));
    pop.x.push_back(std::move(x));
  }
  for (auto& e : evaluate(0, pop.x)) pop.f.push_back(sanitised(std::move(e)));
  rank_and_crowd(pop);
  out.push_back(pop);
  if (done) done(out.back());

  for (int g = 1; g <= s.generations; ++g) {
    const Population& par = out.back();
    // Offspring: pairs of tournament winners, crossed and mutated.
    std::vector<std::vector<double>> kids;
    for (std::size_t p = 0; p < N / 2; ++p) {
      Rng t = stream(s.seed, p, g, kTournament);
      auto pick = [&] {
        const std::size_t a = t.below(static_cast<std::uint32_t>(N)),
                          b = t.below(static_cast<std::uint32_t>(N));
        return tournament(par, a, b);
      };
      const std::size_t pa = pick(), pb = pick();
      std::vector<double> c1 = par.x[pa], c2 = par.x[pb];
      Rng c = stream(s.seed, p, g, kCrossover);
      if (c.uniform() < s.crossover_probability)
        for (std::size_t j = 0; j < D; ++j)
          if (c.uniform() < 0.5) sbx(c1[j], c2[j], vars[j], s.crossover_eta, c);
      Rng m = stream(s.seed, p, g, kMutation);
      for (auto* child : {&c1, &c2})
        for (std::size_t j = 0; j < D; ++j)
          if (m.uniform() < pm) (*child)[j] = mutate((*child)[j], vars[j], s.mutation_eta, m);
      for (std::size_t j = 0; j < D; ++j) {
        c1[j] = clamp_round(c1[j], vars[j]);
        c2[j] = clamp_round(c2[j], vars[j]);
      }
      kids.push_back(std::move(c1));
      kids.push_back(std::move(c2));
    }
    std::vector<Evaluation> fk;
    for (auto& e : evaluate(g, kids)) fk.push_back(sanitised(std::move(e)));

    // Elitist survival from parents and offspring: whole fronts, the last one by crowding (ties by index).
    Population all;
    all.x = par.x;
    all.f = par.f;
    all.x.insert(all.x.end(), kids.begin(), kids.end());
    all.f.insert(all.f.end(), fk.begin(), fk.end());
    const auto fronts = non_dominated_sort(all.f);
    Population next;
    next.generation = g;
    for (const auto& front : fronts) {
      std::vector<std::size_t> take = front;
      if (next.x.size() + take.size() > N) {
        const auto cd = crowding_distance(all.f, front);
        std::vector<std::size_t> order(front.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return cd[a] > cd[b]; });
        take.clear();
        for (std::size_t k = 0; k < N - next.x.size(); ++k) take.push_back(front[order[k]]);
      }
      for (std::size_t i : take) {
        next.x.push_back(all.x[i]);
        next.f.push_back(all.f[i]);
      }
      if (next.x.size() >= N) break;
    }
    rank_and_crowd(next);
    out.push_back(std::move(next));
    if (done) done(out.back());
  }
  return out;
}

}  // namespace govsim::nsga2
