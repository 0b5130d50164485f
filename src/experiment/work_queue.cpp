#include "experiment/work_queue.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>

#if defined(GOVSIM_MPI) && GOVSIM_MPI
#include <mpi.h>
#endif

namespace govsim {
namespace {

// The counter never passes n, so a finished queue stays finished however often it is asked.
std::optional<std::size_t> take(std::atomic<std::size_t>& counter, std::size_t n) {
  std::size_t i = counter.load(std::memory_order_relaxed);
  while (i < n) {
    if (counter.compare_exchange_weak(i, i + 1, std::memory_order_relaxed)) return i;
  }
  return std::nullopt;
}

class LocalQueue final : public WorkQueue {
 public:
  explicit LocalQueue(std::size_t n) : n_(n) {}
  std::optional<std::size_t> next() override { return take(next_, n_); }

 private:
  const std::size_t n_;
  std::atomic<std::size_t> next_{0};
};

MpiWorld g_world;

}  // namespace

std::unique_ptr<WorkQueue> make_local_queue(std::size_t n) {
  return std::make_unique<LocalQueue>(n);
}

void run_jobs(int jobs, int threads, const std::function<void()>& work) {
  if (jobs <= 1) {
    omp_set_num_threads(threads);
    work();
    return;
  }
  const int inner = std::max(1, threads / jobs);
  omp_set_max_active_levels(inner > 1 ? 2 : 1);
  std::exception_ptr error;
#pragma omp parallel num_threads(jobs)
  {
    omp_set_num_threads(inner);
    try {
      work();
    } catch (...) {
#pragma omp critical(govsim_run_jobs_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

MpiWorld mpi_world() {
  return g_world;
}

#if defined(GOVSIM_MPI) && GOVSIM_MPI

namespace {

// Every MPI call of this file holds it, so MPI_THREAD_SERIALIZED is enough; none of them blocks for long
// while holding it (waits are MPI_Test loops that let go between tests), so a dispatcher thread and the
// worker threads of one rank never starve each other.
std::mutex& mpi_mutex() {
  static std::mutex m;
  return m;
}

bool g_initialized = false;

// Polls with growing sleeps (20 us up to 1 ms): quick answers when work flows, no spinning core while a
// rank waits minutes at a barrier or for its peers.
class Backoff {
 public:
  void reset() { us_ = 20; }
  void sleep() {
    std::this_thread::sleep_for(std::chrono::microseconds(us_));
    us_ = us_ * 2 > 1000 ? 1000 : us_ * 2;
  }

 private:
  int us_ = 20;
};

void wait_sleeping(MPI_Request& request) {
  Backoff backoff;
  for (;;) {
    int done = 0;
    {
      std::lock_guard<std::mutex> lock(mpi_mutex());
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    }
    if (done) return;
    backoff.sleep();
  }
}

constexpr int kRequest = 1;  // a rank asks rank 0 for a position
constexpr int kReply = 2;    // rank 0 answers with a position, or n when there is none left
constexpr int kLeaving = 3;  // a rank destroyed its queue and will not ask again

// Rank 0 keeps the counter; its own threads take from it directly and a dispatcher thread answers the
// other ranks' requests. Point-to-point messages progress because rank 0's dispatcher is always in MPI,
// whatever rank 0's workers are doing; a one-sided counter (MPI_Fetch_and_op) only progresses there
// on shared memory or RDMA hardware (measured: tests/cluster/README.md).
class MpiQueue final : public WorkQueue {
 public:
  MpiQueue(std::size_t n, MpiWorld world) : n_(n), world_(world) {
    // A private communicator: the queue's messages never match anyone else's receives.
    MPI_Request request;
    {
      std::lock_guard<std::mutex> lock(mpi_mutex());
      MPI_Comm_idup(MPI_COMM_WORLD, &comm_, &request);
    }
    wait_sleeping(request);
    if (world_.rank == 0) dispatcher_ = std::thread([this] { dispatch(); });
  }

  ~MpiQueue() override {
    if (world_.rank == 0) {
      dispatcher_.join();  // returns once every other rank has said it is leaving
    } else {
      std::lock_guard<std::mutex> pairing(pairing_);
      std::lock_guard<std::mutex> lock(mpi_mutex());
      const std::uint64_t none = 0;
      MPI_Send(&none, 1, MPI_UINT64_T, 0, kLeaving, comm_);
    }
    std::lock_guard<std::mutex> lock(mpi_mutex());
    MPI_Comm_free(&comm_);
  }

  std::optional<std::size_t> next() override {
    if (world_.rank == 0) return take(counter_, n_);
    // One request in flight per rank: the threads of a rank take turns.
    std::lock_guard<std::mutex> pairing(pairing_);
    if (exhausted_) return std::nullopt;
    std::uint64_t reply = 0;
    const std::uint64_t ask = 0;
    MPI_Request request;
    {
      std::lock_guard<std::mutex> lock(mpi_mutex());
      // Receive posted before the request, so rank 0's reply never waits for a buffer.
      MPI_Irecv(&reply, 1, MPI_UINT64_T, 0, kReply, comm_, &request);
      MPI_Send(&ask, 1, MPI_UINT64_T, 0, kRequest, comm_);
    }
    wait_sleeping(request);
    if (reply >= n_) {
      exhausted_ = true;
      return std::nullopt;
    }
    return static_cast<std::size_t>(reply);
  }

 private:
  void dispatch() {
    int staying = world_.size - 1;
    Backoff backoff;
    while (staying > 0) {
      bool served = false;
      {
        std::lock_guard<std::mutex> lock(mpi_mutex());
        int flag = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, &status);
        if (flag) {
          std::uint64_t message = 0;
          MPI_Recv(&message, 1, MPI_UINT64_T, status.MPI_SOURCE, status.MPI_TAG, comm_, MPI_STATUS_IGNORE);
          if (status.MPI_TAG == kRequest) {
            const std::optional<std::size_t> position = take(counter_, n_);
            const std::uint64_t answer = position ? *position : n_;
            MPI_Send(&answer, 1, MPI_UINT64_T, status.MPI_SOURCE, kReply, comm_);
          } else {
            --staying;
          }
          served = true;
        }
      }
      if (served) {
        backoff.reset();
      } else {
        backoff.sleep();
      }
    }
  }

  const std::size_t n_;
  const MpiWorld world_;
  MPI_Comm comm_ = MPI_COMM_NULL;
  std::atomic<std::size_t> counter_{0};  // rank 0 only
  std::thread dispatcher_;               // rank 0 only
  std::mutex pairing_;                   // other ranks only
  bool exhausted_ = false;               // other ranks only, under pairing_
};

}  // namespace

MpiWorld mpi_init(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return g_world;
  // MULTIPLE so that code outside this file may call MPI from any thread; this file itself only needs
  // SERIALIZED (see mpi_mutex).
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    std::cerr << "govsim: the MPI library does not support MPI_THREAD_SERIALIZED\n";
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &g_world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_world.size);
  g_initialized = true;
  return g_world;
}

void mpi_finalize() {
  if (!g_initialized) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  // Ranks that finish early wait here asleep; MPI_Finalize's own synchronisation would spin.
  mpi_barrier();
  std::lock_guard<std::mutex> lock(mpi_mutex());
  MPI_Finalize();
}

void mpi_barrier() {
  if (!g_initialized) return;
  MPI_Request request;
  {
    std::lock_guard<std::mutex> lock(mpi_mutex());
    MPI_Ibarrier(MPI_COMM_WORLD, &request);
  }
  wait_sleeping(request);
}

bool mpi_enabled() {
  return g_initialized;
}

void mpi_abort(int code) {
  if (g_initialized) MPI_Abort(MPI_COMM_WORLD, code);  // no lock: another thread may hold it forever
  std::exit(code);
}

std::unique_ptr<WorkQueue> make_mpi_queue(std::size_t n) {
  if (g_world.size == 1) return make_local_queue(n);
  return std::make_unique<MpiQueue>(n, g_world);
}

#else  // without MPI: one process, one rank

MpiWorld mpi_init(int*, char***) {
  return g_world;
}
void mpi_finalize() {}
void mpi_barrier() {}
bool mpi_enabled() {
  return false;
}
void mpi_abort(int code) {
  std::exit(code);
}
std::unique_ptr<WorkQueue> make_mpi_queue(std::size_t n) {
  return make_local_queue(n);
}

#endif

}  // namespace govsim
