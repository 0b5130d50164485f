// Does MPI passive-target RMA progress while the target rank computes without calling MPI? Rank 0 spins
// for 3 s; every other rank meanwhile takes 200 items from a counter in rank 0's window
// (MPI_Fetch_and_op under MPI_Win_lock(MPI_LOCK_SHARED)). If they finish in milliseconds it does; if they
// need the full 3 s they waited for rank 0. The answer depends on the one-sided component Open MPI picks
// (try --mca osc sm / rdma / pt2pt / ucx, --mca btl tcp,self): it is why the work queue uses a
// dispatcher thread instead (tests/cluster/README.md has the results on one machine). Not a CTest test.
// Usage: mpirun -np 2 govsim_mpi_passive_target_probe
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::uint64_t* counter = nullptr;
  MPI_Win win;
  MPI_Win_allocate(rank == 0 ? sizeof(std::uint64_t) : 0, sizeof(std::uint64_t), MPI_INFO_NULL,
                   MPI_COMM_WORLD, &counter, &win);
  if (rank == 0) *counter = 0;
  MPI_Barrier(MPI_COMM_WORLD);

  const auto start = std::chrono::steady_clock::now();
  if (rank == 0) {
    volatile double x = 0;
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(3)) x = x + 1.0;
  } else {
    const std::uint64_t one = 1;
    std::uint64_t old = 0;
    for (int i = 0; i < 200; ++i) {
      MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
      MPI_Fetch_and_op(&one, &old, MPI_UINT64_T, 0, 0, MPI_SUM, win);
      MPI_Win_unlock(0, win);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double mine = rank == 0 ? 0.0 : seconds;  // rank 0's own 3 s do not count
  double slowest = 0;
  MPI_Reduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) {
    std::printf(
        "%d ranks took 200 items each in at most %.3f s while rank 0 computed 3 s: %s (counter %llu)\n",
        size - 1, slowest, slowest < 1.5 ? "passive target progresses" : "they waited for rank 0",
        static_cast<unsigned long long>(*counter));
  }
  MPI_Win_free(&win);
  MPI_Finalize();
  return 0;
}
