// Hands out the positions of a run list to whoever is free: the threads of this process and, in an MPI
// build started under mpirun or srun, every rank. One source of work for `govsim sweep`, so a sweep
// balances the same way on a laptop and across the nodes of a cluster.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

namespace govsim {

// Hands out positions 0..n-1 of a list (the caller orders it, costliest first) to whoever asks: the
// threads of this process and, in an MPI build under mpirun, every rank. Each position is handed out
// exactly once; after the last one next() returns nullopt, to every caller, for good. Thread-safe.
class WorkQueue {
 public:
  virtual ~WorkQueue() = default;
  virtual std::optional<std::size_t> next() = 0;
};

// Positions for the threads of this process only.
std::unique_ptr<WorkQueue> make_local_queue(std::size_t n);

// Runs `work` (a loop that takes positions from a WorkQueue until none is left) on `jobs` threads at once,
// each with threads / jobs threads of its own for the parallel loops inside it (nested); one job runs on the
// calling thread with all `threads`. Whole runs side by side meet no barrier, where one run on every thread
// meets one at every pass of its day. After every job has returned, rethrows the first exception one threw.
void run_jobs(int jobs, int threads, const std::function<void()>& work);

// MPI environment: rank/size (0/1 without MPI or outside mpirun).
struct MpiWorld {
  int rank = 0;
  int size = 1;
};

// Once, first thing in main(): initialises MPI with MPI_THREAD_MULTIPLE (aborts if the library gives less
// than MPI_THREAD_SERIALIZED). Without GOVSIM_MPI it returns {0, 1} and does nothing.
MpiWorld mpi_init(int* argc, char*** argv);
// On every way out of main() after mpi_init (a rank that leaves without it makes mpirun fail the job).
// Safe to call twice, or without mpi_init.
void mpi_finalize();
// Every rank waits for every other. Sleeps while it waits instead of spinning, so a rank that finished
// early does not take a core from the ranks still computing on the same node. No-op without MPI.
void mpi_barrier();
// True in a GOVSIM_MPI build once mpi_init has run (also with a single rank).
bool mpi_enabled();
// Ends every rank of the job with `code` (MPI_Abort); without MPI, std::exit(code).
[[noreturn]] void mpi_abort(int code);
// The world mpi_init returned ({0, 1} before it, or without MPI).
MpiWorld mpi_world();

// Collective: every rank calls it with the same n, and every rank must also destroy the queue (rank 0's
// destructor waits until all the other ranks have destroyed theirs, so destroy it on every rank, also on
// error paths, before mpi_finalize). Positions are handed out dynamically across ranks (a rank that
// finishes early takes more), so large and small runs balance: rank 0 keeps the counter, and a
// dispatcher thread on rank 0 answers the other ranks, so a rank 0 busy computing for minutes without
// calling MPI never holds the others up (one-sided MPI_Fetch_and_op would, on transports without
// hardware atomics: see tests/cluster/README.md). Threads of any rank may call next() concurrently.
// With one rank (or without GOVSIM_MPI) it is make_local_queue(n).
std::unique_ptr<WorkQueue> make_mpi_queue(std::size_t n);

}  // namespace govsim
