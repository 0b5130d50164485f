// HDF5 helpers shared by the writer and the combiner, so both lay files out the same way (docs/OUTPUT.md).
// Internal to src/io.
#pragma once

#include <hdf5.h>
#include <hdf5_hl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace govsim::h5 {

// Closes an HDF5 handle on scope exit.
struct H {
  hid_t id;
  herr_t (*close)(hid_t);
  H(hid_t i, herr_t (*c)(hid_t), const char* what = "HDF5 call failed") : id(i), close(c) {
    if (id < 0) throw std::runtime_error(what);
  }
  ~H() {
    if (id >= 0) close(id);
  }
  H(const H&) = delete;
  H& operator=(const H&) = delete;
  operator hid_t() const { return id; }
};

inline void check(herr_t e, const char* what) {
  if (e < 0) throw std::runtime_error(std::string("HDF5: ") + what);
}

// Variable-length UTF-8 text: h5py returns str, h5netcdf/xarray decode it as text.
inline hid_t text_type() {
  const hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) throw std::runtime_error("HDF5: copy type");
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

inline void attr_text(hid_t obj, const std::string& name, const std::string& value) {
  H type(text_type(), H5Tclose);
  H space(H5Screate(H5S_SCALAR), H5Sclose);
  H a(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
      "HDF5: create attribute");
  const char* v = value.c_str();
  check(H5Awrite(a, type, &v), "attr write");
}

inline void attr_int(hid_t obj, const std::string& name, std::int64_t value) {
  H space(H5Screate(H5S_SCALAR), H5Sclose);
  H a(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
      "HDF5: create attribute");
  check(H5Awrite(a, H5T_NATIVE_INT64, &value), "attr write");
}

inline hid_t create_1d(hid_t loc, const std::string& name, hid_t file_type, hsize_t n) {
  H space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  return H5Dcreate2(loc, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

template <class T>
void write_1d(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type, const std::vector<T>& v,
              hid_t scale) {
  H d(create_1d(loc, name, file_type, v.size()), H5Dclose, "HDF5: create dataset");
  if (!v.empty()) check(H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write");
  if (scale >= 0) check(H5DSattach_scale(d, scale, 0), "attach_scale");
}

inline void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& v, hid_t scale) {
  H type(text_type(), H5Tclose);
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  H d(create_1d(loc, name, type, v.size()), H5Dclose, "HDF5: create dataset");
  if (!v.empty()) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write strings");
  check(H5DSattach_scale(d, scale, 0), "attach_scale");
}

inline hid_t make_scale(hid_t loc, const std::string& name, hsize_t n, const char* long_name) {
  std::vector<std::int64_t> v(n);
  for (hsize_t i = 0; i < n; ++i) v[i] = static_cast<std::int64_t>(i);
  hid_t d = create_1d(loc, name, H5T_STD_I64LE, n);
  if (d < 0) throw std::runtime_error("HDF5: create scale " + name);
  if (!v.empty()) check(H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write");
  check(H5DSset_scale(d, name.c_str()), "set_scale");
  attr_text(d, "long_name", long_name);
  return d;
}

// The three root scales, in the order every file has them.
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

// Chunks hold whole runs' time series; per-community chunks hold up to ~1 MiB of float32.
inline std::vector<hsize_t> series_chunk(hsize_t T) { return {1, std::max<hsize_t>(T, 1)}; }
inline std::vector<hsize_t> by_community_chunk(hsize_t C, hsize_t T) {
  const hsize_t cchunk = std::max<hsize_t>(1, std::min<hsize_t>(C, 262144 / std::max<hsize_t>(T, 1)));
  return {1, cchunk, std::max<hsize_t>(T, 1)};
}

// Chunked, shuffled and deflated, NaN where nothing was written. `type` is H5T_IEEE_F64LE or _F32LE.
inline hid_t create_series(hid_t loc, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
                           const std::vector<hsize_t>& chunk, hid_t dapl = H5P_DEFAULT) {
  H space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  H dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  bool empty = false;
  for (auto d : dims) empty |= d == 0;
  if (!empty) {
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk");
    check(H5Pset_shuffle(dcpl), "shuffle");
    check(H5Pset_deflate(dcpl, 4), "deflate");
  }
  const double nan = std::nan("");
  check(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan), "fill value");
  return H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, dapl);
}

// A file whose groups track and index link creation order, so readers list variables in written order.
// Objects' metadata leaves the cache when they are closed: a virtual dataset's decoded mappings would
// otherwise stay in memory until the file is closed (~4 KiB a mapping).
inline hid_t create_file(const std::string& path) {
  H fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  check(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "crt order");
  H fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  check(H5Pset_evict_on_close(fapl, 1), "evict on close");
  return H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl);
}

inline hid_t create_group(hid_t parent, const std::string& name) {
  H gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "crt order");
  const hid_t g = H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT);
  if (g < 0) throw std::runtime_error("HDF5: create group " + name);
  return g;
}

inline std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Writes `path` through `write(tmp)` under a temporary name in the same directory, fsyncs it and renames
// it: a file under the final name is always complete; on failure the temporary is removed.
inline void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write) {
  // Host and process in the name: a sweep removes temporaries that dead processes of its own host left
  // behind, and must not touch those of live shards on other hosts sharing the directory.
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  const std::string tmp = path + ".tmp." + (host[0] ? host : "host") + "." + std::to_string(::getpid());
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with our own messages
  try {
    write(tmp);
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

}  // namespace govsim::h5
