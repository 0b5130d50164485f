// HDF5 helpers shared by the schema-1 layout (h5_schema.h), the writer and the combiner. Internal to src/io.
#pragma once

#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/seal.h"
#include "util/files.h"

namespace govsim::h5 {

// Closes an HDF5 handle on scope exit.
struct H {
  hid_t id;
  herr_t (*close)(hid_t);
  H(hid_t i, herr_t (*c)(hid_t), const char* what = "HDF5 call failed") : id(i), close(c) {
    if (id < 0) throw_failed(what);
  }
  ~H() {
    if (id >= 0) close(id);
  }
  // Closes now and throws if closing fails (a file's last writes happen on close: a full disk shows here).
  void close_checked(const char* what) {
    const hid_t i = id;
    id = -1;
    if (close(i) < 0) throw_failed(what);
  }
  [[noreturn]] static void throw_failed(const char* what);
  H(const H&) = delete;
  H& operator=(const H&) = delete;
  operator hid_t() const { return id; }
};

// The operating system's reason in HDF5's error stack ("No space left on device"), or "" if it holds none:
// HDF5's own messages ("write chunk") do not say why a write failed.
inline std::string error_detail() {
  std::string found;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
        auto& out = *static_cast<std::string*>(data);
        const std::string desc = e && e->desc ? e->desc : "";
        const std::string key = "error message = '";
        const auto at = desc.find(key);
        if (out.empty() && at != std::string::npos) {
          const auto end = desc.find('\'', at + key.size());
          out = desc.substr(at + key.size(), end == std::string::npos ? end : end - at - key.size());
        }
        return 0;
      },
      &found);
  return found;
}

inline void H::throw_failed(const char* what) {
  const std::string why = error_detail();
  throw std::runtime_error(std::string(what) + (why.empty() ? "" : ": " + why));
}

inline void check(herr_t e, const char* what) {
  if (e >= 0) return;
  const std::string why = error_detail();
  throw std::runtime_error(std::string("HDF5: ") + what + (why.empty() ? "" : ": " + why));
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

// A 1-D text-array attribute (variable-length UTF-8), and reading one back (empty if absent).
inline void attr_texts(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  H type(text_type(), H5Tclose);
  const hsize_t n = values.size();
  H space(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), H5Sclose);
  H a(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
      "HDF5: create attribute");
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (n) check(H5Awrite(a, type, ptrs.data()), "attr write");
}

inline std::vector<std::string> read_texts(hid_t obj, const std::string& name) {
  std::vector<std::string> out;
  if (H5Aexists(obj, name.c_str()) <= 0) return out;
  H a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "HDF5: open attribute");
  H ftype(H5Aget_type(a), H5Tclose);
  H space(H5Aget_space(a), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (H5Tget_class(ftype) != H5T_STRING || H5Tis_variable_str(ftype) <= 0)
    throw std::runtime_error("attribute " + name + " is not variable-length text");
  if (n <= 0 || H5Sget_simple_extent_type(space) == H5S_NULL) return out;
  H mtype(text_type(), H5Tclose);
  std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
  check(H5Aread(a, mtype, ptrs.data()), "read attribute");
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, ptrs.data());
  return out;
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

inline void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& v,
                          hid_t scale) {
  H type(text_type(), H5Tclose);
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  H d(create_1d(loc, name, type, v.size()), H5Dclose, "HDF5: create dataset");
  if (!v.empty()) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write strings");
  if (scale >= 0) check(H5DSattach_scale(d, scale, 0), "attach_scale");
}

// A new file for write_atomically(): its first kSealBytes are a user block left for the seal; groups track
// and index link creation order, so readers list variables in written order. Objects' metadata leaves the
// cache when they are closed (a virtual dataset's decoded mappings would otherwise stay in memory until the
// file is closed, ~4 KiB a mapping); closing the file closes whatever is still open in it, so nothing is
// written after the seal.
inline hid_t create_file(const std::string& path) {
  H fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  check(H5Pset_userblock(fcpl, kSealBytes), "user block");
  check(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "crt order");
  H fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  check(H5Pset_evict_on_close(fapl, 1), "evict on close");
  check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "close degree");
  return H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl);
}

inline std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Writes `path` through `write(tmp)` (which creates tmp with create_file() and closes it) under a temporary
// name in the same directory, seals it (io/seal.h, with `label`), fsyncs it and renames it: a file under
// the final name is always complete and sealed; on failure the temporary is removed.
inline void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write,
                             const std::string& label = "") {
  // Host and process in the name (util/files.h): a later govsim of this host removes it if we are killed.
  const std::string tmp = temporary_name(path);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with our own messages
  try {
    write(tmp);
    seal_file(tmp, label);  // and fsyncs it: data on disk before the name says the file is complete
    std::filesystem::rename(tmp, path);
  } catch (const std::bad_alloc&) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  } catch (const std::exception& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    // Every message about writing names the file being written.
    const std::string what = e.what();
    if (what.rfind(path + ":", 0) == 0) throw;
    throw std::runtime_error(path + ": " + what);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

}  // namespace govsim::h5
