// Checks the MPI work queue under mpirun or srun: every position is handed out exactly once across all
// ranks and threads, and a rank 0 that is away for a while (asleep, or busy without calling MPI) does not
// hold the other ranks up: they take more positions than it does.
// Usage: govsim_mpi_queue_check [--items N] [--cost-ms MS] [--rank0-away-ms MS] [--rank0-busy]
//                               [--threads T]
#include <mpi.h>
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "experiment/work_queue.h"

namespace {

struct Options {
  std::size_t items = 50;
  int cost_ms = 20;
  int away_ms = 2000;
  bool busy = false;  // spin instead of sleeping: rank 0 computes without calling MPI
  int threads = 2;
};

void stay_away(int ms, bool busy) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  if (!busy) {
    std::this_thread::sleep_until(until);
    return;
  }
  volatile double x = 0;
  while (std::chrono::steady_clock::now() < until) {
    for (int i = 0; i < 10000; ++i) x = x + 1.0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const govsim::MpiWorld world = govsim::mpi_init(&argc, &argv);
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--items" && has_value) {
      opt.items = std::stoul(argv[++i]);
    } else if (a == "--cost-ms" && has_value) {
      opt.cost_ms = std::stoi(argv[++i]);
    } else if (a == "--rank0-away-ms" && has_value) {
      opt.away_ms = std::stoi(argv[++i]);
    } else if (a == "--rank0-busy") {
      opt.busy = true;
    } else if (a == "--threads" && has_value) {
      opt.threads = std::stoi(argv[++i]);
    } else {
      if (world.rank == 0) std::fprintf(stderr, "mpi_queue_check: unknown argument '%s'\n", a.c_str());
      govsim::mpi_abort(2);
    }
  }
  if (world.size < 2) {
    std::fprintf(stderr, "mpi_queue_check: needs at least 2 ranks (mpirun -np 2 or srun -n 2)\n");
    govsim::mpi_finalize();
    return 2;
  }

  std::vector<int> handed(opt.items, 0);  // how often this rank got each position
  int taken = 0;
  int asked_after_end = 0;  // positions handed out after a nullopt: must stay 0
  const double start = MPI_Wtime();
  double last_item = 0;  // when this rank got its last position, seconds after start
  {
    const auto queue = govsim::make_mpi_queue(opt.items);
#pragma omp parallel num_threads(opt.threads) reduction(+ : taken, asked_after_end) reduction(max : last_item)
    {
      if (world.rank == 0) stay_away(opt.away_ms, opt.busy);
      while (const auto p = queue->next()) {
#pragma omp atomic
        ++handed[*p];
        ++taken;
        last_item = MPI_Wtime() - start;
        std::this_thread::sleep_for(std::chrono::milliseconds(opt.cost_ms));
      }
      if (queue->next()) ++asked_after_end;
    }
  }  // collective: rank 0 waits here until every rank has destroyed its queue
  const double elapsed = MPI_Wtime() - start;

  std::vector<int> total(opt.items, 0);
  MPI_Allreduce(handed.data(), total.data(), static_cast<int>(opt.items), MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  std::vector<int> per_rank(world.size, 0);
  MPI_Allgather(&taken, 1, MPI_INT, per_rank.data(), 1, MPI_INT, MPI_COMM_WORLD);
  std::vector<double> last(world.size, 0);
  MPI_Gather(&last_item, 1, MPI_DOUBLE, last.data(), 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  int after_end = 0;
  MPI_Reduce(&asked_after_end, &after_end, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);

  int failures = 0;
  if (world.rank == 0) {
    std::printf("mpi_queue_check: %d ranks x %d threads, %zu items of %d ms, rank 0 away %d ms (%s)\n",
                world.size, opt.threads, opt.items, opt.cost_ms, opt.away_ms, opt.busy ? "busy" : "asleep");
    for (int r = 0; r < world.size; ++r) {
      std::printf("  rank %d took %d items, the last %.3f s after the start\n", r, per_rank[r], last[r]);
    }
    std::printf("  all done after %.3f s\n", elapsed);
    for (std::size_t i = 0; i < opt.items; ++i) {
      if (total[i] != 1) {
        std::printf("FAIL: position %zu handed out %d times\n", i, total[i]);
        ++failures;
      }
    }
    for (int r = 1; r < world.size; ++r) {
      if (per_rank[r] <= per_rank[0]) {
        std::printf("FAIL: rank %d took %d items, not more than rank 0's %d: rank 0 held it up\n", r,
                    per_rank[r], per_rank[0]);
        ++failures;
      }
    }
    if (after_end) {
      std::printf("FAIL: %d positions handed out after the queue said it was empty\n", after_end);
      ++failures;
    }
    std::printf("%s\n", failures ? "FAILED" : "OK");
    std::fflush(stdout);
  }
  MPI_Bcast(&failures, 1, MPI_INT, 0, MPI_COMM_WORLD);
  govsim::mpi_finalize();
  return failures ? 1 : 0;
}
