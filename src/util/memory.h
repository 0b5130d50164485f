// How much memory this process may still take: what the kernel says is available, lowered by a cgroup's limit
// (a Slurm job, a container) and by an address-space limit (ulimit -v), so that govsim refuses a run it
// cannot finish instead of dying half-way.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

namespace govsim {

inline std::uint64_t available_memory_bytes() {
  std::uint64_t avail = std::numeric_limits<std::uint64_t>::max();
  {
    std::ifstream in("/proc/meminfo");
    std::string key, unit;
    std::uint64_t kb = 0;
    while (in >> key >> kb) {
      std::getline(in, unit);
      if (key == "MemAvailable:") avail = kb * 1024;
    }
  }
  // cgroup v2: the limit less what the group already uses ("max" means none).
  std::ifstream max_in("/sys/fs/cgroup/memory.max"), cur_in("/sys/fs/cgroup/memory.current");
  std::string max_text;
  std::uint64_t current = 0;
  if (max_in >> max_text && max_text != "max" && cur_in >> current) {
    try {
      const std::uint64_t limit = std::stoull(max_text);
      const std::uint64_t left = limit > current ? limit - current : 0;
      if (left < avail) avail = left;
    } catch (const std::exception&) {
    }
  }
  // ulimit -v: the limit less the address space already mapped.
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t pages = 0;
    statm >> pages;
    const std::uint64_t mapped = pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const std::uint64_t left = rl.rlim_cur > mapped ? rl.rlim_cur - mapped : 0;
    if (left < avail) avail = left;
  }
  return avail;
}

}  // namespace govsim
