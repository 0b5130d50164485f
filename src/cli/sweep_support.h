// What the commands that run sweeps share (sweep, calibrate): MPI start-up, thread defaults, times as text.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "experiment/work_queue.h"

namespace govsim::cli {

inline std::string clock_text(double seconds) {
  if (seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}

// Started by mpirun or srun: then (in an MPI build) the ranks share the table.
inline bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_RANK");
}

struct MpiGuard {
  MpiWorld world;
  bool active = false;
  MpiGuard() {
#ifdef GOVSIM_MPI
    if (launched_by_mpi()) {
      world = mpi_init(nullptr, nullptr);
      active = true;
    }
#endif
  }
  ~MpiGuard() {
    if (active) mpi_finalize();
  }
};

// --threads, else OMP_NUM_THREADS (OpenMP's default), else a Slurm task's cores.
inline int threads_from(int option) {
  if (option > 0) return option;
  if (std::getenv("OMP_NUM_THREADS")) return 0;  // OpenMP's own default honours it
  if (const char* c = std::getenv("SLURM_CPUS_PER_TASK")) return std::max(1, std::atoi(c));
  return 0;
}

}  // namespace govsim::cli
