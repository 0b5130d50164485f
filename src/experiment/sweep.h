// Runs an experiment's table (or one shard of it): runs spread over the cores, each finished run journaled
// as its own HDF5 file under DIR/runs/ (written under a temporary name and renamed, so a sweep killed at any
// point, even by SIGKILL, resumes without losing or repeating a run), then the shard's file assembled from
// the journal in run-table order.
//
// DIR/plan.tsv        the run table (index, run_id, point, block, arm, replicate, seed, then the axes)
// DIR/experiment.json the experiment's fingerprint and design; a different experiment is refused
// DIR/runs/<id>.h5    journal: one finished run (<id>.failed.h5 for a run that threw; retried on resume)
// DIR/shard-<i>-of-<N>.h5 / DIR/rank-<r>-of-<K>.h5  the runs of one shard / MPI rank, schema 1
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "experiment/experiment.h"

namespace govsim {

struct RunResult;

struct SweepOptions {
  std::string out_dir;
  int shard = 0, shards = 1;   // this process runs the table rows with index % shards == shard
  int threads = 0;             // all OpenMP threads of this process (0: the OpenMP default)
  int jobs = 0;                // runs at once (0: as many as threads while runs outnumber them)
  bool allow_changed = false;  // run into a DIR made by a different experiment
  int rank = 0, ranks = 1;     // MPI: with ranks > 1 runs are handed out dynamically across ranks
  std::string command_line;
  // Called, on the run's thread, after each run that succeeded and before its journal is written: it may add
  // run-level outcomes to res.record.outcomes (a calibration's target values, /runs columns). An exception
  // fails the run.
  std::function<void(const PlannedRun& run, RunResult& res)> finish_run;
};

struct SweepProgress {
  std::size_t done = 0, total = 0, failed = 0, skipped = 0;
  double elapsed_seconds = 0;
  double runs_per_minute = 0;  // of the runs executed by this process (skipped ones excluded)
  double eta_seconds = -1;     // -1 while unknown
  std::string last_run;        // id of the run that just finished
  std::string last_status;     // "ok", "failed" or "skipped"
};

struct SweepResult {
  std::size_t planned = 0;  // rows of the whole table
  std::size_t mine = 0;     // rows this shard or rank handled
  std::size_t executed = 0, skipped = 0, failed = 0;
  double wall_seconds = 0;
  double run_seconds = 0;       // summed over executed runs (simulation, world generation included)
  double write_seconds = 0;     // HDF5: journal files plus the shard file
  double assemble_seconds = 0;  // of which the shard file
  double compress_seconds = 0;  // and of which compressing journals' series (outside HDF5's lock)
  double district_years = 0;    // executed runs' simulated days / 365
  std::size_t worlds_built = 0, worlds_shared = 0;  // runs that built their world, and that copied one
  std::string file;                                 // the shard's (or rank's) file
};

// Runs this process's share of the table and writes its file. Progress is reported through `progress`
// (after each run and once at the start). Throws InputError for a DIR that belongs to another experiment.
SweepResult run_sweep(const Experiment& exp, const SweepOptions& opt,
                      const std::function<void(const SweepProgress&)>& progress);

// The plan as written to DIR/plan.tsv.
std::string plan_tsv(const Experiment& exp);

// "i/N" → (i, N); throws InputError naming the option.
std::pair<int, int> parse_shard(const std::string& text);

}  // namespace govsim
