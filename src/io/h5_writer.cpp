#include "io/h5_writer.h"

#include "govsim_revision.h"  // generated at build time

#include <hdf5.h>
#include <hdf5_hl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <set>
#include <stdexcept>

#ifndef GOVSIM_VERSION
#define GOVSIM_VERSION "unknown"
#endif

namespace govsim {

std::string govsim_version() { return GOVSIM_VERSION; }
std::string git_revision() { return GOVSIM_GIT_REVISION; }

namespace {

// Closes an HDF5 handle on scope exit.
struct H {
  hid_t id;
  herr_t (*close)(hid_t);
  H(hid_t i, herr_t (*c)(hid_t)) : id(i), close(c) {
    if (id < 0) throw std::runtime_error("HDF5 call failed");
  }
  ~H() {
    if (id >= 0) close(id);
  }
  H(const H&) = delete;
  H& operator=(const H&) = delete;
  operator hid_t() const { return id; }
};

void check(herr_t e, const char* what) {
  if (e < 0) throw std::runtime_error(std::string("HDF5: ") + what);
}

// Variable-length UTF-8 text: h5py returns str, h5netcdf/xarray decode it as text.
void attr_text(hid_t obj, const std::string& name, const std::string& value) {
  H type(H5Tcopy(H5T_C_S1), H5Tclose);
  check(H5Tset_size(type, H5T_VARIABLE), "set_size");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set_cset");
  H space(H5Screate(H5S_SCALAR), H5Sclose);
  H a(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  const char* v = value.c_str();
  check(H5Awrite(a, type, &v), "attr write");
}

void attr_int(hid_t obj, const std::string& name, std::int64_t value) {
  H space(H5Screate(H5S_SCALAR), H5Sclose);
  H a(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  check(H5Awrite(a, H5T_NATIVE_INT64, &value), "attr write");
}

hid_t create_1d(hid_t loc, const std::string& name, hid_t file_type, hsize_t n) {
  H space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  return H5Dcreate2(loc, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

template <class T>
void write_1d(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type, const std::vector<T>& v,
              hid_t scale) {
  H d(create_1d(loc, name, file_type, v.size()), H5Dclose);
  if (!v.empty()) check(H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write");
  if (scale >= 0) check(H5DSattach_scale(d, scale, 0), "attach_scale");
}

void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& v, hid_t scale) {
  H type(H5Tcopy(H5T_C_S1), H5Tclose);
  check(H5Tset_size(type, H5T_VARIABLE), "set_size");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set_cset");
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  H d(create_1d(loc, name, type, v.size()), H5Dclose);
  if (!v.empty()) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write strings");
  check(H5DSattach_scale(d, scale, 0), "attach_scale");
}

hid_t make_scale(hid_t loc, const std::string& name, const std::vector<std::int64_t>& v, const char* long_name) {
  hid_t d = create_1d(loc, name, H5T_STD_I64LE, v.size());
  if (d < 0) throw std::runtime_error("HDF5: create scale " + name);
  if (!v.empty()) check(H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write");
  check(H5DSset_scale(d, name.c_str()), "set_scale");
  attr_text(d, "long_name", long_name);
  return d;
}

// Chunked, shuffled and deflated; chunks hold whole runs' time series.
hid_t create_series(hid_t loc, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
                    const std::vector<hsize_t>& chunk) {
  H space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  H dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  bool empty = false;
  for (auto d : dims) empty |= d == 0;
  if (!empty) {
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk");
    check(H5Pset_shuffle(dcpl), "shuffle");
    check(H5Pset_deflate(dcpl, 4), "deflate");
  }
  return H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void write_file(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov) {
  if (runs.empty()) throw std::runtime_error("no runs to write");
  const Recorder& rec0 = *runs.front().recorder;
  const auto R = static_cast<hsize_t>(runs.size());
  const auto T = static_cast<hsize_t>(rec0.days());
  const auto C = static_cast<hsize_t>(rec0.communities());
  for (const auto& r : runs)
    if (r.recorder->days() != rec0.days() || r.recorder->communities() != rec0.communities())
      throw std::runtime_error("runs of one file must share run.days and the number of communities");

  H fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // Track creation order in every group so readers list variables in the order written.
  H fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  check(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "crt order");
  H file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl), H5Fclose);
  H gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "crt order");
  auto group = [&](hid_t parent, const char* name) {
    return H5Gcreate2(parent, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  };

  attr_int(file, "schema_version", kSchemaVersion);
  attr_text(file, "govsim_version", govsim_version());
  attr_text(file, "git_revision", git_revision());
  attr_text(file, "command_line", prov.command_line);
  attr_text(file, "created", now_utc());
  attr_text(file, "config", prov.config_text);

  // Dimension scales live at the root so that every group sees them (netCDF-4 dimension visibility).
  std::vector<std::int64_t> idx(R);
  for (hsize_t i = 0; i < R; ++i) idx[i] = static_cast<std::int64_t>(i);
  H run_scale(make_scale(file, "run", idx, "run index"), H5Dclose);
  std::vector<std::int64_t> days(T);
  for (hsize_t i = 0; i < T; ++i) days[i] = static_cast<std::int64_t>(i);
  H day_scale(make_scale(file, "day", days, "simulated day (0 = first day)"), H5Dclose);
  // No CF time unit here: xarray would decode the day index as a duration.
  attr_text(day_scale, "units", "1");
  std::vector<std::int64_t> cidx(C);
  for (hsize_t i = 0; i < C; ++i) cidx[i] = static_cast<std::int64_t>(i);
  H com_scale(make_scale(file, "community", cidx, "community index"), H5Dclose);

  // /runs: one column per run field, and one per parameter that differs between runs.
  H runs_g(group(file, "runs"), H5Gclose);
  {
    std::vector<std::int64_t> run_id(R), replicate(R);
    std::vector<std::uint64_t> seed(R);
    std::vector<double> wall(R);
    std::vector<std::string> arm(R), status(R), message(R);
    for (hsize_t i = 0; i < R; ++i) {
      run_id[i] = static_cast<std::int64_t>(i);
      replicate[i] = runs[i].replicate;
      seed[i] = runs[i].seed;
      wall[i] = runs[i].wall_seconds;
      arm[i] = runs[i].arm;
      status[i] = runs[i].status;
      message[i] = runs[i].message;
    }
    write_1d(runs_g, "run_id", H5T_STD_I64LE, H5T_NATIVE_INT64, run_id, run_scale);
    write_strings(runs_g, "arm", arm, run_scale);
    write_1d(runs_g, "replicate", H5T_STD_I64LE, H5T_NATIVE_INT64, replicate, run_scale);
    write_1d(runs_g, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, seed, run_scale);
    write_strings(runs_g, "status", status, run_scale);
    write_strings(runs_g, "message", message, run_scale);
    write_1d(runs_g, "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, wall, run_scale);
    // Mechanisms' run-level outcomes: the union of names, NaN where a run's arm has no such mechanism.
    std::vector<std::string> outcome_names;
    for (const auto& r : runs)
      for (const auto& [name, v] : r.outcomes)
        if (std::find(outcome_names.begin(), outcome_names.end(), name) == outcome_names.end())
          outcome_names.push_back(name);
    for (const auto& name : outcome_names) {
      std::vector<double> v(R, std::nan(""));
      for (hsize_t i = 0; i < R; ++i)
        for (const auto& [n, x] : runs[i].outcomes)
          if (n == name) v[i] = x;
      write_1d(runs_g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, run_scale);
    }
    const auto& p0 = runs.front().params;
    for (std::size_t k = 0; k < p0.size(); ++k) {
      const std::string& key = p0[k].first;
      if (key == "run.seed" || key == "run.name") continue;  // already columns (seed, arm)
      bool differs = false;
      for (const auto& r : runs) differs |= r.params[k].second != p0[k].second;
      if (!differs) continue;
      if (runs.front().numeric[k]) {
        std::vector<double> v(R);
        for (hsize_t i = 0; i < R; ++i) {
          const std::string& t = runs[i].params[k].second;
          v[i] = t == "true" ? 1.0 : t == "false" ? 0.0 : std::stod(t);
        }
        write_1d(runs_g, key, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, run_scale);
      } else {
        std::vector<std::string> v(R);
        for (hsize_t i = 0; i < R; ++i) v[i] = runs[i].params[k].second;
        write_strings(runs_g, key, v, run_scale);
      }
    }
  }

  // /time/day, /communities/*
  H time_g(group(file, "time"), H5Gclose);
  write_1d(time_g, "day", H5T_STD_I64LE, H5T_NATIVE_INT64, days, day_scale);
  H com_g(group(file, "communities"), H5Gclose);
  // Community sizes differ between replicates (each has its own seed), so they are [run, community].
  for (const auto& [name, get] : std::vector<std::pair<std::string, const std::vector<std::int32_t> CommunityInfo::*>>{
           {"street", &CommunityInfo::street}, {"n_residents", &CommunityInfo::residents},
           {"n_grids", &CommunityInfo::grids}}) {
    const hsize_t dims[2] = {R, C};
    H space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    H d(H5Dcreate2(com_g, name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    std::vector<std::int32_t> buf;
    for (const auto& r : runs) buf.insert(buf.end(), (r.communities.*get).begin(), (r.communities.*get).end());
    if (buf.size() != R * C) throw std::runtime_error("community info does not match the runs");
    if (!buf.empty()) check(H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write");
    check(H5DSattach_scale(d, run_scale, 0), "attach");
    check(H5DSattach_scale(d, com_scale, 1), "attach");
  }

  // /series/<metric> [run, day] and /series_by_community/<metric> [run, community, day]: the union of the
  // runs' metrics in first-seen order; a run without a metric (its mechanism is off) holds NaN there.
  H series_g(group(file, "series"), H5Gclose);
  H by_c_g(group(file, "series_by_community"), H5Gclose);
  std::vector<const MetricSpec*> metrics;
  for (const auto& r : runs)
    for (const auto& s : r.recorder->specs()) {
      bool seen = false;
      for (const auto* m : metrics) seen |= m->name == s.name;
      if (!seen) metrics.push_back(&s);
    }
  auto find = [](const Recorder& rec, const std::string& name) -> long {
    const auto& sp = rec.specs();
    for (std::size_t i = 0; i < sp.size(); ++i)
      if (sp[i].name == name) return static_cast<long>(i);
    return -1;
  };
  for (const MetricSpec* spec : metrics) {
    const auto& s = *spec;
    {
      H d(create_series(series_g, s.name, H5T_IEEE_F64LE, {R, T}, {1, std::max<hsize_t>(T, 1)}), H5Dclose);
      std::vector<double> buf;
      buf.reserve(R * T);
      for (const auto& r : runs) {
        const long m = find(*r.recorder, s.name);
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
      attr_text(d, "kind", metric_kind_name(s.kind));
      attr_text(d, "units", s.unit);
      attr_text(d, "long_name", s.description);
    }
    if (s.by_community) {
      const hsize_t cchunk = std::max<hsize_t>(1, std::min<hsize_t>(C, 262144 / std::max<hsize_t>(T, 1)));
      H d(create_series(by_c_g, s.name, H5T_IEEE_F32LE, {R, C, T}, {1, cchunk, std::max<hsize_t>(T, 1)}),
          H5Dclose);
      const std::vector<float> missing(C * T, std::nanf(""));
      for (hsize_t i = 0; i < R; ++i) {
        const long m = find(*runs[i].recorder, s.name);
        const auto& v = m < 0 ? missing : runs[i].recorder->by_community(static_cast<std::size_t>(m));
        const hsize_t start[3] = {i, 0, 0}, count[3] = {1, C, T};
        H fs(H5Dget_space(d), H5Sclose);
        check(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
        H ms(H5Screate_simple(3, count, nullptr), H5Sclose);
        if (C * T > 0) check(H5Dwrite(d, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, v.data()), "write");
      }
      check(H5DSattach_scale(d, run_scale, 0), "attach");
      check(H5DSattach_scale(d, com_scale, 1), "attach");
      check(H5DSattach_scale(d, day_scale, 2), "attach");
      attr_text(d, "kind", metric_kind_name(s.kind));
      attr_text(d, "units", s.unit);
      attr_text(d, "long_name", s.description);
    }
  }

  // /mechanisms/<arm>/<name>: each mechanism's own description, per arm (arms may configure it differently).
  H mech_g(group(file, "mechanisms"), H5Gclose);
  std::set<std::string> done;
  for (const auto& r : runs) {
    if (r.mechanisms.empty() || !done.insert(r.arm).second) continue;
    H arm_g(group(mech_g, r.arm.c_str()), H5Gclose);
    for (const auto& [name, attrs] : r.mechanisms) {
      H g(group(arm_g, name.c_str()), H5Gclose);
      for (const auto& [k, v] : attrs) attr_text(g, k, v);
    }
  }
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush");
}

}  // namespace

void write_results(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov,
                   const WriteOptions& /*options*/) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with our own messages
  try {
    write_file(tmp, runs, prov);
    // Data on disk before the name says the file is complete.
    const int fd = ::open(tmp.c_str(), O_RDONLY);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
    std::filesystem::rename(tmp, path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

}  // namespace govsim
