// Temporary files and the checks made before writing. A file is written as `PATH.tmp.HOST.PID` and renamed:
// the host and process in the name let a later govsim remove what a killed one of its own host left
// behind, without touching the temporaries of live processes or of other hosts sharing the directory.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace govsim {

inline std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "host";
  return buf;
}

// Where `path` is written before it is renamed into place.
inline std::string temporary_name(const std::string& path) {
  return path + ".tmp." + host_name() + "." + std::to_string(::getpid());
}

// Whether process `pid` (decimal text) of this host is gone.
inline bool process_gone(const std::string& pid) {
  if (pid.empty() || pid.size() > 12 || pid.find_first_not_of("0123456789") != std::string::npos)
    return false;
  return !std::filesystem::exists("/proc/" + pid);
}

// Removes the temporaries in `dir` that dead processes of this host left behind: all of them, or only
// those of files named `prefix`.
inline void remove_dead_temporaries(const std::filesystem::path& dir, const std::string& prefix = "") {
  const std::string mark = ".tmp." + host_name() + ".";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const auto at = name.rfind(mark);
    if (at == std::string::npos || (!prefix.empty() && name.substr(0, at) != prefix)) continue;
    if (process_gone(name.substr(at + mark.size()))) std::filesystem::remove(e.path(), ec);
  }
}

// "" if a file can be created in `dir` (tried with a temporary of this process, then removed), else why not.
inline std::string cannot_create_in(const std::filesystem::path& dir) {
  const std::string probe = temporary_name((dir / ".govsim-probe").string());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return "";
}

// The whole of a text file ("" if it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes a small text file under a temporary name, fsyncs and renames it: shards of one sweep may write the
// same file at the same time, and a reader never sees half of one. Throws std::runtime_error naming the path.
inline void write_text_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::string tmp = temporary_name(path.string());
  {
    std::ofstream out(tmp);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw std::runtime_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
    }
  }
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace govsim
