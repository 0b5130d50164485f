// Running one replicate of one configured arm: world, mechanisms, simulation, and what the writer needs.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <vector>

#include "experiment/scenario.h"
#include "experiment/world_cache.h"
#include "io/h5_writer.h"
#include "model/simulation.h"

namespace govsim {

struct RunResult {
  RunRecord record;  // record.recorder points into `recorder`
  std::unique_ptr<Recorder> recorder;
  RunSummary summary;
};

// Replicate k uses derive_seed(run.seed, k) whatever the arm: common random numbers across arms.
// `log`, if given, gets a one-line description of the world. With `worlds`, the world comes from that cache
// (the same bits as building it).
RunResult run_replicate(const Scenario& cfg, std::int64_t replicate, std::ostream* log,
                        WorldCache* worlds = nullptr);

// run_replicate in three steps, for a caller that advances the days itself (govsim serve): start_replicate
// builds the world and the simulation with its mechanisms; the caller calls sim->step() for each of
// run.days days; finish_replicate finalizes and gives what run_replicate gives (the same bits).
struct ReplicateRun {
  RunResult out;
  std::unique_ptr<Simulation> sim;
  std::vector<const Mechanism*> mechanisms;
  std::chrono::steady_clock::time_point started;
};
ReplicateRun start_replicate(const Scenario& cfg, std::int64_t replicate, std::ostream* log,
                             WorldCache* worlds = nullptr);
RunResult finish_replicate(const Scenario& cfg, ReplicateRun&& run);

// The peak memory of one run of `p`, estimated from measurements (docs/PERFORMANCE.md, "Memory"): about
// 40 bytes a resident in the agent stores and 210 bytes a community-day in the recorded series, plus the
// program (an upper bound at city scale).
std::uint64_t estimate_run_bytes(const Params& p);

// Throws InputError unless `runs` runs of `cfg` (held at once) fit in the memory available now
// (util/memory.h); the message names `where` and gives the estimate. Checked before a world is built, so a
// district too large for the machine is refused instead of aborting (in a sweep: that run fails).
void check_memory(const Scenario& cfg, std::uint64_t runs, const std::string& where);

// A one-day run of one community of `cfg`: which series and outcomes a configuration has, cheaply, before its
// real runs (a check's or a target's metric). Null if the configuration needs more than one community.
std::unique_ptr<RunResult> pilot_run(const Scenario& cfg);

// Every resolved parameter of `cfg` into `rec.params` / `rec.numeric` (the /runs parameter columns).
void record_parameters(const Scenario& cfg, RunRecord& rec);

}  // namespace govsim
