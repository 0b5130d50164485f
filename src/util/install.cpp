#include "util/install.h"

#ifndef GOVSIM_SOURCE_DIR
#define GOVSIM_SOURCE_DIR ""
#endif
#ifndef GOVSIM_DATA_FROM_BIN  // CMake: from CMAKE_INSTALL_BINDIR to CMAKE_INSTALL_DATADIR/govsim
#define GOVSIM_DATA_FROM_BIN "../share/govsim"
#endif

namespace fs = std::filesystem;

namespace govsim {

fs::path executable_path() {
  std::error_code ec;
  fs::path p = fs::canonical("/proc/self/exe", ec);
  return ec ? fs::path() : p;
}

fs::path data_dir() {
  std::error_code ec;
  // Computed from where the binary is now, never from where it was installed: a moved prefix still works.
  const fs::path exe = executable_path();
  if (!exe.empty()) {
    const fs::path installed = (exe.parent_path() / GOVSIM_DATA_FROM_BIN).lexically_normal();
    if (fs::is_directory(installed / "scenarios", ec)) return installed;
  }
  const fs::path source = GOVSIM_SOURCE_DIR;
  if (!source.empty() && fs::is_directory(source / "scenarios", ec)) return source;
  return {};
}

std::string find_input(const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  if (path.empty() || fs::exists(fs::symlink_status(p, ec)) || p.is_absolute()) return path;
  const fs::path data = data_dir();
  if (data.empty()) return path;
  for (const fs::path& candidate : {data / "scenarios" / p, data / p})
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  return path;
}

}  // namespace govsim
