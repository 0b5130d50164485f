#include "experiment/runner.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ostream>

#include "core/population.h"
#include "core/rng.h"
#include "mechanisms/factory.h"
#include "util/memory.h"

namespace govsim {

namespace {

class ListSink : public AttributeSink {
 public:
  std::vector<std::pair<std::string, std::string>> items;
  void text(const std::string& k, const std::string& v) override { items.emplace_back(k, v); }
  void number(const std::string& k, double v) override { items.emplace_back(k, format_real(v)); }
};

}  // namespace

std::uint64_t estimate_run_bytes(const Params& p) {
  const double communities = static_cast<double>(p.district.communities);
  const double residents = communities * p.district.residents_per_community;
  const double community_days = communities * static_cast<double>(p.run.days);
  return static_cast<std::uint64_t>(16e6 + 40.0 * residents + 210.0 * community_days);
}

void check_memory(const Scenario& cfg, std::uint64_t runs, const std::string& where) {
  const double need = static_cast<double>(estimate_run_bytes(cfg.params)) * static_cast<double>(runs);
  const double have = static_cast<double>(available_memory_bytes());
  if (need <= have) return;
  auto gib = [](double b) { return format_real(std::round(b / (1 << 30) * 100) / 100); };
  const double residents =
      static_cast<double>(cfg.params.district.communities) * cfg.params.district.residents_per_community;
  throw InputError(where + ": not enough memory: " + (runs > 1 ? std::to_string(runs) + " runs of " : "") +
                   "about " + format_real(std::round(residents / 1e5) / 10) + " million residents over " +
                   std::to_string(cfg.params.run.days) + " days need about " + gib(need) + " GiB, and " +
                   gib(have) +
                   " GiB is available (fewer district.communities or run.days, or a larger machine)");
}

std::unique_ptr<RunResult> pilot_run(const Scenario& cfg) {
  Scenario pilot = cfg;
  try {
    pilot.set("run.days", "1", "pilot");
    pilot.set("district.communities", "1", "pilot");
    pilot.validate();
  } catch (const InputError&) {
    return nullptr;  // a configuration that needs more than one community: the real runs will say
  }
  return std::make_unique<RunResult>(run_replicate(pilot, 0, nullptr));
}

void record_parameters(const Scenario& cfg, RunRecord& rec) {
  // A mechanism's parameters only where it runs: elsewhere they are absent (NaN or "" in /runs), not its
  // defaults, which would read as a setting of a mechanism that is off.
  const auto on = cfg.mechanism_names();
  const auto known = known_mechanisms();
  for (const auto& s : cfg.registry().specs()) {
    const std::string section = s.key.substr(0, s.key.find('.'));
    if (std::find(known.begin(), known.end(), section) != known.end() &&
        std::find(on.begin(), on.end(), section) == on.end())
      continue;
    rec.params.emplace_back(s.key, s.get());
    rec.numeric.push_back(s.type != ParamType::kString);
    rec.param_meta.emplace_back(s.unit, s.help);
  }
}

ReplicateRun start_replicate(const Scenario& cfg, std::int64_t k, std::ostream* log, WorldCache* worlds) {
  const Params& p = cfg.params;
  ReplicateRun run;
  run.started = std::chrono::steady_clock::now();
  const std::uint64_t seed =
      derive_seed(static_cast<std::uint64_t>(p.run.seed), static_cast<std::uint64_t>(k));
  check_memory(cfg, 1, "run " + cfg.params.run.name + " replicate " + std::to_string(k));
  World world = worlds != nullptr ? worlds->get(cfg, seed) : generate_world(p, seed);
  RunRecord& rec = run.out.record;
  const auto C = world.communities.size();
  for (std::uint32_t c = 0; c < C; ++c) {
    rec.communities.street.push_back(static_cast<std::int32_t>(world.communities.street[c]));
    rec.communities.residents.push_back(
        static_cast<std::int32_t>(world.community_end_resident(c) - world.community_first_resident(c)));
    rec.communities.grids.push_back(
        static_cast<std::int32_t>(world.communities.first_grid[c + 1] - world.communities.first_grid[c]));
    rec.communities.type.push_back(world.communities.type.empty() ? -1 : world.communities.type[c]);
  }
  if (log)
    *log << "govsim: " << world.residents.size() << " residents, " << world.households.size()
         << " households, " << world.grids.size() << " grids, " << C << " communities, "
         << world.streets.size() << " streets, " << world.workers.size() << " grid workers, "
         << world.units.size() << " co-building units; "
         << static_cast<double>(world.bytes()) / static_cast<double>(world.residents.size())
         << " bytes/resident in agent stores; " << omp_get_max_threads() << " thread(s)\n";
  rec.seed = seed;
  run.sim = std::make_unique<Simulation>(p, std::move(world), seed);
  // Mechanisms act in the factory's fixed order (docs/ODD.md), not in the order the scenario names them.
  const auto names = cfg.mechanism_names();
  for (const auto& entry : mechanism_entries()) {
    if (std::find(names.begin(), names.end(), entry.name) == names.end()) continue;
    auto m = entry.create(cfg.mechanisms);
    run.mechanisms.push_back(m.get());
    run.sim->add_mechanism(std::move(m));
  }
  rec.replicate = k;
  return run;
}

RunResult finish_replicate(const Scenario& cfg, ReplicateRun&& run) {
  Simulation& sim = *run.sim;
  sim.finish();
  RunResult out = std::move(run.out);
  RunRecord& rec = out.record;
  for (const Mechanism* m : run.mechanisms) {  // after the run, so each can report what it set up
    ListSink sink;
    m->describe(sink);
    rec.mechanisms.emplace_back(m->name(), sink.items);
    m->outcomes(rec.outcomes);
  }
  out.summary = sim.summary();
  for (const auto& [name, value] : rec.outcomes) {  // the listing mechanism's headline, first in the table
    if (name == "jh_share_closed_6m") out.summary.listed_closed_6m_share = value;
    if (name == "jh_share_closed_by_deadline") out.summary.listed_closed_by_deadline_share = value;
  }
  out.summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run.started).count();
  out.recorder = std::make_unique<Recorder>(sim.take_recorder());
  rec.arm = cfg.params.run.name;
  rec.wall_seconds = out.summary.wall_seconds;
  record_parameters(cfg, rec);
  rec.recorder = out.recorder.get();
  run.sim.reset();
  return out;
}

RunResult run_replicate(const Scenario& cfg, std::int64_t k, std::ostream* log, WorldCache* worlds) {
  ReplicateRun run = start_replicate(cfg, k, log, worlds);
  run.sim->run();
  return finish_replicate(cfg, std::move(run));
}

}  // namespace govsim
