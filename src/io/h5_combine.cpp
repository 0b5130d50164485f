#include "io/h5_combine.h"

#include "io/h5_detail.h"
#include "io/h5_schema.h"
#include "io/seal.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace govsim {

namespace {

using h5::check;
using h5::H;
using h5::kByCommunityBlock;
using h5::kCommunityColumns;
using h5::kJournalVersion;
using h5::kNumCommunityColumns;
using h5::kSchemaVersion;
using h5::kSeriesBlock;
using h5::Metric;
using h5::Schema1;
using h5::write_mechanisms;
using h5::write_schema1;

// Rows read or written at once when copying: bounds memory whatever the file's size.
constexpr std::size_t kBlockBytes = std::size_t{64} << 20;

// Runs `f`; an error inside becomes "PATH: error", so every message names the file it is about.
template <class F>
auto in_file(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

hid_t open_file(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error(path + ": cannot open as an HDF5 file");
  return f;
}

bool exists(hid_t loc, const std::string& path) {
  // H5Lexists needs each parent to exist: check component by component.
  std::string sofar;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    const std::size_t next = path.find('/', pos);
    sofar = path.substr(0, next);
    pos = next == std::string::npos ? next : next + 1;
    if (H5Lexists(loc, sofar.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

std::vector<hsize_t> dims_of(hid_t dset) {
  H space(H5Dget_space(dset), H5Sclose);
  const int n = H5Sget_simple_extent_ndims(space);
  if (n < 0) throw std::runtime_error("HDF5: dataspace");
  std::vector<hsize_t> d(static_cast<std::size_t>(n));
  H5Sget_simple_extent_dims(space, d.data(), nullptr);
  return d;
}

hsize_t length(hid_t file, const char* name) {
  if (!exists(file, name)) throw std::runtime_error(std::string("no /") + name + " dimension scale");
  H d(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  const auto dims = dims_of(d);
  if (dims.size() != 1) throw std::runtime_error(std::string("/") + name + " is not 1-D");
  return dims[0];
}

herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

// A group's members in creation order (name order if the file does not track it).
std::vector<std::string> members(hid_t loc, const std::string& path) {
  std::vector<std::string> names;
  if (!exists(loc, path)) return names;
  H g(H5Gopen2(loc, path.c_str(), H5P_DEFAULT), H5Gclose);
  hsize_t idx = 0;
  if (H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_link, &names) < 0) {
    names.clear();
    idx = 0;
    check(H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_link, &names), "list group");
  }
  return names;
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

// Copies `src`'s attributes to `dst`, except those of the dimension-scale machinery (they hold references
// into the source file) and those named in `skip`.
void copy_attributes(hid_t src, hid_t dst, const std::set<std::string>& skip = {}) {
  static const std::set<std::string> kScaleAttrs = {"DIMENSION_LIST", "REFERENCE_LIST",     "CLASS", "NAME",
                                                    "_Netcdf4Dimid",  "_Netcdf4Coordinates"};
  std::vector<std::string> names;
  hsize_t idx = 0;
  check(H5Aiterate2(src, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &names), "list attributes");
  for (const auto& name : names) {
    if (kScaleAttrs.count(name) || skip.count(name)) continue;
    H a(H5Aopen(src, name.c_str(), H5P_DEFAULT), H5Aclose);
    H ftype(H5Aget_type(a), H5Tclose);
    if (H5Tdetect_class(ftype, H5T_REFERENCE) > 0) continue;
    H space(H5Aget_space(a), H5Sclose);
    H mtype(H5Tget_class(ftype) == H5T_STRING ? H5Tcopy(ftype) : H5Tget_native_type(ftype, H5T_DIR_DEFAULT),
            H5Tclose);
    const auto n = static_cast<std::size_t>(std::max<hssize_t>(H5Sget_simple_extent_npoints(space), 1));
    std::vector<unsigned char> buf(n * H5Tget_size(mtype));
    check(H5Aread(a, mtype, buf.data()), "read attribute");
    const bool vlen = H5Tis_variable_str(mtype) > 0 || H5Tdetect_class(mtype, H5T_VLEN) > 0;
    H b(H5Acreate2(dst, name.c_str(), ftype, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        "HDF5: create attribute");
    const herr_t e = H5Awrite(b, mtype, buf.data());
    if (vlen) H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, buf.data());
    check(e, "write attribute");
  }
}

// ---- /runs columns -------------------------------------------------------------------------------------

enum class ColType { kInt64, kUInt64, kFloat64, kString };

const char* type_name(ColType t) {
  switch (t) {
    case ColType::kInt64:
      return "int64";
    case ColType::kUInt64:
      return "uint64";
    case ColType::kFloat64:
      return "float64";
    case ColType::kString:
      return "string";
  }
  return "?";
}

struct Column {
  ColType type = ColType::kFloat64;
  std::vector<std::int64_t> i;
  std::vector<std::uint64_t> u;
  std::vector<double> f;
  std::vector<std::string> s;
};

Column read_column(hid_t group, const std::string& name, hsize_t R) {
  H d(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "HDF5: open /runs column");
  const auto dims = dims_of(d);
  if (dims.size() != 1 || dims[0] != R)
    throw std::runtime_error("/runs/" + name + " does not have one value per run");
  H ftype(H5Dget_type(d), H5Tclose);
  Column c;
  switch (H5Tget_class(ftype)) {
    case H5T_INTEGER:
      if (H5Tget_sign(ftype) == H5T_SGN_NONE) {
        c.type = ColType::kUInt64;
        c.u.resize(R);
        if (R) check(H5Dread(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, c.u.data()), "read");
      } else {
        c.type = ColType::kInt64;
        c.i.resize(R);
        if (R) check(H5Dread(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, c.i.data()), "read");
      }
      break;
    case H5T_FLOAT:
      c.type = ColType::kFloat64;
      c.f.resize(R);
      if (R) check(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, c.f.data()), "read");
      break;
    case H5T_STRING: {
      c.type = ColType::kString;
      c.s.resize(R);
      if (!R) break;
      if (H5Tis_variable_str(ftype) > 0) {
        H mtype(h5::text_type(), H5Tclose);
        std::vector<char*> ptrs(R, nullptr);
        check(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "read strings");
        for (hsize_t k = 0; k < R; ++k) c.s[k] = ptrs[k] ? ptrs[k] : "";
        H space(H5Dget_space(d), H5Sclose);
        H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, ptrs.data());
      } else {
        const std::size_t n = H5Tget_size(ftype);
        H mtype(H5Tcopy(H5T_C_S1), H5Tclose);
        check(H5Tset_size(mtype, n), "set_size");
        std::vector<char> buf(n * R);
        check(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "read strings");
        for (hsize_t k = 0; k < R; ++k) {
          const char* p = buf.data() + k * n;
          c.s[k].assign(p, strnlen(p, n));
        }
      }
      break;
    }
    default:
      throw std::runtime_error("/runs/" + name + " has a type that is not integer, float or string");
  }
  return c;
}

// ---- sources -------------------------------------------------------------------------------------------

// One source file: its shape, what it holds, and the output rows taken from it.
struct Source {
  std::string path;
  hsize_t R = 0, T = 0, C = 0;
  std::vector<std::string> run_columns;
  std::unordered_map<std::string, Column> runs;
  std::vector<std::string> series, by_community;
  std::unordered_set<std::string> has_series, has_by_community;
  std::vector<std::pair<hsize_t, hsize_t>> rows;  // (output row, source row), output rows increasing
  // A sweep's journal file (one run): each group's series in one block whose row k is metric series[k]
  // (by_community[k]), described by text-array attributes.
  bool blocked = false;
  std::unordered_map<std::string, hsize_t> block_row[2];     // [by_community]: metric -> row
  std::vector<std::string> kind[2], units[2], long_name[2];  // [by_community][row]
};

// Where a metric's values are in a source: the dataset's path and, per output row, the source row (a
// journal's block row is the metric's).
std::string source_path(const Source& s, const std::string& metric, bool by_c) {
  if (s.blocked) return by_c ? kByCommunityBlock : kSeriesBlock;
  return std::string(by_c ? "series_by_community/" : "series/") + metric;
}

std::vector<std::pair<hsize_t, hsize_t>> source_rows(const Source& s, const std::string& metric, bool by_c) {
  if (!s.blocked) return s.rows;
  std::vector<std::pair<hsize_t, hsize_t>> rows = s.rows;
  for (auto& r : rows) r.second = s.block_row[by_c].at(metric);
  return rows;
}

Source scan(const std::string& path) {
  Source s;
  s.path = path;
  H file(open_file(path), H5Fclose);
  in_file(path, [&] {
    std::int64_t version = -1, journal = -1;
    if (H5Aexists(file, "schema_version") > 0) {
      H a(H5Aopen(file, "schema_version", H5P_DEFAULT), H5Aclose);
      check(H5Aread(a, H5T_NATIVE_INT64, &version), "read schema_version");
    } else if (H5Aexists(file, "journal_version") > 0) {
      H a(H5Aopen(file, "journal_version", H5P_DEFAULT), H5Aclose);
      check(H5Aread(a, H5T_NATIVE_INT64, &journal), "read journal_version");
      if (journal != kJournalVersion)
        throw std::runtime_error("a sweep journal file of version " + std::to_string(journal) +
                                 ", which this govsim does not read");
      s.blocked = true;
    }
    if (version != kSchemaVersion && !s.blocked)
      throw std::runtime_error("not a schema-1 govsim file (schema_version " +
                               (version < 0 ? std::string("missing") : std::to_string(version)) + ")");
    s.R = length(file, "run");
    s.T = length(file, "day");
    s.C = length(file, "community");
    s.run_columns = members(file, "runs");
    if (s.run_columns.empty()) throw std::runtime_error("no /runs columns");
    H g(H5Gopen2(file, "runs", H5P_DEFAULT), H5Gclose);
    for (const auto& c : s.run_columns) s.runs.emplace(c, read_column(g, c, s.R));
    if (s.blocked) {
      if (s.R != 1) throw std::runtime_error("a journal file with " + std::to_string(s.R) + " runs");
      for (const bool by_c : {false, true}) {
        const char* name = by_c ? kByCommunityBlock : kSeriesBlock;
        if (!exists(file, name)) continue;  // no metrics of this kind
        H d(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, "HDF5: open a series block");
        auto& names = by_c ? s.by_community : s.series;
        names = h5::read_texts(d, "names");
        s.kind[by_c] = h5::read_texts(d, "kind");
        s.units[by_c] = h5::read_texts(d, "units");
        s.long_name[by_c] = h5::read_texts(d, "long_name");
        const auto M = static_cast<hsize_t>(names.size());
        if (dims_of(d) != (by_c ? std::vector<hsize_t>{M, s.C, s.T} : std::vector<hsize_t>{M, s.T}))
          throw std::runtime_error(std::string("/") + name + " does not have one row per name");
        for (const auto* v : {&s.kind[by_c], &s.units[by_c], &s.long_name[by_c]})
          if (v->size() != names.size())
            throw std::runtime_error(std::string("/") + name + " does not describe each of its rows");
        for (hsize_t k = 0; k < M; ++k)
          if (!s.block_row[by_c].emplace(names[k], k).second)
            throw std::runtime_error(std::string("/") + name + " names " + names[k] + " twice");
      }
    } else {
      s.series = members(file, "series");
      s.by_community = members(file, "series_by_community");
      for (const auto& m : s.series) {
        H d(H5Dopen2(file, ("series/" + m).c_str(), H5P_DEFAULT), H5Dclose, "HDF5: open series");
        if (dims_of(d) != std::vector<hsize_t>{s.R, s.T})
          throw std::runtime_error("/series/" + m + " is not [run, day]");
      }
      for (const auto& m : s.by_community) {
        H d(H5Dopen2(file, ("series_by_community/" + m).c_str(), H5P_DEFAULT), H5Dclose, "HDF5: open series");
        if (dims_of(d) != std::vector<hsize_t>{s.R, s.C, s.T})
          throw std::runtime_error("/series_by_community/" + m + " is not [run, community, day]");
      }
    }
    for (const auto& col : kCommunityColumns) {
      const char* c = col.name;
      if (!exists(file, std::string("communities/") + c))
        throw std::runtime_error(std::string("no /communities/") + c);
      H d(H5Dopen2(file, (std::string("communities/") + c).c_str(), H5P_DEFAULT), H5Dclose);
      if (dims_of(d) != std::vector<hsize_t>{s.R, s.C})
        throw std::runtime_error(std::string("/communities/") + c + " is not [run, community]");
    }
  });
  s.has_series.insert(s.series.begin(), s.series.end());
  s.has_by_community.insert(s.by_community.begin(), s.by_community.end());
  return s;
}

// Adds `names` to `into` keeping first-seen order; a name new here goes right after the name that precedes
// it in `names`, so files that add a column (an outcome, a metric) keep the writer's grouping.
void merge_names(std::vector<std::string>& into, const std::vector<std::string>& names) {
  if (names == into) return;
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t k = 0; k < into.size(); ++k) at[into[k]] = k;
  std::size_t pos = 0;
  bool inserted = false;
  for (const auto& n : names) {
    if (inserted) {  // positions moved: recompute
      at.clear();
      for (std::size_t k = 0; k < into.size(); ++k) at[into[k]] = k;
      inserted = false;
    }
    const auto it = at.find(n);
    if (it != at.end()) {
      pos = it->second + 1;
    } else {
      into.insert(into.begin() + static_cast<std::ptrdiff_t>(pos), n);
      ++pos;
      inserted = true;
    }
  }
}

// Consecutive output rows from equally spaced rows of one source: one hyperslab on each side.
struct Stretch {
  hsize_t out0, out_stride, src0, src_stride, count;
};

std::vector<Stretch> coalesce(const std::vector<std::pair<hsize_t, hsize_t>>& rows) {
  std::vector<Stretch> out;
  std::size_t j = 0;
  while (j < rows.size()) {
    Stretch s{rows[j].first, 1, rows[j].second, 1, 1};
    std::size_t k = j + 1;
    if (k < rows.size() && rows[k].first > rows[j].first && rows[k].second > rows[j].second) {
      s.out_stride = rows[k].first - rows[j].first;
      s.src_stride = rows[k].second - rows[j].second;
      while (k < rows.size() && rows[k].first > rows[k - 1].first && rows[k].second > rows[k - 1].second &&
             rows[k].first - rows[k - 1].first == s.out_stride &&
             rows[k].second - rows[k - 1].second == s.src_stride)
        ++k;
    }
    s.count = k - j;
    out.push_back(s);
    j = k;
  }
  return out;
}

// Splits a stretch into pieces of at most `max_rows` rows.
std::vector<Stretch> pieces(const Stretch& s, hsize_t max_rows) {
  std::vector<Stretch> out;
  for (hsize_t done = 0; done < s.count; done += max_rows)
    out.push_back({s.out0 + done * s.out_stride, s.out_stride, s.src0 + done * s.src_stride, s.src_stride,
                   std::min(max_rows, s.count - done)});
  return out;
}

// Selects rows of a stretch (one side) and the leading `extent` of the other axes.
void select_rows(hid_t space, hsize_t start, hsize_t stride, hsize_t count,
                 const std::vector<hsize_t>& extent) {
  std::vector<hsize_t> st(extent.size() + 1, 0), sd(extent.size() + 1, 1), ct(extent.size() + 1, 1),
      bl(extent.size() + 1, 1);
  st[0] = start;
  sd[0] = count > 1 ? stride : 1;
  ct[0] = count;
  for (std::size_t k = 0; k < extent.size(); ++k) bl[k + 1] = extent[k];
  check(H5Sselect_hyperslab(space, H5S_SELECT_SET, st.data(), sd.data(), ct.data(), bl.data()), "select");
}

// A source file name as a VDS mapping stores it: relative to the output's directory (HDF5 1.10.8 looks for
// relative source names next to the virtual dataset's file first), '%' escaped (VDS names are printf-like).
std::string vds_name(const std::string& source, const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path src = fs::weakly_canonical(fs::absolute(source), ec);
  const fs::path dir = fs::weakly_canonical(fs::absolute(out).parent_path(), ec);
  fs::path rel = src.lexically_relative(dir);
  std::string name = rel.empty() ? src.string() : rel.string();
  std::string escaped;
  for (char c : name) escaped += c == '%' ? std::string("%%") : std::string(1, c);
  return escaped;
}

// Source files opened on demand and kept open until released.
class Files {
 public:
  explicit Files(const std::vector<Source>& sources) : sources_(sources) {}
  ~Files() { release_all(); }
  Files(const Files&) = delete;
  Files& operator=(const Files&) = delete;
  hid_t get(std::size_t i) {
    auto it = open_.find(i);
    if (it != open_.end()) return it->second;
    const hid_t f = open_file(sources_[i].path);
    open_[i] = f;
    return f;
  }
  void release(std::size_t i) {
    auto it = open_.find(i);
    if (it == open_.end()) return;
    H5Fclose(it->second);
    open_.erase(it);
  }
  void release_all() {
    for (auto& [i, f] : open_) H5Fclose(f);
    open_.clear();
  }

 private:
  const std::vector<Source>& sources_;
  std::map<std::size_t, hid_t> open_;
};

// Output datasets kept open while the sources are copied into them one at a time (-1: none).
struct Datasets {
  std::vector<hid_t> ids;
  ~Datasets() { close(); }
  void close() {
    for (hid_t d : ids)
      if (d >= 0) H5Dclose(d);
    ids.clear();
  }
};

// How a dataset stores its chunks: element type, extent past the run axis, chunk shape (of one row) and
// filters. Two datasets with equal layouts hold interchangeable compressed chunks.
struct ChunkLayout {
  H5T_class_t type_class = H5T_NO_CLASS;
  std::size_t type_size = 0;
  H5T_order_t order = H5T_ORDER_ERROR;
  H5T_sign_t sign = H5T_SGN_ERROR;
  std::vector<hsize_t> extent, chunk;
  std::vector<std::vector<unsigned>> filters;  // id, flags, then the client values
  bool operator==(const ChunkLayout&) const = default;
};

// nullopt: not chunked by single rows (its values are copied through memory instead).
std::optional<ChunkLayout> chunk_layout(hid_t d) {
  ChunkLayout l;
  H type(H5Dget_type(d), H5Tclose);
  l.type_class = H5Tget_class(type);
  l.type_size = H5Tget_size(type);
  l.order = H5Tget_order(type);
  l.sign = l.type_class == H5T_INTEGER ? H5Tget_sign(type) : H5T_SGN_NONE;
  const auto dims = dims_of(d);
  if (dims.empty()) return std::nullopt;
  l.extent.assign(dims.begin() + 1, dims.end());
  H plist(H5Dget_create_plist(d), H5Pclose);
  if (H5Pget_layout(plist) != H5D_CHUNKED) return std::nullopt;
  l.chunk.resize(dims.size());
  if (H5Pget_chunk(plist, static_cast<int>(l.chunk.size()), l.chunk.data()) !=
          static_cast<int>(l.chunk.size()) ||
      l.chunk[0] != 1)
    return std::nullopt;
  const int n = H5Pget_nfilters(plist);
  if (n < 0) return std::nullopt;
  for (int k = 0; k < n; ++k) {
    unsigned flags = 0, config = 0, values[16] = {};
    std::size_t nelem = 16;
    const H5Z_filter_t id =
        H5Pget_filter2(plist, static_cast<unsigned>(k), &flags, &nelem, values, 0, nullptr, &config);
    if (id < 0) return std::nullopt;
    std::vector<unsigned> f = {static_cast<unsigned>(id), flags};
    f.insert(f.end(), values, values + std::min<std::size_t>(nelem, 16));
    l.filters.push_back(std::move(f));
  }
  return l;
}

// Copies the chunks of source rows to output rows as stored (no decompression): chunks hold one row.
void copy_chunks(hid_t src, hid_t dst, const std::vector<std::pair<hsize_t, hsize_t>>& rows) {
  const auto dims = dims_of(dst);
  H pd(H5Dget_create_plist(dst), H5Pclose);
  std::vector<hsize_t> chunk(dims.size());
  H5Pget_chunk(pd, static_cast<int>(chunk.size()), chunk.data());
  std::vector<unsigned char> buf;
  for (const auto& [out_row, src_row] : rows) {
    // Every chunk of the row: an odometer over the trailing axes.
    std::vector<hsize_t> at(dims.size(), 0);
    while (true) {
      std::vector<hsize_t> so = at, oo = at;
      so[0] = src_row;
      oo[0] = out_row;
      hsize_t bytes = 0;
      if (H5Dget_chunk_storage_size(src, so.data(), &bytes) >= 0 && bytes > 0) {  // else never written: fill
        buf.resize(bytes);
        std::uint32_t mask = 0;
        check(H5Dread_chunk(src, H5P_DEFAULT, so.data(), &mask, buf.data()), "read chunk");
        check(H5Dwrite_chunk(dst, H5P_DEFAULT, mask, oo.data(), bytes, buf.data()), "write chunk");
      }
      std::size_t k = dims.size() - 1;
      for (; k > 0; --k) {
        at[k] += chunk[k];
        if (at[k] < dims[k]) break;
        at[k] = 0;
      }
      if (k == 0) break;
    }
  }
}

void combine(const std::vector<RowSource>& rows, const std::string& out, const std::string& tmp,
             CombineMode mode, const std::vector<std::pair<std::string, std::string>>& attributes) {
  if (rows.empty()) throw std::runtime_error("no rows to combine");
  // Sources in order of first use; each scanned once, then opened again only to copy from it.
  std::vector<Source> sources;
  std::unordered_map<std::string, std::size_t> source_of;
  std::vector<std::pair<std::size_t, hsize_t>> picks;  // (source, row) per output row
  for (const auto& r : rows) {
    auto it = source_of.find(r.file);
    if (it == source_of.end()) {
      it = source_of.emplace(r.file, sources.size()).first;
      sources.push_back(scan(r.file));
      if (sources.back().T != sources.front().T)
        throw std::runtime_error(r.file + ": " + std::to_string(sources.back().T) + " days, but " +
                                 sources.front().path + " has " + std::to_string(sources.front().T));
    }
    Source& s = sources[it->second];
    if (r.row < 0 || static_cast<hsize_t>(r.row) >= s.R)
      throw std::runtime_error(r.file + ": row " + std::to_string(r.row) + " out of range (the file has " +
                               std::to_string(s.R) + " runs)");
    s.rows.emplace_back(picks.size(), static_cast<hsize_t>(r.row));
    picks.emplace_back(it->second, static_cast<hsize_t>(r.row));
  }
  const auto R = static_cast<hsize_t>(picks.size());
  const hsize_t T = sources.front().T;
  hsize_t C = 0;
  for (const auto& s : sources) C = std::max(C, s.C);

  // The union of /runs columns and of metrics, first seen first.
  std::vector<std::string> columns, series_names, by_c_names;
  for (const auto& s : sources) {
    merge_names(columns, s.run_columns);
    merge_names(series_names, s.series);
    merge_names(by_c_names, s.by_community);
  }
  if (std::find(columns.begin(), columns.end(), "pair") == columns.end()) {  // files from before pair
    auto seed = std::find(columns.begin(), columns.end(), "seed");
    columns.insert(seed == columns.end() ? columns.end() : seed + 1, "pair");
  }
  auto first_with = [&](auto has) {
    for (std::size_t i = 0; i < sources.size(); ++i)
      if (has(sources[i])) return i;
    return sources.size();
  };

  Schema1 schema;
  schema.runs = R;
  schema.days = T;
  schema.communities = C;
  Files files(sources);

  // Root attributes: the first source's, then combined_from, then the caller's (which win).
  schema.root_attributes = [&](hid_t file) {
    in_file(out, [&] {
      std::set<std::string> overridden = {"combined_from", "schema_version", "journal_version"};
      for (const auto& [k, v] : attributes) overridden.insert(k);
      in_file(sources.front().path, [&] { copy_attributes(files.get(0), file, overridden); });
      std::string from;
      for (const auto& s : sources) from += (from.empty() ? "" : "\n") + s.path;
      bool from_given = false;
      for (const auto& [k, v] : attributes) from_given |= k == "combined_from";
      if (!from_given) h5::attr_text(file, "combined_from", from);
      for (const auto& [k, v] : attributes) h5::attr_text(file, k, v);
    });
  };

  // /runs: each column from the sources' rows (NaN, "" or -1 where a source lacks it), run_id and pair
  // recomputed; attributes from the first source that has the column.
  std::set<std::string> arms;
  std::vector<std::size_t> column_source;  // the first source with the column (sources.size(): none)
  {
    std::vector<std::uint64_t> seeds(R, 0);
    for (const auto& name : columns) {
      const std::size_t first = first_with([&](const Source& s) { return s.runs.count(name) > 0; });
      column_source.push_back(first);
      Column out_col;
      if (name == "pair" || first == sources.size()) {
        out_col.type = ColType::kInt64;  // computed below
      } else {
        out_col.type = sources[first].runs.at(name).type;
        for (const auto& s : sources) {
          auto it = s.runs.find(name);
          if (it != s.runs.end() && it->second.type != out_col.type)
            throw std::runtime_error(s.path + ": /runs/" + name + " is " + type_name(it->second.type) +
                                     ", but " + sources[first].path + " has " + type_name(out_col.type));
        }
      }
      switch (out_col.type) {
        case ColType::kInt64:
          out_col.i.assign(R, -1);
          break;
        case ColType::kUInt64:
          out_col.u.assign(R, 0);
          break;
        case ColType::kFloat64:
          out_col.f.assign(R, std::nan(""));
          break;
        case ColType::kString:
          out_col.s.assign(R, "");
          break;
      }
      for (hsize_t o = 0; o < R; ++o) {
        const auto& [si, row] = picks[o];
        auto it = sources[si].runs.find(name);
        if (it == sources[si].runs.end()) continue;
        const Column& c = it->second;
        switch (out_col.type) {
          case ColType::kInt64:
            out_col.i[o] = c.i[row];
            break;
          case ColType::kUInt64:
            out_col.u[o] = c.u[row];
            break;
          case ColType::kFloat64:
            out_col.f[o] = c.f[row];
            break;
          case ColType::kString:
            out_col.s[o] = c.s[row];
            break;
        }
      }
      if (name == "run_id")
        for (hsize_t o = 0; o < R; ++o) out_col.i[o] = static_cast<std::int64_t>(o);
      if (name == "seed" && out_col.type == ColType::kUInt64) seeds = out_col.u;
      if (name == "arm" && out_col.type == ColType::kString) arms.insert(out_col.s.begin(), out_col.s.end());
      if (name == "pair") {  // dense rank of the seed in the output's order
        std::map<std::uint64_t, std::int64_t> pair_of;
        for (hsize_t o = 0; o < R; ++o)
          out_col.i[o] = pair_of.emplace(seeds[o], static_cast<std::int64_t>(pair_of.size())).first->second;
      }
      switch (out_col.type) {
        case ColType::kInt64:
          schema.run_columns.push_back({name, std::move(out_col.i)});
          break;
        case ColType::kUInt64:
          schema.run_columns.push_back({name, std::move(out_col.u)});
          break;
        case ColType::kFloat64:
          schema.run_columns.push_back({name, std::move(out_col.f)});
          break;
        case ColType::kString:
          schema.run_columns.push_back({name, std::move(out_col.s)});
          break;
      }
    }
  }
  for (auto& s : sources) s.runs.clear();  // no longer needed
  schema.run_column_attributes = [&](hid_t d, std::size_t k) {
    const std::size_t first = column_source[k];
    if (first == sources.size()) return;
    const std::string path = "runs/" + columns[k];
    in_file(sources[first].path, [&] {
      H sd(H5Dopen2(files.get(first), path.c_str(), H5P_DEFAULT), H5Dclose);
      copy_attributes(sd, d);
    });
  };

  // /communities: filled from each source below (padding street -1, sizes 0).
  Datasets com_d;
  com_d.ids.assign(kNumCommunityColumns, -1);
  schema.fill_communities = [&](hid_t d, std::size_t k) {
    check(H5Iinc_ref(d), "keep /communities dataset");
    com_d.ids[k] = d;
  };

  // /series and /series_by_community: copied datasets, or virtual datasets mapping each source's rows.
  // Each takes its type and attributes from the first source that has it.
  // Every /series dataset, then every /series_by_community dataset, each group in its first-seen order.
  for (const auto& name : series_names) schema.metrics.push_back({name, true, false});
  for (const auto& name : by_c_names) schema.metrics.push_back({name, false, true});
  const std::size_t M = schema.metrics.size();
  std::vector<std::size_t> first_source(2 * M);  // [metric * 2 + by_community]
  std::vector<hid_t> type_ids;
  struct TypeCloser {
    std::vector<hid_t>& ids;
    ~TypeCloser() {
      for (hid_t t : ids) H5Tclose(t);
    }
  } type_closer{type_ids};
  auto has = [](const Source& s, const std::string& name, bool by_c) {
    return by_c ? s.has_by_community.count(name) > 0 : s.has_series.count(name) > 0;
  };
  for (std::size_t m = 0; m < M; ++m) {
    Metric& metric = schema.metrics[m];
    for (const bool by_c : {false, true}) {
      if (!(by_c ? metric.by_community : metric.series)) continue;
      const std::size_t first = first_with([&](const Source& s) { return has(s, metric.name, by_c); });
      first_source[2 * m + by_c] = first;
      const std::string path = source_path(sources[first], metric.name, by_c);
      hid_t type = -1;
      in_file(sources[first].path, [&] {
        H sd(H5Dopen2(files.get(first), path.c_str(), H5P_DEFAULT), H5Dclose);
        type = H5Dget_type(sd);
        if (type < 0) throw std::runtime_error("HDF5: type of /" + path);
      });
      type_ids.push_back(type);
      (by_c ? metric.by_community_type : metric.series_type) = type;
    }
  }
  Datasets series_d;
  series_d.ids.assign(2 * M, -1);
  std::vector<std::optional<ChunkLayout>> out_layout(2 * M);  // of series_d, read when first needed
  // Writes are whole chunks: no chunk cache needed, and none kept for every open dataset.
  H dapl(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose);
  check(H5Pset_chunk_cache(dapl, H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0, H5D_CHUNK_CACHE_W0_DEFAULT), "cache");
  if (mode == CombineMode::kCopy) {
    schema.series_access = dapl;
    schema.fill_series = [&](hid_t d, std::size_t m, bool by_c) {
      check(H5Iinc_ref(d), "keep series dataset");
      series_d.ids[2 * m + by_c] = d;
    };
  } else {
    schema.virtual_mappings = [&](hid_t dcpl, hid_t vspace, std::size_t m, bool by_c) {
      const std::string& name = schema.metrics[m].name;
      for (const auto& s : sources) {
        if (!has(s, name, by_c)) continue;
        const std::string src_path = "/" + source_path(s, name, by_c);
        std::string escaped_path;
        for (char c : src_path) escaped_path += c == '%' ? std::string("%%") : std::string(1, c);
        const hsize_t srows = s.blocked ? (by_c ? s.by_community : s.series).size() : s.R;
        const std::vector<hsize_t> sdims =
            by_c ? std::vector<hsize_t>{srows, s.C, T} : std::vector<hsize_t>{srows, T};
        const std::vector<hsize_t> extent(sdims.begin() + 1,
                                          sdims.end());  // a padded source maps [0:Cs, 0:T]
        bool empty = false;
        for (auto e : extent) empty |= e == 0;
        if (empty) continue;
        H sspace(H5Screate_simple(static_cast<int>(sdims.size()), sdims.data(), nullptr), H5Sclose);
        const std::string vname = vds_name(s.path, out);
        for (const auto& st : coalesce(source_rows(s, name, by_c))) {
          select_rows(vspace, st.out0, st.out_stride, st.count, extent);
          select_rows(sspace, st.src0, st.src_stride, st.count, extent);
          check(H5Pset_virtual(dcpl, vspace, vname.c_str(), escaped_path.c_str(), sspace), "set_virtual");
        }
      }
    };
  }
  schema.series_attributes = [&](hid_t d, std::size_t m, bool by_c) {
    const std::size_t first = first_source[2 * m + by_c];
    const Source& s = sources[first];
    if (s.blocked) {  // a journal keeps them as text arrays on its block
      const hsize_t row = s.block_row[by_c].at(schema.metrics[m].name);
      h5::attr_text(d, "kind", s.kind[by_c][row]);
      h5::attr_units(d, s.units[by_c][row]);
      h5::attr_text(d, "long_name", s.long_name[by_c][row]);
      return;
    }
    in_file(s.path, [&] {
      const std::string path = source_path(s, schema.metrics[m].name, by_c);
      H sd(H5Dopen2(files.get(first), path.c_str(), H5P_DEFAULT), H5Dclose);
      copy_attributes(sd, d);
    });
  };

  // Each source once: its /communities rows, its series rows (copy mode), its arms' mechanism groups. The
  // first source describing an arm gives /mechanisms/<arm>; only arms that have output rows.
  schema.finish = [&](hid_t mechanisms) {
    files.release_all();
    std::set<std::string> arms_done;
    for (std::size_t si = 0; si < sources.size(); ++si) {
      const Source& s = sources[si];
      in_file(s.path, [&] {
        const hid_t src = files.get(si);
        const auto stretches = coalesce(s.rows);
        // /communities: padded in memory to the output's communities.
        for (std::size_t k = 0; k < kNumCommunityColumns; ++k) {
          H sd(H5Dopen2(src, (std::string("communities/") + kCommunityColumns[k].name).c_str(), H5P_DEFAULT),
               H5Dclose);
          const hsize_t max_rows = std::max<hsize_t>(1, kBlockBytes / (std::max<hsize_t>(C, 1) * 4));
          for (const auto& whole : stretches)
            for (const auto& p : pieces(whole, max_rows)) {
              std::vector<std::int32_t> in(p.count * s.C), buf(p.count * C, kCommunityColumns[k].pad);
              if (s.C > 0) {
                H fs(H5Dget_space(sd), H5Sclose);
                select_rows(fs, p.src0, p.src_stride, p.count, {s.C});
                const hsize_t mdims[2] = {p.count, s.C};
                H ms(H5Screate_simple(2, mdims, nullptr), H5Sclose);
                check(H5Dread(sd, H5T_NATIVE_INT32, ms, fs, H5P_DEFAULT, in.data()), "read /communities");
              }
              for (hsize_t r = 0; r < p.count; ++r)
                std::copy(in.begin() + static_cast<std::ptrdiff_t>(r * s.C),
                          in.begin() + static_cast<std::ptrdiff_t>((r + 1) * s.C),
                          buf.begin() + static_cast<std::ptrdiff_t>(r * C));
              if (C == 0) continue;
              H fs(H5Dget_space(com_d.ids[k]), H5Sclose);
              select_rows(fs, p.out0, p.out_stride, p.count, {C});
              const hsize_t mdims[2] = {p.count, C};
              H ms(H5Screate_simple(2, mdims, nullptr), H5Sclose);
              check(H5Dwrite(com_d.ids[k], H5T_NATIVE_INT32, ms, fs, H5P_DEFAULT, buf.data()),
                    "write /communities");
            }
        }
        // Series: a block of rows at a time; padded communities and missing metrics stay NaN (fill value).
        std::optional<H> blocks[2];  // a journal's, open
        std::optional<ChunkLayout> block_layout[2];
        if (s.blocked && mode == CombineMode::kCopy)
          for (const bool by_c : {false, true})
            if (!(by_c ? s.by_community : s.series).empty()) {
              blocks[by_c].emplace(H5Dopen2(src, by_c ? kByCommunityBlock : kSeriesBlock, H5P_DEFAULT),
                                   H5Dclose, "HDF5: open a series block");
              block_layout[by_c] = chunk_layout(*blocks[by_c]);
            }
        if (mode == CombineMode::kCopy)
          for (std::size_t m = 0; m < M; ++m)
            for (const bool by_c : {false, true}) {
              const hid_t dst = series_d.ids[2 * m + by_c];
              if (dst < 0 || !has(s, schema.metrics[m].name, by_c)) continue;
              const std::vector<hsize_t> extent =
                  by_c ? std::vector<hsize_t>{s.C, T} : std::vector<hsize_t>{T};
              hsize_t row_elems = 1;
              for (auto e : extent) row_elems *= e;
              if (row_elems == 0) continue;
              const std::string& name = schema.metrics[m].name;
              // A journal's block is opened once for all its metrics.
              std::optional<H> own;
              hid_t sd = s.blocked ? blocks[by_c]->id : -1;
              if (sd < 0) {
                own.emplace(H5Dopen2(src, source_path(s, name, by_c).c_str(), H5P_DEFAULT), H5Dclose,
                            "HDF5: open series");
                sd = own->id;
              }
              const auto src_rows = source_rows(s, name, by_c);
              if (!out_layout[2 * m + by_c]) out_layout[2 * m + by_c] = chunk_layout(dst);
              const auto& src_layout = s.blocked ? block_layout[by_c] : chunk_layout(sd);
              if (src_layout && out_layout[2 * m + by_c] && *src_layout == *out_layout[2 * m + by_c]) {
                copy_chunks(sd, dst, src_rows);  // the usual case: files written by the same writer
                continue;
              }
              H ftype(H5Dget_type(sd), H5Tclose);
              H mtype(H5Tget_native_type(ftype, H5T_DIR_DEFAULT), H5Tclose);
              const std::size_t elem = H5Tget_size(mtype);
              const hsize_t max_rows = std::max<hsize_t>(1, kBlockBytes / (row_elems * elem));
              std::vector<unsigned char> buf;
              for (const auto& whole : coalesce(src_rows))
                for (const auto& p : pieces(whole, max_rows)) {
                  buf.resize(p.count * row_elems * elem);
                  std::vector<hsize_t> mdims = {p.count};
                  mdims.insert(mdims.end(), extent.begin(), extent.end());
                  H ms(H5Screate_simple(static_cast<int>(mdims.size()), mdims.data(), nullptr), H5Sclose);
                  H fs(H5Dget_space(sd), H5Sclose);
                  select_rows(fs, p.src0, p.src_stride, p.count, extent);
                  check(H5Dread(sd, mtype, ms, fs, H5P_DEFAULT, buf.data()), "read series");
                  H os(H5Dget_space(dst), H5Sclose);
                  select_rows(os, p.out0, p.out_stride, p.count, extent);
                  check(H5Dwrite(dst, mtype, ms, os, H5P_DEFAULT, buf.data()), "write series");
                }
            }
        // /mechanisms
        for (const auto& arm : members(src, "mechanisms")) {
          if (!arms.count(arm) || !arms_done.insert(arm).second) continue;
          const auto names = members(src, "mechanisms/" + arm);
          write_mechanisms(mechanisms, arm, names, [&](hid_t g, std::size_t k) {
            H sg(H5Gopen2(src, ("mechanisms/" + arm + "/" + names[k]).c_str(), H5P_DEFAULT), H5Gclose);
            copy_attributes(sg, g);
          });
        }
      });
      files.release(si);
    }
    com_d.close();
    series_d.close();
  };
  schema.on_error = [&] {
    com_d.close();
    series_d.close();
  };
  write_schema1(tmp, schema);
}

}  // namespace

void combine_results(const std::vector<RowSource>& rows, const std::string& out, CombineMode mode,
                     const std::vector<std::pair<std::string, std::string>>& attributes,
                     bool sources_verified) {
  // Every source as govsim wrote it: a flipped byte would otherwise be copied, or mapped, as data.
  std::set<std::string> seen;
  for (const auto& r : rows)
    if (!sources_verified && seen.insert(r.file).second)
      if (const SealCheck c = check_seal(r.file); !c.ok)
        throw std::runtime_error(r.file + ": fails verification: " + c.problem);
  h5::write_atomically(out, [&](const std::string& tmp) { combine(rows, out, tmp, mode, attributes); });
}

std::vector<std::string> virtual_sources(const std::string& file) {
  namespace fs = std::filesystem;
  H f(open_file(file), H5Fclose);
  std::set<std::string> names;
  for (const char* group : {"series", "series_by_community"}) {
    if (!exists(f, group)) continue;
    H g(H5Gopen2(f, group, H5P_DEFAULT), H5Gclose, "HDF5: open group");
    H5G_info_t info;
    check(H5Gget_info(g, &info), "group info");
    for (hsize_t k = 0; k < info.nlinks; ++k) {
      char name[1024];
      if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, name, sizeof name, H5P_DEFAULT) < 0)
        continue;
      H d(H5Dopen2(g, name, H5P_DEFAULT), H5Dclose, "HDF5: open dataset");
      H dcpl(H5Dget_create_plist(d), H5Pclose);
      if (H5Pget_layout(dcpl) != H5D_VIRTUAL) continue;
      size_t count = 0;
      check(H5Pget_virtual_count(dcpl, &count), "virtual count");
      for (size_t i = 0; i < count; ++i) {
        const ssize_t n = H5Pget_virtual_filename(dcpl, i, nullptr, 0);
        if (n < 0) continue;
        std::string src(static_cast<std::size_t>(n) + 1, '\0');
        H5Pget_virtual_filename(dcpl, i, src.data(), src.size());
        src.resize(static_cast<std::size_t>(n));
        std::string plain;  // '%%' is an escaped '%'
        for (std::size_t j = 0; j < src.size(); ++j) {
          plain += src[j];
          if (src[j] == '%' && j + 1 < src.size() && src[j + 1] == '%') ++j;
        }
        names.insert(plain);
      }
    }
  }
  std::vector<std::string> out;
  const fs::path dir = fs::absolute(file).parent_path();
  for (const auto& n : names) {
    if (n == ".") continue;  // the file itself
    const fs::path p(n);
    out.push_back((p.is_absolute() ? p : (dir / p).lexically_normal()).string());
  }
  return out;
}

FileRuns read_runs(const std::string& file, const std::vector<std::string>& reals) {
  const Source s = scan(file);
  FileRuns out;
  auto strings = [&](const char* name) {
    auto it = s.runs.find(name);
    if (it == s.runs.end()) return std::vector<std::string>(s.R);
    if (it->second.type != ColType::kString)
      throw std::runtime_error(file + ": /runs/" + name + " is not text");
    return it->second.s;
  };
  out.run_hash = strings("run_hash");
  out.status = strings("status");
  auto it = s.runs.find("index");
  if (it == s.runs.end()) {
    out.index.assign(s.R, -1);
  } else if (it->second.type == ColType::kInt64) {
    out.index = it->second.i;
  } else {
    throw std::runtime_error(file + ": /runs/index is not an integer");
  }
  for (const auto& name : reals) {
    const auto col = s.runs.find(name);
    if (col == s.runs.end()) {
      out.reals.emplace_back(s.R, NAN);
    } else if (col->second.type == ColType::kFloat64) {
      out.reals.push_back(col->second.f);
    } else {
      throw std::runtime_error(file + ": /runs/" + name + " is not float64");
    }
  }
  return out;
}

std::string read_text_attribute(const std::string& file, const std::string& name) {
  H f(open_file(file), H5Fclose);
  if (H5Aexists(f, name.c_str()) <= 0) return "";
  return in_file(file, [&] {
    H a(H5Aopen(f, name.c_str(), H5P_DEFAULT), H5Aclose);
    H ftype(H5Aget_type(a), H5Tclose);
    if (H5Tget_class(ftype) != H5T_STRING) throw std::runtime_error("attribute " + name + " is not text");
    if (H5Tis_variable_str(ftype) > 0) {
      H mtype(h5::text_type(), H5Tclose);
      char* p = nullptr;
      check(H5Aread(a, mtype, &p), "read attribute");
      std::string v = p ? p : "";
      H space(H5Aget_space(a), H5Sclose);
      H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, &p);
      return v;
    }
    const std::size_t n = H5Tget_size(ftype);
    std::vector<char> buf(n + 1, '\0');
    check(H5Aread(a, ftype, buf.data()), "read attribute");
    return std::string(buf.data(), strnlen(buf.data(), n));
  });
}

}  // namespace govsim
