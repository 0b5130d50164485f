// Writes a set of runs to one HDF5 file in schema version 1 (docs/OUTPUT.md). The file is written under a
// temporary name and renamed when complete, so a crash never leaves a file that looks complete.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/metrics.h"
#include "model/simulation.h"

namespace govsim {

inline constexpr int kSchemaVersion = 1;

struct CommunityInfo {
  std::vector<std::int32_t> street;
  std::vector<std::int32_t> residents;
  std::vector<std::int32_t> grids;
};

struct RunRecord {
  std::string arm;
  std::int64_t replicate = 0;
  std::uint64_t seed = 0;
  std::string status = "ok";
  std::string message;
  double wall_seconds = 0;
  // Every resolved parameter as (key, text, numeric?) for the /runs columns of those that differ.
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<bool> numeric;
  const Recorder* recorder = nullptr;
  CommunityInfo communities;  // this run's world
  std::vector<std::pair<std::string, double>> outcomes;  // mechanisms' run-level outcomes
  // Each mechanism's self-description, as (key, value) attribute pairs.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> mechanisms;
};

struct Provenance {
  std::string command_line;
  std::string config_text;
};

void write_results(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov);

std::string govsim_version();
std::string git_revision();

}  // namespace govsim
