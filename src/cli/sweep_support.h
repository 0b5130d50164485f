// What the commands that run sweeps share (sweep, calibrate): MPI start-up, thread defaults, times as text.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "experiment/work_queue.h"
#include "util/progress.h"  // clock_text

namespace govsim::cli {

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
