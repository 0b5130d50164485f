// Writes a set of runs to one HDF5 file in schema version 1 (docs/OUTPUT.md), laid out by io/h5_schema.h. The
// file is written under a temporary name and renamed when complete, so a crash never leaves a file that looks
// complete.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/metrics.h"
#include "model/simulation.h"

namespace govsim {

// Call first in main(): HDF5 then neither prints its error stacks (errors become exceptions with govsim's
// messages) nor closes files at exit. A file whose write failed (a full disk) cannot be closed, and HDF5's
// exit handler crashed on it; govsim closes every file it completes itself.
void prepare_hdf5();

struct CommunityInfo {
  std::vector<std::int32_t> street;
  std::vector<std::int32_t> residents;
  std::vector<std::int32_t> grids;
  std::vector<std::int32_t> type;  // CommunityType
};

struct RunRecord {
  std::string arm;
  std::int64_t replicate = 0;
  std::uint64_t seed = 0;
  std::string status = "ok";  // "ok" or "failed" (then `message` says why and `recorder` may be null)
  std::string message;
  // Sweep bookkeeping (written as /runs columns when `index` >= 0 for any run of the file).
  std::int64_t index = -1;  // row of the experiment's run table
  std::string run_hash;     // the run id (16 hex digits)
  std::int64_t point = -1;  // design point
  std::string block;        // design block
  std::int64_t group = -1;  // design group
  double wall_seconds = 0;
  // Every resolved parameter as (key, text, numeric?) for the /runs columns of those that differ.
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<bool> numeric;
  // Each parameter's unit and meaning (the registry's), for the attributes of its /runs column.
  std::vector<std::pair<std::string, std::string>> param_meta;
  const Recorder* recorder = nullptr;                    // null for a failed run: its series are NaN
  CommunityInfo communities;                             // this run's world
  std::vector<std::pair<std::string, double>> outcomes;  // mechanisms' run-level outcomes
  // Each mechanism's self-description, as (key, value) attribute pairs.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> mechanisms;
};

struct Provenance {
  std::string command_line;
  std::string config_text;
  // Extra root attributes (text), e.g. experiment_fingerprint, design (JSON), shard.
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct WriteOptions {
  // Parameters written as /runs columns even when every run of this file has the same value (a sweep's
  // files all carry the experiment's varied parameters, so they combine into one table).
  std::vector<std::string> param_columns;
  // Write the days and communities of this shape even when no run has a recorder (all failed).
  int days = -1, communities = -1;
  // A sweep's journal file: one run, its series in two blocks (io/h5_schema.h, Schema1::series_blocks), read
  // back by combine_results. Without dimension scales: the combiner attaches its own.
  bool journal = false;
};

// /runs/pair: runs with the same seed share every exogenous draw (common random numbers); pair numbers
// are dense ranks of the seed in first-seen order. Runs without a recorder (failed) get NaN series and
// outcomes and padded /communities rows; runs with fewer communities than the file are padded (NaN series,
// street -1, 0 residents, 0 grids). Throws std::runtime_error if the runs with recorders differ in days.
// The CPU-heavy part of writing: every series chunk shuffled and deflated as the file stores it, on this
// call's threads and outside any HDF5 call, so callers that serialise HDF5 (a sweep's journal) compress
// outside their lock. write_results() encodes them itself when given none.
struct EncodedSeries;
std::shared_ptr<const EncodedSeries> encode_series(const std::vector<RunRecord>& runs,
                                                   const WriteOptions& options = {});

void write_results(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov,
                   const WriteOptions& options = {}, const EncodedSeries* encoded = nullptr);

}  // namespace govsim
