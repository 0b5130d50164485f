#include <gtest/gtest.h>
#include <omp.h>

#include <vector>

#include "experiment/work_queue.h"

namespace govsim {
namespace {

// Every thread drains the queue; afterwards each position must have been seen exactly once.
std::vector<int> drain_concurrently(WorkQueue& queue, std::size_t n, int threads, int* late) {
  std::vector<int> seen(n, 0);
  int handed_after_end = 0;
#pragma omp parallel num_threads(threads) reduction(+ : handed_after_end)
  {
    while (const auto p = queue.next()) {
      if (*p < n) {
#pragma omp atomic
        ++seen[*p];
      } else {
        ++handed_after_end;  // out of range counts as a failure too
      }
    }
    // Once empty, always empty.
    if (queue.next()) ++handed_after_end;
  }
  *late = handed_after_end;
  return seen;
}

TEST(WorkQueue, LocalQueueHandsOutEveryPositionExactlyOnceAcrossThreads) {
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{100000}}) {
    const auto queue = make_local_queue(n);
    int late = 0;
    const std::vector<int> seen = drain_concurrently(*queue, n, 8, &late);
    EXPECT_EQ(late, 0) << "n=" << n;
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], 1) << "position " << i << " of " << n;
  }
}

TEST(WorkQueue, LocalQueueHandsOutInOrderToOneThread) {
  const auto queue = make_local_queue(5);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(queue->next(), i);
  EXPECT_EQ(queue->next(), std::nullopt);
  EXPECT_EQ(queue->next(), std::nullopt);
}

// Outside mpirun (and in a build without MPI) the MPI queue is the local one: the sweep code needs no #if.
TEST(WorkQueue, MpiQueueWithOneRankIsLocal) {
  EXPECT_EQ(mpi_world().rank, 0);
  EXPECT_EQ(mpi_world().size, 1);
  const auto queue = make_mpi_queue(1000);
  int late = 0;
  const std::vector<int> seen = drain_concurrently(*queue, 1000, 4, &late);
  EXPECT_EQ(late, 0);
  for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], 1) << "position " << i;
}

}  // namespace
}  // namespace govsim
