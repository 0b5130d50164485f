// NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, "A fast and elitist multiobjective genetic algorithm:
// NSGA-II", IEEE Transactions on Evolutionary Computation 6(2):182-197), with constrained domination (their
// section VI): fast non-dominated sorting, crowding distance, binary tournaments on (rank, crowding),
// simulated binary crossover and polynomial mutation (Deb & Agrawal 1995), and elitist (mu + lambda)
// survival. Every objective is minimised (the caller negates what it maximises). A generation's offspring are
// one batch of evaluations, so the caller can run each as a sweep. Every draw is keyed by (seed, individual,
// generation, purpose): the result depends on the evaluations only, never on their order or threads.
// docs/CALIBRATION.md.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace govsim::nsga2 {

struct Variable {
  double lo = 0, hi = 1;
  bool integer = false;  // evaluated at round(x); the search itself is continuous
};

struct Settings {
  std::size_t population = 100;  // N (even)
  int generations = 100;         // offspring generations after the initial population
  double crossover_probability = 0.9;
  double crossover_eta = 15;         // SBX distribution index
  double mutation_probability = -1;  // per variable; -1: 1 / (number of variables)
  double mutation_eta = 20;          // polynomial mutation's distribution index
  std::uint64_t seed = 1;
};

struct Evaluation {
  std::vector<double> objectives;  // minimised; NaN counts as +inf (worst)
  double violation = 0;            // total constraint violation (0: feasible)
};

// Evaluates a batch of decision vectors (already rounded for integer variables), in order.
using Evaluate =
    std::function<std::vector<Evaluation>(int generation, const std::vector<std::vector<double>>& x)>;

struct Population {
  int generation = 0;
  std::vector<std::vector<double>> x;  // [individual][variable], as evaluated
  std::vector<Evaluation> f;
  std::vector<int> rank;         // 0: the non-dominated front
  std::vector<double> crowding;  // crowding distance within its front (inf at the ends)
};

// a constrained-dominates b (feasible beats infeasible; less violation beats more; otherwise Pareto).
bool dominates(const Evaluation& a, const Evaluation& b);
// Fronts of indices, best first.
std::vector<std::vector<std::size_t>> non_dominated_sort(const std::vector<Evaluation>& f);
// Crowding distance of each member of `front` (in its order).
std::vector<double> crowding_distance(const std::vector<Evaluation>& f,
                                      const std::vector<std::size_t>& front);

// Runs NSGA-II: the initial population (uniform in the box), then `generations` generations; `done` sees each
// surviving population. Returns every generation's population.
std::vector<Population> run(const std::vector<Variable>& vars, const Settings& s, const Evaluate& evaluate,
                            const std::function<void(const Population&)>& done = {});

}  // namespace govsim::nsga2
