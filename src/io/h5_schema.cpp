#include "io/h5_schema.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "io/h5_detail.h"
#include "io/h5_filter.h"

namespace govsim::h5 {

namespace {

hid_t create_group(hid_t parent, const std::string& name) {
  H gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "crt order");
  const hid_t g = H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT);
  if (g < 0) throw std::runtime_error("HDF5: create group " + name);
  return g;
}

hid_t make_scale(hid_t loc, const std::string& name, hsize_t n, const char* long_name) {
  std::vector<std::int64_t> v(n);
  for (hsize_t i = 0; i < n; ++i) v[i] = static_cast<std::int64_t>(i);
  hid_t d = create_1d(loc, name, H5T_STD_I64LE, n);
  if (d < 0) throw std::runtime_error("HDF5: create scale " + name);
  if (!v.empty()) check(H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write");
  check(H5DSset_scale(d, name.c_str()), "set_scale");
  attr_text(d, "long_name", long_name);
  return d;
}

// The three root scales, in the order every file has them. They live at the root so that every group sees
// them (netCDF-4 dimension visibility).
struct Scales {
  H run, day, community;
  Scales(hid_t file, hsize_t R, hsize_t T, hsize_t C)
      : run(make_scale(file, "run", R, "run index"), H5Dclose),
        day(make_scale(file, "day", T, "simulated day (0 = first day)"), H5Dclose),
        community(make_scale(file, "community", C, "community index"), H5Dclose) {
    // No CF time unit here: xarray would decode the day index as a duration.
    attr_text(day, "units", "1");
  }
};

// A scale below 0 is none (as in write_1d): that axis is left unattached.
void attach(hid_t dataset, const std::vector<hid_t>& scales) {
  for (std::size_t k = 0; k < scales.size(); ++k)
    if (scales[k] >= 0) check(H5DSattach_scale(dataset, scales[k], static_cast<unsigned>(k)), "attach");
}

// Chunked, shuffled and deflated, NaN where nothing was written. `type` is H5T_IEEE_F64LE or _F32LE.
hid_t create_series(hid_t loc, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
                    const std::vector<hsize_t>& chunk, hid_t dapl) {
  H space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  H dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  bool empty = false;
  for (auto d : dims) empty |= d == 0;
  if (!empty) {
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk");
    check(H5Pset_shuffle(dcpl), "shuffle");
    check(H5Pset_deflate(dcpl, kDeflateLevel), "deflate");
  }
  const double nan = std::nan("");
  check(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan), "fill value");
  return H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, dapl);
}

// A virtual dataset, NaN where no source is mapped; `map` adds the mappings.
hid_t create_virtual(hid_t loc, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
                     const std::function<void(hid_t dcpl, hid_t space)>& map) {
  H dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  const double nan = std::nan("");
  check(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan), "fill value");
  H space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  map(dcpl, space);
  return H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
}

void write_column(hid_t group, const RunColumn& c, hid_t run_scale) {
  struct Write {
    hid_t group, scale;
    const std::string& name;
    void operator()(const std::vector<std::int64_t>& v) const {
      write_1d(group, name, H5T_STD_I64LE, H5T_NATIVE_INT64, v, scale);
    }
    void operator()(const std::vector<std::uint64_t>& v) const {
      write_1d(group, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v, scale);
    }
    void operator()(const std::vector<double>& v) const {
      write_1d(group, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, scale);
    }
    void operator()(const std::vector<std::string>& v) const { write_strings(group, name, v, scale); }
  };
  std::visit(Write{group, run_scale, c.name}, c.values);
}

}  // namespace

namespace {

// The UDUNITS symbol of one word of a unit, or "" for a count or a dimensionless word.
std::string time_symbol(const std::string& word) {
  static const std::map<std::string, std::string> kTime = {
      {"h", "h"},        {"hour", "h"},        {"hours", "h"},   {"d", "d"},          {"day", "d"},
      {"days", "d"},     {"week", "week"},     {"weeks", "week"}, {"month", "month"}, {"months", "month"},
      {"year", "year"},  {"years", "year"},    {"s", "s"},
  };
  const auto it = kTime.find(word);
  return it == kTime.end() ? "" : it->second;
}

// The time symbols of one factor ("staff-hours" -> h, "hour of day" -> h, "residents" -> none).
std::vector<std::string> time_symbols(const std::string& factor) {
  std::vector<std::string> out;
  std::string word;
  std::string text = factor;
  if (const auto of = text.find(" of "); of != std::string::npos) text = text.substr(0, of);  // "day of year"
  for (const char c : text + " ") {
    if (c == ' ' || c == '-') {
      if (const auto t = time_symbol(word); !t.empty()) out.push_back(t);
      word.clear();
    } else {
      word += c;
    }
  }
  return out;
}

}  // namespace

std::string udunits(const std::string& unit) {
  // "a/b/c" and "a/b per c": the first factor is the numerator, the rest divide.
  std::string text = unit;
  for (std::size_t at; (at = text.find(" per ")) != std::string::npos;) text.replace(at, 5, "/");
  std::vector<std::string> num, den;
  std::size_t start = 0;
  for (bool first = true;; first = false) {
    const std::size_t slash = text.find('/', start);
    for (auto& t : time_symbols(text.substr(start, slash == std::string::npos ? slash : slash - start)))
      (first ? num : den).push_back(std::move(t));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (auto it = num.begin(); it != num.end();) {  // "hours/normal hour": h/h cancels
    const auto d = std::find(den.begin(), den.end(), *it);
    if (d == den.end()) {
      ++it;
      continue;
    }
    den.erase(d);
    it = num.erase(it);
  }
  std::string out;
  for (const auto& t : num) out += (out.empty() ? "" : " ") + t;
  if (out.empty()) out = "1";
  for (const auto& t : den) out += "/" + t;
  return out;
}

void attr_units(hid_t d, const std::string& unit) {
  if (unit.empty() || unit == "-") return;
  attr_text(d, "units", udunits(unit));
  attr_text(d, "display_units", unit);
}

std::vector<hsize_t> series_chunk(hsize_t T) {
  return {1, std::max<hsize_t>(T, 1)};
}

std::vector<hsize_t> by_community_chunk(hsize_t C, hsize_t T) {
  const hsize_t cchunk = std::max<hsize_t>(1, std::min<hsize_t>(C, 262144 / std::max<hsize_t>(T, 1)));
  return {1, cchunk, std::max<hsize_t>(T, 1)};
}

namespace {

void write_blocks(hid_t file, const Schema1& s);
void write_series(hid_t file, const Schema1& s, hid_t run, hid_t day, hid_t community);

}  // namespace

namespace {

void write_contents(hid_t file, const Schema1& s);

}  // namespace

void write_schema1(const std::string& path, const Schema1& s) {
  H file(create_file(path), H5Fclose, "HDF5: create file");
  try {
    write_contents(file, s);
  } catch (...) {
    // While the file is still open: HDF5 crashes on an object closed after its file.
    if (s.on_error) s.on_error();
    throw;
  }
  file.close_checked("HDF5: close file");
}

namespace {

void write_contents(hid_t file, const Schema1& s) {
  const hsize_t R = s.runs, T = s.days, C = s.communities;
  if (s.series_blocks && R != 1) throw std::runtime_error("a journal file holds one run");
  attr_int(file, s.series_blocks ? "journal_version" : "schema_version",
           s.series_blocks ? kJournalVersion : kSchemaVersion);
  if (s.root_attributes) s.root_attributes(file);

  // Dimension scales at the root, then /runs: one column per run field.
  Scales scales(file, R, T, C);
  // What datasets are attached to: the scales, or none (-1) in a file written without.
  const hid_t run = s.dimension_scales ? scales.run.id : -1, day = s.dimension_scales ? scales.day.id : -1,
              community = s.dimension_scales ? scales.community.id : -1;
  H runs_g(create_group(file, "runs"), H5Gclose);
  for (std::size_t k = 0; k < s.run_columns.size(); ++k) {
    const RunColumn& c = s.run_columns[k];
    write_column(runs_g, c, run);
    if (!s.run_column_attributes && c.name != "pair") continue;
    H d(H5Dopen2(runs_g, c.name.c_str(), H5P_DEFAULT), H5Dclose, "HDF5: open /runs column");
    if (s.run_column_attributes) s.run_column_attributes(d, k);
    if (c.name == "pair" && H5Aexists(d, "long_name") <= 0) {
      attr_text(d, "long_name", kPairLongName);
      attr_units(d, "1");
    }
  }

  // /time/day
  H time_g(create_group(file, "time"), H5Gclose);
  {
    std::vector<std::int64_t> days(T);
    for (hsize_t t = 0; t < T; ++t) days[t] = static_cast<std::int64_t>(t);
    write_1d(time_g, "day", H5T_STD_I64LE, H5T_NATIVE_INT64, days, day);
  }

  // /communities: [run, community] int32, contiguous.
  H com_g(create_group(file, "communities"), H5Gclose);
  for (std::size_t k = 0; k < kNumCommunityColumns; ++k) {
    const std::string name = kCommunityColumns[k].name;
    const hsize_t dims[2] = {R, C};
    H space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    H d(H5Dcreate2(com_g, name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose, "HDF5: create /communities dataset");
    if (s.fill_communities) s.fill_communities(d, k);
    attach(d, {run, community});
    attr_text(d, "long_name", kCommunityColumns[k].long_name);
    attr_units(d, kCommunityColumns[k].unit);
    if (name == "type") {  // CF flag attributes: code k means the k-th word of flag_meanings; -1 padding
      const std::vector<std::int32_t> codes = {0, 1, 2, 3};
      const hsize_t n = codes.size();
      H space1(H5Screate_simple(1, &n, nullptr), H5Sclose);
      H a(H5Acreate2(d, "flag_values", H5T_STD_I32LE, space1, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
          "HDF5: create flag_values");
      check(H5Awrite(a, H5T_NATIVE_INT32, codes.data()), "write flag_values");
      attr_text(d, "flag_meanings", kCommunityTypeMeanings);
    }
  }

  if (s.series_blocks) {
    write_blocks(file, s);
  } else {
    write_series(file, s, run, day, community);
  }

  // /mechanisms/<arm>/<name>
  H mech_g(create_group(file, "mechanisms"), H5Gclose);
  if (s.finish) s.finish(mech_g);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush");
  mech_g.close_checked("HDF5: close group");
}

}  // namespace

namespace {

// A journal's two blocks (Schema1::series_blocks); a block with no metrics is not written.
void write_blocks(hid_t file, const Schema1& s) {
  const hsize_t T = s.days, C = s.communities;
  for (const bool by_c : {false, true}) {
    std::vector<std::size_t> which;
    std::vector<std::string> names;
    for (std::size_t m = 0; m < s.metrics.size(); ++m)
      if (by_c ? s.metrics[m].by_community : s.metrics[m].series) {
        which.push_back(m);
        names.push_back(s.metrics[m].name);
      }
    if (which.empty()) continue;
    const hsize_t M = which.size();
    const hid_t type = by_c ? s.metrics[which[0]].by_community_type : s.metrics[which[0]].series_type;
    const std::vector<hsize_t> dims = by_c ? std::vector<hsize_t>{M, C, T} : std::vector<hsize_t>{M, T};
    const char* name = by_c ? kByCommunityBlock : kSeriesBlock;
    H d(create_series(file, name, type, dims, by_c ? by_community_chunk(C, T) : series_chunk(T),
                      s.series_access),
        H5Dclose, "HDF5: create a series block");
    if (s.fill_block) s.fill_block(d, which, by_c);
    attr_texts(d, "names", names);
    if (s.block_attributes) s.block_attributes(d, which, by_c);
  }
}

// /series/<metric> [run, day] float64 and /series_by_community/<metric> [run, community, day] float32.
void write_series(hid_t file, const Schema1& s, hid_t run, hid_t day, hid_t community) {
  const hsize_t R = s.runs, T = s.days, C = s.communities;
  H series_g(create_group(file, "series"), H5Gclose);
  H by_c_g(create_group(file, "series_by_community"), H5Gclose);
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    const Metric& metric = s.metrics[m];
    for (const bool by_c : {false, true}) {
      if (!(by_c ? metric.by_community : metric.series)) continue;
      const hid_t loc = by_c ? by_c_g.id : series_g.id;
      const hid_t type = by_c ? metric.by_community_type : metric.series_type;
      const std::vector<hsize_t> dims = by_c ? std::vector<hsize_t>{R, C, T} : std::vector<hsize_t>{R, T};
      const hid_t id =
          s.virtual_mappings
              ? create_virtual(loc, metric.name, type, dims,
                               [&](hid_t dcpl, hid_t space) { s.virtual_mappings(dcpl, space, m, by_c); })
              : create_series(loc, metric.name, type, dims, by_c ? by_community_chunk(C, T) : series_chunk(T),
                              s.series_access);
      const std::string what =
          std::string("HDF5: create /") + (by_c ? "series_by_community/" : "series/") + metric.name;
      H d(id, H5Dclose, what.c_str());
      if (s.fill_series) s.fill_series(d, m, by_c);
      if (by_c)
        attach(d, {run, community, day});
      else
        attach(d, {run, day});
      if (s.series_attributes) s.series_attributes(d, m, by_c);
    }
  }
}

}  // namespace

void write_mechanisms(hid_t mechanisms, const std::string& arm, const std::vector<std::string>& names,
                      const std::function<void(hid_t group, std::size_t k)>& attributes) {
  H arm_g(create_group(mechanisms, arm), H5Gclose);
  for (std::size_t k = 0; k < names.size(); ++k) {
    H g(create_group(arm_g, names[k]), H5Gclose);
    if (attributes) attributes(g, k);
  }
}

}  // namespace govsim::h5
