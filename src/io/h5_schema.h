// The layout of schema 1 (docs/OUTPUT.md), written in one place: the file and its groups, the dimension
// scales, every dataset's type, shape, chunking, compression and fill value, which scales each axis is
// attached to, the attributes the schema fixes, and the order in which all of it is created. The writer
// (one invocation's runs) and the combiner (rows of many files: sweep shards, `govsim merge`) both lay their
// files out through write_schema1() and differ only in where the values come from. Internal to src/io.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

namespace govsim::h5 {

inline constexpr int kSchemaVersion = 1;
// A sweep's journal file (Schema1::series_blocks) carries journal_version instead of schema_version, and its
// series in two blocks instead of a dataset per metric.
inline constexpr int kJournalVersion = 1;
inline constexpr const char* kSeriesBlock = "series_block";
inline constexpr const char* kByCommunityBlock = "series_by_community_block";
// /runs/pair's long_name (the combiner recomputes the column and keeps a source's long_name if it has one).
inline constexpr const char* kPairLongName =
    "runs with equal pair share every exogenous draw (common random numbers)";
// /communities/street of a community a run does not have (padding, failed runs).
inline constexpr std::int32_t kNoStreet = -1;

// /communities/<name> [run, community] int32, in this order, and the value of a row's padding.
struct CommunityColumn {
  const char* name;
  std::int32_t pad;
  const char* long_name;
  const char* unit;  // govsim's (attr_units), "" for none
};
inline constexpr CommunityColumn kCommunityColumns[] = {
    {"street", kNoStreet, "street the community belongs to (street index)", ""},
    {"n_residents", 0, "residents of the community on day 0", "residents"},
    {"n_grids", 0, "grids of the community", "grids"},
    {"type", -1, "community type", ""}};
// /communities/type's codes, as its flag_meanings attribute lists them (CommunityType, core/world.h).
inline constexpr const char* kCommunityTypeMeanings = "old commercial work_unit resettled";
inline constexpr std::size_t kNumCommunityColumns = std::size(kCommunityColumns);

// Chunks of /series hold one run's time series; chunks of /series_by_community up to ~1 MiB of float32.
std::vector<hsize_t> series_chunk(hsize_t T);
std::vector<hsize_t> by_community_chunk(hsize_t C, hsize_t T);

// One /runs column: its name and one value per run (int64, uint64, float64 or text).
struct RunColumn {
  std::string name;
  std::variant<std::vector<std::int64_t>, std::vector<std::uint64_t>, std::vector<double>,
               std::vector<std::string>>
      values;
};

// One metric: /series/<name> [run, day] and/or /series_by_community/<name> [run, community, day].
struct Metric {
  std::string name;
  bool series = true;
  bool by_community = false;
  hid_t series_type = H5T_IEEE_F64LE;  // file types
  hid_t by_community_type = H5T_IEEE_F32LE;
};

// What a schema-1 file holds and where its values come from. Each callback is called once per object, right
// after the layout created it and before its scales are attached (the `fill` callbacks: write the values now,
// or keep the dataset with H5Iinc_ref and write them later), or after (the `attributes` callbacks).
struct Schema1 {
  hsize_t runs = 0, days = 0, communities = 0;
  // Whether datasets are attached to the /run, /day and /community scales (what xarray and netCDF readers
  // take their coordinates from). A sweep's journal files, read only by the combiner, which attaches its
  // own, go without: attaching was a third of a journal file's writing time.
  bool dimension_scales = true;

  // A sweep's journal file (one run, read only by the combiner, which turns it back into schema 1): each
  // group's metrics in one block, /series_block [metric, day] and /series_by_community_block [metric,
  // community, day], chunked as the schema-1 datasets are (a row's chunks are a schema-1 row's chunks), with
  // the metrics' names as a text-array attribute `names`; `fill_block` writes a block's values and
  // `block_attributes` its other attributes. Two datasets instead of one per metric: most of a journal's
  // cost. The file has journal_version instead of schema_version.
  bool series_blocks = false;
  std::function<void(hid_t block, const std::vector<std::size_t>& metrics, bool by_community)> fill_block;
  std::function<void(hid_t block, const std::vector<std::size_t>& metrics, bool by_community)>
      block_attributes;

  // Root attributes after schema_version: the provenance (govsim_version, git_revision, command_line,
  // created, config, and any others).
  std::function<void(hid_t file)> root_attributes;

  // /runs columns in order; each column's further attributes (pair's long_name is added if none is given).
  std::vector<RunColumn> run_columns;
  std::function<void(hid_t dataset, std::size_t column)> run_column_attributes;

  // /communities/<kCommunityColumns[k].name>.
  std::function<void(hid_t dataset, std::size_t k)> fill_communities;

  // /series and /series_by_community: for each metric in order, its /series dataset, then its
  // /series_by_community dataset. The order is the file's: each group lists its datasets in it, and the
  // scales' REFERENCE_LIST too (the writer lists each metric with both datasets; the combiner every /series
  // metric, then every /series_by_community one, as separate entries). Chunked, shuffled and deflated by
  // default; `virtual_mappings` makes them virtual datasets whose mappings it adds to the creation property
  // list. Unwritten or unmapped values are NaN. `series_access` is the access property list of chunked ones.
  std::vector<Metric> metrics;
  std::function<void(hid_t dcpl, hid_t space, std::size_t metric, bool by_community)> virtual_mappings;
  hid_t series_access = H5P_DEFAULT;
  std::function<void(hid_t dataset, std::size_t metric, bool by_community)> fill_series;
  std::function<void(hid_t dataset, std::size_t metric, bool by_community)> series_attributes;

  // Called last, with the /mechanisms group: its arms (write_mechanisms) and any values still to be written.
  std::function<void(hid_t mechanisms)> finish;
  // Called when writing fails, before the file is closed: closes whatever the callbacks kept open in it.
  std::function<void()> on_error;
};

// Creates `path` (truncating it) laid out as schema 1, calling the callbacks as it goes, and flushes it.
void write_schema1(const std::string& path, const Schema1& schema);

// A unit as govsim declares it ("cases/day", "0-1", "hours/worker/day", "yuan") as a UDUNITS string: counts,
// shares, probabilities and money are "1" (UDUNITS has no currency), hours "h", days "d", weeks "week",
// months "month", years "year"; a denominator's time units divide ("1/d", "h/d"); units that cancel go.
std::string udunits(const std::string& unit);
// The CF attributes of a variable with govsim unit `unit`: units (UDUNITS) and display_units (as declared,
// what is counted; the figures' labels). Nothing for "" or "-".
void attr_units(hid_t d, const std::string& unit);

// /mechanisms/<arm>/<name> for each of an arm's mechanisms, in order; `attributes` describes each one.
void write_mechanisms(hid_t mechanisms, const std::string& arm, const std::vector<std::string>& names,
                      const std::function<void(hid_t group, std::size_t k)>& attributes);

}  // namespace govsim::h5
