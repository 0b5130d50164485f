// Benchmarks: building a district and simulating it, at 1 and 2 threads (and more where the machine has
// them). Run with scripts/bench.sh, which reports medians over repetitions and the thread-scaling ratio.
#include <benchmark/benchmark.h>
#include <omp.h>

#include "core/population.h"
#include "model/simulation.h"
#include "params/params.h"
#include "params/registry.h"

namespace {

govsim::Params district(std::int64_t communities, std::int64_t days) {
  govsim::Params p;
  govsim::ParamRegistry reg;
  p.declare(reg);  // every field at its default
  p.district.communities = communities;
  p.run.days = days;
  return p;
}

// A district of ~1M residents (224 communities) simulated for 60 days per iteration.
void BM_Simulate60Days(benchmark::State& state) {
  omp_set_num_threads(static_cast<int>(state.range(0)));
  const govsim::Params p = district(224, 60);
  const govsim::World world = govsim::generate_world(p, 1);
  for (auto _ : state) {
    state.PauseTiming();
    govsim::World w = world;
    state.ResumeTiming();
    govsim::Simulation sim(p, std::move(w), 1);
    sim.run();
    benchmark::DoNotOptimize(sim.recorder().at("cum_resolved", 59));
  }
  state.counters["resident_days_per_s"] = benchmark::Counter(
      static_cast<double>(world.residents.size()) * 60.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Simulate60Days)->ArgName("threads")->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GenerateWorld(benchmark::State& state) {
  omp_set_num_threads(static_cast<int>(state.range(0)));
  const govsim::Params p = district(224, 1);
  for (auto _ : state) {
    govsim::World w = govsim::generate_world(p, 1);
    benchmark::DoNotOptimize(w.residents.size());
  }
}
BENCHMARK(BM_GenerateWorld)->ArgName("threads")->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
