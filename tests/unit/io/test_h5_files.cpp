// The writer's sweep features (failed runs, pair, forced parameter columns, community padding) and the
// combiner (copy and virtual), read back with the HDF5 C API.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiment/runner.h"
#include "io/h5_combine.h"
#include "io/h5_writer.h"

namespace govsim {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class H5Files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("govsim_h5_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

// Real runs of a tiny default district, kept for the process (each takes a moment).
const RunResult& run(int communities, std::int64_t replicate, int days = 5) {
  static std::map<std::tuple<int, std::int64_t, int>, std::unique_ptr<RunResult>> cache;
  auto& slot = cache[{communities, replicate, days}];
  if (!slot) {
    Scenario cfg;
    cfg.params.district.communities = communities;
    cfg.params.run.days = days;
    slot = std::make_unique<RunResult>(run_replicate(cfg, replicate, nullptr));
  }
  return *slot;
}

RunRecord failed(RunRecord r) {
  r.recorder = nullptr;
  r.status = "failed";
  r.message = "boom";
  r.communities = {};
  return r;
}

struct File {
  hid_t id;
  explicit File(const std::string& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (id < 0) throw std::runtime_error("cannot open " + p);
  }
  ~File() { H5Fclose(id); }
  bool has(const std::string& name) const { return H5Lexists(id, name.c_str(), H5P_DEFAULT) > 0; }
  std::vector<hsize_t> dims(const std::string& name) const {
    hid_t d = H5Dopen2(id, name.c_str(), H5P_DEFAULT);
    hid_t s = H5Dget_space(d);
    std::vector<hsize_t> v(static_cast<std::size_t>(H5Sget_simple_extent_ndims(s)));
    H5Sget_simple_extent_dims(s, v.data(), nullptr);
    H5Sclose(s);
    H5Dclose(d);
    return v;
  }
  template <class T>
  std::vector<T> read(const std::string& name, hid_t mem) const {
    hsize_t n = 1;
    for (auto x : dims(name)) n *= x;
    std::vector<T> v(n);
    hid_t d = H5Dopen2(id, name.c_str(), H5P_DEFAULT);
    const herr_t e = n ? H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) : 0;
    H5Dclose(d);
    if (e < 0) throw std::runtime_error("cannot read " + name);
    return v;
  }
  std::vector<double> doubles(const std::string& name) const { return read<double>(name, H5T_NATIVE_DOUBLE); }
  std::vector<float> floats(const std::string& name) const { return read<float>(name, H5T_NATIVE_FLOAT); }
  std::vector<std::int64_t> ints(const std::string& name) const {
    return read<std::int64_t>(name, H5T_NATIVE_INT64);
  }
  std::vector<std::string> strings(const std::string& name) const {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    auto p = read<char*>(name, t);
    std::vector<std::string> out;
    for (char* s : p) {
      out.emplace_back(s ? s : "");
      free(s);
    }
    H5Tclose(t);
    return out;
  }
  bool is_virtual(const std::string& name) const {
    hid_t d = H5Dopen2(id, name.c_str(), H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    const bool v = H5Pget_layout(dcpl) == H5D_VIRTUAL;
    H5Pclose(dcpl);
    H5Dclose(d);
    return v;
  }
  std::size_t mappings(const std::string& name) const {
    hid_t d = H5Dopen2(id, name.c_str(), H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    std::size_t n = 0;
    H5Pget_virtual_count(dcpl, &n);
    H5Pclose(dcpl);
    H5Dclose(d);
    return n;
  }
  std::vector<std::string> members(const std::string& group) const {
    std::vector<std::string> out;
    H5G_info_t info;
    hid_t g = H5Gopen2(id, group.c_str(), H5P_DEFAULT);
    H5Gget_info(g, &info);
    for (hsize_t i = 0; i < info.nlinks; ++i) {
      char buf[256];
      H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, buf, sizeof buf, H5P_DEFAULT);
      out.emplace_back(buf);
    }
    H5Gclose(g);
    return out;
  }
};

bool same(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

TEST_F(H5Files, AFailedRunHasNanRowsAndItsStatus) {
  const RunResult& ok = run(3, 0);
  write_results(path("f.h5"), {ok.record, failed(run(3, 1).record)}, {"cmd", "[run]\n", {}});
  File f(path("f.h5"));
  EXPECT_EQ(f.strings("runs/status"), (std::vector<std::string>{"ok", "failed"}));
  EXPECT_EQ(f.strings("runs/message"), (std::vector<std::string>{"", "boom"}));
  const auto x = f.doubles("series/n_open_cases");
  ASSERT_EQ(x.size(), 10u);
  for (int t = 0; t < 5; ++t) {
    EXPECT_EQ(x[static_cast<std::size_t>(t)], ok.recorder->at("n_open_cases", t));
    EXPECT_TRUE(std::isnan(x[static_cast<std::size_t>(5 + t)]));
  }
  const auto c = f.floats("series_by_community/mean_trust");
  ASSERT_EQ(c.size(), 2u * 3 * 5);
  for (std::size_t k = 15; k < 30; ++k) EXPECT_TRUE(std::isnan(c[k]));
  const auto street = f.ints("communities/street"), res = f.ints("communities/n_residents");
  for (std::size_t k = 3; k < 6; ++k) {
    EXPECT_EQ(street[k], -1);
    EXPECT_EQ(res[k], 0);
  }
}

TEST_F(H5Files, EveryRunFailedTakesTheShapeFromTheOptions) {
  const std::vector<RunRecord> runs = {failed(run(3, 0).record)};
  EXPECT_THROW(write_results(path("a.h5"), runs, {"cmd", "", {}}), std::runtime_error);
  EXPECT_FALSE(fs::exists(path("a.h5")));
  WriteOptions o;
  o.days = 7;
  o.communities = 4;
  write_results(path("a.h5"), runs, {"cmd", "", {}}, o);
  File f(path("a.h5"));
  EXPECT_EQ(f.dims("day"), std::vector<hsize_t>{7});
  EXPECT_EQ(f.dims("communities/street"), (std::vector<hsize_t>{1, 4}));
  EXPECT_TRUE(f.members("series").empty());
}

TEST_F(H5Files, RunsWithRecordersMustShareTheirDays) {
  EXPECT_THROW(write_results(path("d.h5"), {run(3, 0).record, run(3, 0, 6).record}, {"cmd", "", {}}),
               std::runtime_error);
}

TEST_F(H5Files, PairIsTheDenseRankOfTheSeed) {
  RunRecord a = run(3, 0).record, b = run(3, 1).record, c = run(3, 0).record, d = run(3, 1).record;
  a.seed = 50;
  b.seed = 7;
  c.seed = 50;
  d.seed = 9;
  write_results(path("p.h5"), {a, b, c, d}, {"cmd", "", {}});
  File f(path("p.h5"));
  EXPECT_EQ(f.ints("runs/pair"), (std::vector<std::int64_t>{0, 1, 0, 2}));
  EXPECT_EQ(read_text_attribute(path("p.h5"), "command_line"), "cmd");
  // Without sweep bookkeeping no index/run_hash columns.
  EXPECT_FALSE(f.has("runs/index"));
  EXPECT_EQ(f.members("runs")[4], "pair");
}

TEST_F(H5Files, SweepColumnsFollowRunIdAndForcedParametersAreWritten) {
  RunRecord a = run(3, 0).record, b = run(3, 1).record;
  a.index = 4;
  a.run_hash = "00000000000000aa";
  a.point = 2;
  a.block = "A";
  a.group = 1;
  b.index = 5;
  b.run_hash = "00000000000000bb";
  WriteOptions o;
  o.param_columns = {"district.communities", "run.mechanisms", "no.such_key"};
  write_results(path("s.h5"), {a, b}, {"cmd", "", {{"shard", "0/2"}, {"created", "then"}}}, o);
  File f(path("s.h5"));
  const auto cols = f.members("runs");
  ASSERT_GE(cols.size(), 7u);
  EXPECT_EQ(std::vector<std::string>(cols.begin(), cols.begin() + 7),
            (std::vector<std::string>{"run_id", "index", "run_hash", "point", "block", "group", "arm"}));
  EXPECT_EQ(f.ints("runs/index"), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(f.strings("runs/run_hash"), (std::vector<std::string>{"00000000000000aa", "00000000000000bb"}));
  EXPECT_EQ(f.ints("runs/point"), (std::vector<std::int64_t>{2, -1}));
  EXPECT_EQ(f.strings("runs/block"), (std::vector<std::string>{"A", ""}));
  EXPECT_EQ(f.doubles("runs/district.communities"), (std::vector<double>{3, 3}));
  EXPECT_EQ(f.strings("runs/run.mechanisms"), (std::vector<std::string>{"", ""}));
  EXPECT_FALSE(f.has("runs/no.such_key"));
  EXPECT_FALSE(f.has("runs/grid.hours_per_day"));  // constant and not forced
  EXPECT_EQ(read_text_attribute(path("s.h5"), "shard"), "0/2");
  EXPECT_EQ(read_text_attribute(path("s.h5"), "created"), "then");
  EXPECT_EQ(read_text_attribute(path("s.h5"), "no_such_attribute"), "");
}

TEST_F(H5Files, FewerCommunitiesArePadded) {
  const RunResult& big = run(3, 0);
  const RunResult& small = run(2, 1);
  write_results(path("c.h5"), {small.record, big.record}, {"cmd", "", {}});
  File f(path("c.h5"));
  EXPECT_EQ(f.dims("community"), std::vector<hsize_t>{3});
  const auto street = f.ints("communities/street"), grids = f.ints("communities/n_grids");
  EXPECT_EQ(street[2], -1);
  EXPECT_EQ(grids[2], 0);
  EXPECT_GE(street[3], 0);
  const auto c = f.floats("series_by_community/mean_trust");  // [run][community][day]
  const auto& v = small.recorder->by_community(small.recorder->index("mean_trust"));
  for (std::size_t k = 0; k < 10; ++k) EXPECT_EQ(c[k], v[k]);
  for (std::size_t k = 10; k < 15; ++k) EXPECT_TRUE(std::isnan(c[k]));
  EXPECT_FALSE(std::isnan(c[15 + 10]));
}

// Two sources with different communities, metrics and columns, rows picked out of order and strided.
class Combine : public H5Files {
 protected:
  void SetUp() override {
    H5Files::SetUp();
    std::vector<RunRecord> a, b;
    for (int k = 0; k < 4; ++k) {
      RunRecord r = run(3, k).record;
      r.index = k;
      r.run_hash = "a" + std::to_string(k);
      a.push_back(r);
    }
    b.push_back(failed(run(2, 0).record));
    b.push_back(run(2, 1).record);
    write_results(path("a.h5"), a, {"cmd a", "[a]\n", {{"shard", "a"}}});
    write_results(path("b.h5"), b, {"cmd b", "[b]\n", {}});
    rows_ = {{path("a.h5"), 0}, {path("a.h5"), 2}, {path("b.h5"), 1}, {path("a.h5"), 3}, {path("b.h5"), 0}};
  }
  std::vector<RowSource> rows_;
};

void expect_rows_equal(const std::string& out, const std::vector<RowSource>& rows) {
  File f(out);
  const auto C = f.dims("community")[0];
  const auto T = f.dims("day")[0];
  ASSERT_EQ(f.dims("run")[0], rows.size());
  for (const auto& m : f.members("series")) {
    const auto x = f.doubles("series/" + m);
    for (std::size_t o = 0; o < rows.size(); ++o) {
      File s(rows[o].file);
      const bool has = s.has("series/" + m);
      const auto y = has ? s.doubles("series/" + m) : std::vector<double>{};
      for (std::size_t t = 0; t < T; ++t) {
        const double want = has ? y[static_cast<std::size_t>(rows[o].row) * T + t] : std::nan("");
        ASSERT_TRUE(same(x[o * T + t], want)) << m << " row " << o << " day " << t;
      }
    }
  }
  for (const auto& m : f.members("series_by_community")) {
    const auto x = f.floats("series_by_community/" + m);
    for (std::size_t o = 0; o < rows.size(); ++o) {
      File s(rows[o].file);
      const auto Cs = s.dims("community")[0];
      const bool has = s.has("series_by_community/" + m);
      const auto y = has ? s.floats("series_by_community/" + m) : std::vector<float>{};
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t t = 0; t < T; ++t) {
          const float want =
              has && c < Cs ? y[(static_cast<std::size_t>(rows[o].row) * Cs + c) * T + t] : std::nanf("");
          ASSERT_TRUE(same(x[(o * C + c) * T + t], want)) << m << " row " << o;
        }
    }
  }
  const auto street = f.ints("communities/street");
  for (std::size_t o = 0; o < rows.size(); ++o) {
    File s(rows[o].file);
    const auto Cs = s.dims("community")[0];
    const auto y = s.ints("communities/street");
    for (std::size_t c = 0; c < C; ++c)
      EXPECT_EQ(street[o * C + c], c < Cs ? y[static_cast<std::size_t>(rows[o].row) * Cs + c] : -1);
  }
}

TEST_F(Combine, CopyTakesEveryValueFromItsSourceRow) {
  combine_results(rows_, path("out.h5"), CombineMode::kCopy, {{"created", "now"}});
  expect_rows_equal(path("out.h5"), rows_);
  File f(path("out.h5"));
  EXPECT_FALSE(f.is_virtual("series/n_open_cases"));
  EXPECT_EQ(f.ints("runs/run_id"), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(f.ints("runs/index"), (std::vector<std::int64_t>{0, 2, -1, 3, -1}));  // b.h5 has no index
  EXPECT_EQ(f.strings("runs/run_hash"), (std::vector<std::string>{"a0", "a2", "", "a3", ""}));
  EXPECT_EQ(f.strings("runs/status"), (std::vector<std::string>{"ok", "ok", "ok", "ok", "failed"}));
  // Replicates 0, 2, 1, 3, 0: the seeds' dense rank.
  EXPECT_EQ(f.ints("runs/pair"), (std::vector<std::int64_t>{0, 1, 2, 3, 0}));
  EXPECT_EQ(f.members("runs")[1], "index");
  EXPECT_EQ(read_text_attribute(path("out.h5"), "combined_from"), path("a.h5") + "\n" + path("b.h5"));
  EXPECT_EQ(read_text_attribute(path("out.h5"), "command_line"), "cmd a");
  EXPECT_EQ(read_text_attribute(path("out.h5"), "shard"), "a");
  EXPECT_EQ(read_text_attribute(path("out.h5"), "created"), "now");
}

TEST_F(Combine, VirtualMapsStridedRowsOnceAndReadsTheSameValues) {
  combine_results(rows_, path("out.h5"), CombineMode::kVirtual, {{"merged", "virtual"}});
  expect_rows_equal(path("out.h5"), rows_);
  File f(path("out.h5"));
  EXPECT_TRUE(f.is_virtual("series/n_open_cases"));
  EXPECT_TRUE(f.is_virtual("series_by_community/mean_trust"));
  EXPECT_FALSE(f.is_virtual("communities/street"));
  // a.h5 rows 0, 2 to outputs 0, 1 (one stretch), row 3 to output 3; b.h5 rows 1, 0 to outputs 2, 4 (source
  // rows going backwards: two mappings).
  EXPECT_EQ(f.mappings("series/n_open_cases"), 4u);
  EXPECT_EQ(read_text_attribute(path("out.h5"), "merged"), "virtual");
}

TEST_F(Combine, RoundRobinShardsNeedOneMappingPerFile) {
  std::vector<RowSource> rows;
  for (int k = 0; k < 4; ++k) rows.push_back({path(k % 2 ? "b.h5" : "a.h5"), k / 2});
  combine_results(rows, path("rr.h5"), CombineMode::kVirtual);
  expect_rows_equal(path("rr.h5"), rows);
  File f(path("rr.h5"));
  EXPECT_EQ(f.mappings("series/n_open_cases"), 2u);
  EXPECT_EQ(f.mappings("series_by_community/mean_trust"), 2u);
}

TEST_F(Combine, SourceNamesAreRelativeToTheOutput) {
  fs::create_directories(dir_ / "out");
  combine_results({{path("a.h5"), 1}}, path("out/v.h5"), CombineMode::kVirtual);
  File f(path("out/v.h5"));
  hid_t d = H5Dopen2(f.id, "series/n_open_cases", H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(d);
  char name[256];
  H5Pget_virtual_filename(dcpl, 0, name, sizeof name);
  H5Pclose(dcpl);
  H5Dclose(d);
  EXPECT_EQ(std::string(name), "../a.h5");
}

TEST_F(Combine, ErrorsNameTheFile) {
  auto message = [&](const std::vector<RowSource>& rows) {
    try {
      combine_results(rows, path("bad.h5"), CombineMode::kCopy);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{path("a.h5"), 4}}).find("a.h5: row 4 out of range"), std::string::npos);
  write_results(path("long.h5"), {run(3, 0, 6).record}, {"cmd", "", {}});
  EXPECT_NE(message({{path("a.h5"), 0}, {path("long.h5"), 0}}).find("long.h5: 6 days"), std::string::npos);
  {
    hid_t h = H5Fcreate(path("plain.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(h);
  }
  // A file govsim did not write (no seal) is refused before it is read, naming it.
  EXPECT_NE(message({{path("plain.h5"), 0}}).find("plain.h5: fails verification: no govsim seal"),
            std::string::npos);
  EXPECT_NE(message({{path("missing.h5"), 0}}).find("missing.h5"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("bad.h5")));
}

TEST_F(Combine, ReadRunsGivesHashesStatusAndIndex) {
  const FileRuns a = read_runs(path("a.h5"));
  EXPECT_EQ(a.run_hash, (std::vector<std::string>{"a0", "a1", "a2", "a3"}));
  EXPECT_EQ(a.index, (std::vector<std::int64_t>{0, 1, 2, 3}));
  const FileRuns b = read_runs(path("b.h5"));
  EXPECT_EQ(b.run_hash, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(b.status, (std::vector<std::string>{"failed", "ok"}));
  EXPECT_EQ(b.index, (std::vector<std::int64_t>{-1, -1}));
}

// A dataset's text attribute.
std::string text_attribute(const std::string& file, const std::string& dataset, const char* name) {
  File f(file);
  hid_t d = H5Dopen2(f.id, dataset.c_str(), H5P_DEFAULT);
  hid_t a = H5Aopen(d, name, H5P_DEFAULT);
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  char* p = nullptr;
  H5Aread(a, t, &p);
  std::string v = p ? p : "";
  free(p);
  H5Tclose(t);
  H5Aclose(a);
  H5Dclose(d);
  return v;
}

// A sweep's journal files hold their series in two blocks; combined (copy or virtual, alone or with
// schema-1 files) they give the rows the same runs give written as schema-1 files.
TEST_F(H5Files, JournalsCombineIntoTheRowsOfSchema1Files) {
  const std::vector<RunRecord> runs = {run(3, 0).record, run(2, 1).record, failed(run(3, 2).record)};
  WriteOptions journal;
  journal.journal = true;
  journal.days = 5;  // the failed run's shape
  journal.communities = 3;
  std::vector<RowSource> from_journals, from_files;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const std::string j = path("j" + std::to_string(k) + ".h5"), s = path("s" + std::to_string(k) + ".h5");
    write_results(j, {runs[k]}, {"cmd", "", {}}, journal);
    WriteOptions plain;
    plain.days = 5;
    plain.communities = 3;
    write_results(s, {runs[k]}, {"cmd", "", {}}, plain);
    from_journals.push_back({j, 0});
    from_files.push_back({s, 0});
  }
  {
    File j(path("j0.h5"));
    EXPECT_TRUE(j.has("series_block"));
    EXPECT_TRUE(j.has("series_by_community_block"));
    EXPECT_FALSE(j.has("series"));
    EXPECT_EQ(H5Aexists(j.id, "schema_version"), 0);
    EXPECT_GT(H5Aexists(j.id, "journal_version"), 0);
    EXPECT_FALSE(File(path("j2.h5")).has("series_block"));  // a failed run has no metrics
  }
  for (const auto mode : {CombineMode::kCopy, CombineMode::kVirtual}) {
    const std::string out = path(mode == CombineMode::kCopy ? "copy.h5" : "virtual.h5");
    combine_results(from_journals, out, mode);
    expect_rows_equal(out, from_files);
    EXPECT_EQ(File(out).members("series"), File(path("s0.h5")).members("series"));
    for (const char* attr : {"kind", "units", "long_name"}) {
      EXPECT_EQ(text_attribute(out, "series/new_resolved", attr),
                text_attribute(path("s0.h5"), "series/new_resolved", attr));
      EXPECT_EQ(text_attribute(out, "series_by_community/mean_trust", attr),
                text_attribute(path("s0.h5"), "series_by_community/mean_trust", attr));
    }
  }
  // Mixed with a schema-1 file, rows out of order.
  combine_results({from_journals[1], from_files[0], from_journals[0]}, path("mixed.h5"), CombineMode::kCopy);
  expect_rows_equal(path("mixed.h5"), {from_files[1], from_files[0], from_files[0]});
  // A journal holds one run.
  EXPECT_THROW(write_results(path("two.h5"), {runs[0], runs[1]}, {"cmd", "", {}}, journal),
               std::runtime_error);
  EXPECT_FALSE(fs::exists(path("two.h5")));
}

}  // namespace
}  // namespace govsim
