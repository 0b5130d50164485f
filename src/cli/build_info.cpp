// govsim --version: the release, the revision and the build's configuration (what a methods section or a
// cluster's support desk asks for), and where this binary finds its scenarios and analysis package.
#include <hdf5.h>
#include <libdeflate.h>
#include <omp.h>
// Compiled in from the header (no library to link: one header to carry to a cluster).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#ifdef GOVSIM_MPI
#include <mpi.h>
#endif

#include "cli/commands.h"
#include "util/install.h"
#include "util/version.h"
// Last: httplib.h brings <resolv.h>, whose `_res` macro breaks Eigen's headers if they come after it.
#ifdef GOVSIM_HAVE_SERVE
#include <httplib.h>
#endif

#ifndef GOVSIM_PYTHON_DEFAULT
#define GOVSIM_PYTHON_DEFAULT "/usr/bin/python3"
#endif
#ifndef GOVSIM_BUILD_TYPE
#define GOVSIM_BUILD_TYPE "unknown"
#endif

namespace govsim::cli {

namespace {

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "GCC " __VERSION__;
#else
  return "unknown compiler";
#endif
}

// The OpenMP specification a compiler's _OPENMP date stands for.
std::string openmp_spec(int date) {
  if (date >= 202011) return "5.1";
  if (date >= 201811) return "5.0";
  if (date >= 201511) return "4.5";
  if (date >= 201307) return "4.0";
  return "3.x";
}

std::string mpi_line() {
#ifdef GOVSIM_MPI
  char text[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(text, &len);  // callable before MPI_Init
  std::string v(text, static_cast<std::size_t>(len));
  if (const auto nl = v.find_first_of("\n,"); nl != std::string::npos) v.resize(nl);
  int major = 0, minor = 0;
  MPI_Get_version(&major, &minor);
  return "yes (" + v + "; MPI " + std::to_string(major) + "." + std::to_string(minor) + ")";
#else
  return "no (configure with -DGOVSIM_MPI=ON for mpirun/srun sweeps)";
#endif
}

}  // namespace

void print_version(std::ostream& out) {
  unsigned h5_major = 0, h5_minor = 0, h5_release = 0;
  H5get_libversion(&h5_major, &h5_minor, &h5_release);
  const unsigned xxh = XXH_versionNumber();
  const std::string data = data_dir().string();
  out << "govsim " << govsim_version() << " (" << git_revision() << ")\n"
      << "  build          " << GOVSIM_BUILD_TYPE << ", " << compiler() << ", C++"
      << (__cplusplus / 100 % 100) << "\n"
      << "  MPI            " << mpi_line() << "\n"
      << "  OpenMP         " << openmp_spec(_OPENMP) << " (" << _OPENMP << "), " << omp_get_max_threads()
      << " threads by default\n"
      << "  HDF5           " << h5_major << "." << h5_minor << "." << h5_release << " (built against "
      << H5_VERS_MAJOR << "." << H5_VERS_MINOR << "." << H5_VERS_RELEASE << ")\n"
      << "  Boost          " << BOOST_VERSION / 100000 << "." << BOOST_VERSION / 100 % 1000 << "."
      << BOOST_VERSION % 100 << " (Program_options)\n"
      << "  Eigen          " << EIGEN_WORLD_VERSION << "." << EIGEN_MAJOR_VERSION << "."
      << EIGEN_MINOR_VERSION << "\n"
      << "  nlohmann_json  " << NLOHMANN_JSON_VERSION_MAJOR << "." << NLOHMANN_JSON_VERSION_MINOR << "."
      << NLOHMANN_JSON_VERSION_PATCH << "\n"
      << "  libdeflate     " << LIBDEFLATE_VERSION_STRING << "\n"
      << "  xxHash         " << xxh / 10000 << "." << xxh / 100 % 100 << "." << xxh % 100 << "\n"
      << "  Random123      (header-only, Philox4x32-10)\n"
#ifdef GOVSIM_HAVE_SERVE
      << "  serve          yes (cpp-httplib " << CPPHTTPLIB_VERSION << ")\n"
#else
      << "  serve          no (configure with Debian's libcpp-httplib-dev installed)\n"
#endif
      << "  binary         " << executable_path().string() << "\n"
      << "  data           " << (data.empty() ? "not found (no share/govsim beside the binary)" : data)
      << "  (scenarios, analysis, docs)\n"
      << "  report Python  " << GOVSIM_PYTHON_DEFAULT << " (GOVSIM_PYTHON overrides)\n";
}

}  // namespace govsim::cli
