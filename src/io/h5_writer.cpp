#include "io/h5_writer.h"

#include "govsim_revision.h"  // generated at build time
#include "io/h5_detail.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <stdexcept>

#ifndef GOVSIM_VERSION
#define GOVSIM_VERSION "unknown"
#endif

namespace govsim {

std::string govsim_version() { return GOVSIM_VERSION; }
std::string git_revision() { return GOVSIM_GIT_REVISION; }

namespace {

using h5::check;
using h5::H;

// One /runs parameter column: its key, whether it is numeric, and the runs' values ("" if a run lacks it).
struct ParamColumn {
  std::string key;
  bool numeric = false;
  std::vector<const std::string*> values;
};

// Parameters written as /runs columns: those forced by the options and those whose value differs between
// the runs that have them, in the order of the first run's parameters (the registry's).
std::vector<ParamColumn> param_columns(const std::vector<RunRecord>& runs, const WriteOptions& options) {
  std::vector<std::string> keys;
  std::map<std::string, bool> numeric;
  for (const auto& r : runs)
    for (std::size_t k = 0; k < r.params.size(); ++k)
      if (numeric.emplace(r.params[k].first, k < r.numeric.size() && r.numeric[k]).second)
        keys.push_back(r.params[k].first);
  std::vector<ParamColumn> out;
  for (const auto& key : keys) {
    ParamColumn c{key, numeric[key], {}};
    for (const auto& r : runs) {
      const std::string* v = nullptr;
      for (const auto& [k, t] : r.params)
        if (k == key) v = &t;
      c.values.push_back(v);
    }
    const bool forced = std::find(options.param_columns.begin(), options.param_columns.end(), key) !=
                        options.param_columns.end();
    bool differs = false;
    const std::string* first = nullptr;
    for (const auto* v : c.values) {
      if (!v) continue;  // a failed run may carry no parameters: it does not make a column
      if (!first) first = v;
      differs |= *v != *first;
    }
    // run.seed and run.name are already columns (seed, arm) unless a caller asks for them.
    if (!forced && (key == "run.seed" || key == "run.name")) continue;
    if (forced || differs) out.push_back(std::move(c));
  }
  return out;
}

void write_file(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov,
                const WriteOptions& options) {
  if (runs.empty()) throw std::runtime_error("no runs to write");
  // Days and communities from the runs that completed; a failed run (no recorder) has NaN series.
  int days = -1, communities = -1;
  for (const auto& r : runs) {
    if (!r.recorder) continue;
    if (days >= 0 && r.recorder->days() != days)
      throw std::runtime_error("runs of one file must share run.days");
    days = r.recorder->days();
    communities = std::max(communities, r.recorder->communities());
    if (r.communities.street.size() != static_cast<std::size_t>(r.recorder->communities()) ||
        r.communities.residents.size() != r.communities.street.size() ||
        r.communities.grids.size() != r.communities.street.size())
      throw std::runtime_error("community info does not match the runs");
  }
  if (days < 0) {  // every run failed
    if (options.days < 0 || options.communities < 0)
      throw std::runtime_error("no run completed and no days/communities given for the file's shape");
    days = options.days;
    communities = options.communities;
  }
  const auto R = static_cast<hsize_t>(runs.size());
  const auto T = static_cast<hsize_t>(days);
  const auto C = static_cast<hsize_t>(communities);

  H file(h5::create_file(path), H5Fclose, "HDF5: create file");
  // Standard root attributes; Provenance::attributes may replace any of them and add others.
  std::vector<std::pair<std::string, std::string>> text = {{"govsim_version", govsim_version()},
                                                           {"git_revision", git_revision()},
                                                           {"command_line", prov.command_line},
                                                           {"created", h5::now_utc()},
                                                           {"config", prov.config_text}};
  for (const auto& [k, v] : prov.attributes) {
    auto it = std::find_if(text.begin(), text.end(), [&](const auto& kv) { return kv.first == k; });
    if (it != text.end())
      it->second = v;
    else
      text.emplace_back(k, v);
  }
  h5::attr_int(file, "schema_version", kSchemaVersion);
  for (const auto& [k, v] : text) h5::attr_text(file, k, v);

  // Dimension scales live at the root so that every group sees them (netCDF-4 dimension visibility).
  h5::Scales scales(file, R, T, C);
  const hid_t run_scale = scales.run, day_scale = scales.day, com_scale = scales.community;

  // /runs: one column per run field, and one per parameter that differs between runs (or is forced).
  H runs_g(h5::create_group(file, "runs"), H5Gclose);
  {
    std::vector<std::int64_t> run_id(R), replicate(R), index(R), point(R), group(R), pair(R);
    std::vector<std::uint64_t> seed(R);
    std::vector<double> wall(R);
    std::vector<std::string> arm(R), status(R), message(R), run_hash(R), block(R);
    std::map<std::uint64_t, std::int64_t> pair_of;  // seed -> dense rank in first-seen order
    bool sweep = false;
    for (hsize_t i = 0; i < R; ++i) {
      const RunRecord& r = runs[i];
      run_id[i] = static_cast<std::int64_t>(i);
      replicate[i] = r.replicate;
      seed[i] = r.seed;
      pair[i] = pair_of.emplace(r.seed, static_cast<std::int64_t>(pair_of.size())).first->second;
      wall[i] = r.wall_seconds;
      arm[i] = r.arm;
      status[i] = r.status;
      message[i] = r.message;
      index[i] = r.index;
      run_hash[i] = r.run_hash;
      point[i] = r.point;
      block[i] = r.block;
      group[i] = r.group;
      sweep |= r.index >= 0;
    }
    h5::write_1d(runs_g, "run_id", H5T_STD_I64LE, H5T_NATIVE_INT64, run_id, run_scale);
    if (sweep) {  // a sweep's files: the run table's bookkeeping, so shards can be matched and merged
      h5::write_1d(runs_g, "index", H5T_STD_I64LE, H5T_NATIVE_INT64, index, run_scale);
      h5::write_strings(runs_g, "run_hash", run_hash, run_scale);
      h5::write_1d(runs_g, "point", H5T_STD_I64LE, H5T_NATIVE_INT64, point, run_scale);
      h5::write_strings(runs_g, "block", block, run_scale);
      h5::write_1d(runs_g, "group", H5T_STD_I64LE, H5T_NATIVE_INT64, group, run_scale);
    }
    h5::write_strings(runs_g, "arm", arm, run_scale);
    h5::write_1d(runs_g, "replicate", H5T_STD_I64LE, H5T_NATIVE_INT64, replicate, run_scale);
    h5::write_1d(runs_g, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, seed, run_scale);
    h5::write_1d(runs_g, "pair", H5T_STD_I64LE, H5T_NATIVE_INT64, pair, run_scale);
    {
      H d(H5Dopen2(runs_g, "pair", H5P_DEFAULT), H5Dclose);
      h5::attr_text(d, "long_name", kPairLongName);
    }
    h5::write_strings(runs_g, "status", status, run_scale);
    h5::write_strings(runs_g, "message", message, run_scale);
    h5::write_1d(runs_g, "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, wall, run_scale);
    // Mechanisms' run-level outcomes: the union of names, NaN where a run's arm has no such mechanism
    // and in failed runs.
    std::vector<std::string> outcome_names;
    for (const auto& r : runs)
      for (const auto& [name, v] : r.outcomes)
        if (std::find(outcome_names.begin(), outcome_names.end(), name) == outcome_names.end())
          outcome_names.push_back(name);
    for (const auto& name : outcome_names) {
      std::vector<double> v(R, std::nan(""));
      for (hsize_t i = 0; i < R; ++i)
        if (runs[i].recorder)
          for (const auto& [n, x] : runs[i].outcomes)
            if (n == name) v[i] = x;
      h5::write_1d(runs_g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, run_scale);
    }
    for (const auto& c : param_columns(runs, options)) {
      if (c.numeric) {
        std::vector<double> v(R, std::nan(""));
        for (hsize_t i = 0; i < R; ++i) {
          if (!c.values[i]) continue;
          const std::string& t = *c.values[i];
          v[i] = t == "true" ? 1.0 : t == "false" ? 0.0 : std::stod(t);
        }
        h5::write_1d(runs_g, c.key, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, run_scale);
      } else {
        std::vector<std::string> v(R);
        for (hsize_t i = 0; i < R; ++i)
          if (c.values[i]) v[i] = *c.values[i];
        h5::write_strings(runs_g, c.key, v, run_scale);
      }
    }
  }

  // /time/day, /communities/*
  H time_g(h5::create_group(file, "time"), H5Gclose);
  {
    std::vector<std::int64_t> day(T);
    for (hsize_t t = 0; t < T; ++t) day[t] = static_cast<std::int64_t>(t);
    h5::write_1d(time_g, "day", H5T_STD_I64LE, H5T_NATIVE_INT64, day, day_scale);
  }
  H com_g(h5::create_group(file, "communities"), H5Gclose);
  // Community sizes differ between replicates (each has its own seed), so they are [run, community]. A run
  // with fewer communities than the file (or none: a failed run) is padded with street -1 and zero sizes.
  for (const auto& [name, get, pad] :
       std::vector<std::tuple<std::string, const std::vector<std::int32_t> CommunityInfo::*, std::int32_t>>{
           {"street", &CommunityInfo::street, kNoStreet},
           {"n_residents", &CommunityInfo::residents, 0},
           {"n_grids", &CommunityInfo::grids, 0}}) {
    const hsize_t dims[2] = {R, C};
    H space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    H d(H5Dcreate2(com_g, name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    std::vector<std::int32_t> buf(R * C, pad);
    for (hsize_t i = 0; i < R; ++i)
      if (runs[i].recorder) std::copy((runs[i].communities.*get).begin(), (runs[i].communities.*get).end(),
                                      buf.begin() + static_cast<std::ptrdiff_t>(i * C));
    if (!buf.empty()) check(H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write");
    check(H5DSattach_scale(d, run_scale, 0), "attach");
    check(H5DSattach_scale(d, com_scale, 1), "attach");
  }

  // /series/<metric> [run, day] and /series_by_community/<metric> [run, community, day]: the union of the
  // runs' metrics in first-seen order; a run without a metric (its mechanism is off, or it failed) holds NaN
  // there, and so do the communities a run does not have.
  H series_g(h5::create_group(file, "series"), H5Gclose);
  H by_c_g(h5::create_group(file, "series_by_community"), H5Gclose);
  std::vector<const MetricSpec*> metrics;
  for (const auto& r : runs)
    if (r.recorder)
      for (const auto& s : r.recorder->specs()) {
        bool seen = false;
        for (const auto* m : metrics) seen |= m->name == s.name;
        if (!seen) metrics.push_back(&s);
      }
  auto find = [](const Recorder* rec, const std::string& name) -> long {
    if (!rec) return -1;
    const auto& sp = rec->specs();
    for (std::size_t i = 0; i < sp.size(); ++i)
      if (sp[i].name == name) return static_cast<long>(i);
    return -1;
  };
  for (const MetricSpec* spec : metrics) {
    const auto& s = *spec;
    {
      H d(h5::create_series(series_g, s.name, H5T_IEEE_F64LE, {R, T}, h5::series_chunk(T)), H5Dclose);
      std::vector<double> buf;
      buf.reserve(R * T);
      for (const auto& r : runs) {
        const long m = find(r.recorder, s.name);
        if (m < 0) {
          buf.insert(buf.end(), T, std::nan(""));
        } else {
          const auto& v = r.recorder->series(static_cast<std::size_t>(m));
          buf.insert(buf.end(), v.begin(), v.end());
        }
      }
      if (!buf.empty()) check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write");
      check(H5DSattach_scale(d, run_scale, 0), "attach");
      check(H5DSattach_scale(d, day_scale, 1), "attach");
      h5::attr_text(d, "kind", metric_kind_name(s.kind));
      h5::attr_text(d, "units", s.unit);
      h5::attr_text(d, "long_name", s.description);
    }
    if (s.by_community) {
      H d(h5::create_series(by_c_g, s.name, H5T_IEEE_F32LE, {R, C, T}, h5::by_community_chunk(C, T)), H5Dclose);
      std::vector<float> buf(C * T);
      for (hsize_t i = 0; i < R; ++i) {
        std::fill(buf.begin(), buf.end(), std::nanf(""));
        const long m = find(runs[i].recorder, s.name);
        if (m >= 0) {
          const auto& v = runs[i].recorder->by_community(static_cast<std::size_t>(m));
          std::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(v.size(), buf.size())),
                    buf.begin());  // [community][day]: a run's fewer communities come first, NaN after
        }
        const hsize_t start[3] = {i, 0, 0}, count[3] = {1, C, T};
        H fs(H5Dget_space(d), H5Sclose);
        check(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
        H ms(H5Screate_simple(3, count, nullptr), H5Sclose);
        if (C * T > 0) check(H5Dwrite(d, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, buf.data()), "write");
      }
      check(H5DSattach_scale(d, run_scale, 0), "attach");
      check(H5DSattach_scale(d, com_scale, 1), "attach");
      check(H5DSattach_scale(d, day_scale, 2), "attach");
      h5::attr_text(d, "kind", metric_kind_name(s.kind));
      h5::attr_text(d, "units", s.unit);
      h5::attr_text(d, "long_name", s.description);
    }
  }

  // /mechanisms/<arm>/<name>: each mechanism's own description, per arm (arms may configure it differently).
  H mech_g(h5::create_group(file, "mechanisms"), H5Gclose);
  std::set<std::string> done;
  for (const auto& r : runs) {
    if (r.mechanisms.empty() || !done.insert(r.arm).second) continue;
    H arm_g(h5::create_group(mech_g, r.arm), H5Gclose);
    for (const auto& [name, attrs] : r.mechanisms) {
      H g(h5::create_group(arm_g, name), H5Gclose);
      for (const auto& [k, v] : attrs) h5::attr_text(g, k, v);
    }
  }
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush");
}

}  // namespace

void write_results(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov,
                   const WriteOptions& options) {
  h5::write_atomically(path, [&](const std::string& tmp) { write_file(tmp, runs, prov, options); });
}

}  // namespace govsim
