// The FIFO worker, written once: a level (or a grid's pooled workers) works its queue in order with
// `capacity` staff-hours, skipping entries whose case has left the level, stopping at the first case not yet
// workable, and carrying a part-done case to tomorrow.
#pragma once

#include <cstdint>
#include <vector>

#include "model/cases.h"

namespace govsim {

// `get(entry)` maps a queue entry to its case; `done(entry, used)` is called when a case's work at this level
// is finished, with the staff-hours used so far today (its own included). Returns the hours used: all of
// `capacity` if a case was left part-done.
template <class Entry, class Get, class Done>
double work_fifo(std::vector<Entry>& q, int day, std::uint8_t level, double capacity, Get get, Done done) {
  std::size_t head = 0;
  double used = 0;
  while (head < q.size() && capacity > 0) {
    // Each case is a cache miss, and many entries are stale (a case held by a mechanism, or moved on): fetch
    // four ahead. Taking a case's address reads nothing of it.
    if (head + 4 < q.size()) __builtin_prefetch(&get(q[head + 4]));
    Case& k = get(q[head]);
    if (k.state != CaseState::kQueued || k.level != level) {
      ++head;
      continue;
    }
    if (k.available_day > day) break;
    if (used + k.work_left <= capacity) {
      used += k.work_left;
      k.work_left = 0;
      done(q[head], used);
      ++head;
    } else {
      k.work_left -= static_cast<float>(capacity - used);
      used = capacity;
      break;
    }
  }
  q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
  return used;
}

}  // namespace govsim
