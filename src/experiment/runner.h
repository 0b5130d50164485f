// Running one replicate of one configured arm: world, mechanisms, simulation, and what the writer needs.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>

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

// Every resolved parameter of `cfg` into `rec.params` / `rec.numeric` (the /runs parameter columns).
void record_parameters(const Scenario& cfg, RunRecord& rec);

}  // namespace govsim
