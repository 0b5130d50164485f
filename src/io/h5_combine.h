// Combines rows of schema-1 files into one schema-1 file: sweep shards from per-run journal files (copy),
// and `govsim merge` (virtual datasets over the shard files, or --copy).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace govsim {

// One output row: the file it comes from and its row there.
struct RowSource {
  std::string file;
  std::int64_t row = 0;
};

enum class CombineMode {
  kCopy,     // every dataset copied: a self-contained file
  kVirtual,  // /series/* and /series_by_community/* are HDF5 virtual datasets over the sources
};

// Writes `out` (tmp name, fsync, rename) with rows in the given order. Every source must have schema_version
// 1 and the same number of days; communities are padded to the largest count (NaN series, street -1,
// 0 residents). /runs columns are the union (NaN, "" or -1 where a source lacks one); series are the union
// of metrics (NaN where a source lacks one). Root attributes come from the first source, plus `attributes`
// (which win) and `combined_from` (the source files). Every source must pass check_seal (io/seal.h; not
// checked again if the caller has, `sources_verified`). In virtual mode the sources are referenced by paths
// relative to `out`'s directory. Throws std::runtime_error naming the file on any mismatch.
void combine_results(const std::vector<RowSource>& rows, const std::string& out, CombineMode mode,
                     const std::vector<std::pair<std::string, std::string>>& attributes = {},
                     bool sources_verified = false);

// The /runs/run_hash column of a schema-1 file (empty strings if it has none) and its status column.
struct FileRuns {
  std::vector<std::string> run_hash;
  std::vector<std::string> status;
  std::vector<std::int64_t> index;  // /runs/index, -1 if absent
  // The float64 columns named in read_runs()'s `reals` (NaN where a column is absent).
  std::vector<std::vector<double>> reals;
};
FileRuns read_runs(const std::string& file, const std::vector<std::string>& reals = {});

// The files a virtual dataset of `file` (a merged file's /series, /series_by_community) reads from, resolved
// as HDF5 resolves them (relative to `file`'s directory), each once.
std::vector<std::string> virtual_sources(const std::string& file);

// A root text attribute of a file ("" if absent).
std::string read_text_attribute(const std::string& file, const std::string& name);

}  // namespace govsim
