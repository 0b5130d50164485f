#include "model/simulation.h"

#include <algorithm>

namespace govsim {

// escalation: cases passed up today join the next level's queue after its transfer delay; cases open too
// long are abandoned; closed cases leave the queues and their slots are recycled.

namespace {

// Passes a case up to the next level, where it waits out the transfer delay.
void move_up(const CoreState& s, const Ledger& ledger, Case& k, CommunityState& cs, Level to) {
  cs.tally.open_at[k.level] -= 1;
  k.level = static_cast<std::uint8_t>(to);
  cs.tally.open_at[k.level] += 1;
  k.state = CaseState::kQueued;
  k.day_queued = s.day;
  k.hour_queued = 24.0f;  // passed up at the end of the day
  k.available_day = s.day + ledger.transfer_delay(to);
  k.work_left = static_cast<float>(k.required <= k.level ? k.size : s.params.ladder.assess_hours);
}

// Drops from a level's queue the cases no longer waiting there, and abandons those open too long.
template <class Queue, class CommunityOf, class IdOf>
void sweep(CoreState& s, Ledger& ledger, Queue& q, std::uint8_t level, CommunityOf community_of, IdOf id_of) {
  std::size_t keep = 0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    auto& cs = s.communities[community_of(q[i])];
    Case& k = cs.pool[id_of(q[i])];
    if (k.state != CaseState::kQueued || k.level != level) continue;
    if (s.day - k.day_reported >= s.params.ladder.abandon_days) {
      ledger.close_case(cs, id_of(q[i]), Outcome::kAbandoned,
                        static_cast<float>(s.params.ladder.work_start_hour));
      continue;
    }
    q[keep++] = q[i];
  }
  q.resize(keep);
}

}  // namespace

// A community's own queues: cases its grids passed up, grid deadlines, abandonment at grid and committee.
void Simulation::escalation_community(std::uint32_t c) {
  auto& cs = s_.communities[c];
  for (const std::uint32_t id : cs.up_from_grid) {
    move_up(s_, ledger_, cs.pool[id], cs, Level::kCommunity);
    cs.queue.push_back(id);
  }
  cs.up_from_grid.clear();
  // Monitoring: a case left at the grid past its deadline moves to the community.
  if (s_.levers.grid_deadline_hours > 0) {
    for (auto& q : cs.grid_queue)
      for (const std::uint32_t id : q) {
        Case& k = cs.pool[id];
        if (k.state != CaseState::kQueued || k.level != 0) continue;
        // Time at the grid since the case last joined its queue (not time held elsewhere by a mechanism).
        const double waited = (s_.day - k.day_queued) * 24.0 + 24.0 - k.hour_queued;
        if (waited < s_.levers.grid_deadline_hours) continue;
        move_up(s_, ledger_, k, cs, Level::kCommunity);
        cs.queue.push_back(id);
        cs.tally.breached += 1;
      }
  }
  auto self = [c](std::uint32_t) { return c; };
  auto ident = [](std::uint32_t id) { return id; };
  for (auto& q : cs.grid_queue) sweep(s_, ledger_, q, 0, self, ident);
  sweep(s_, ledger_, cs.queue, 1, self, ident);
}

// Street and department sweeps close cases of many communities; they run before any slot is recycled.
// Serial hand-overs in community and street order keep queue order independent of threads.
void Simulation::escalation_district() {
  const auto C = static_cast<std::uint32_t>(s_.communities.size());
  for (std::uint32_t c = 0; c < C; ++c) {
    auto& cs = s_.communities[c];
    auto& ss = s_.streets[s_.world.communities.street[c]];
    for (const std::uint32_t id : cs.up_from_community) {
      move_up(s_, ledger_, cs.pool[id], cs, Level::kStreet);
      ss.queue.push_back({c, id});
    }
    cs.up_from_community.clear();
  }
  for (auto& ss : s_.streets) {
    for (const CaseRef& r : ss.up) {
      auto& cs = s_.communities[r.community];
      move_up(s_, ledger_, cs.pool[r.id], cs, Level::kDepartment);
      s_.department.push_back(r);
    }
    ss.up.clear();
  }
  auto ref_c = [](const CaseRef& r) { return r.community; };
  auto ref_id = [](const CaseRef& r) { return r.id; };
  const auto S = static_cast<std::int64_t>(s_.streets.size());
#pragma omp parallel for schedule(dynamic, 1) if (S >= kParallelStreets)
  for (std::int64_t s = 0; s < S; ++s) sweep(s_, ledger_, s_.streets[s].queue, 2, ref_c, ref_id);
  sweep(s_, ledger_, s_.department, 3, ref_c, ref_id);
}

// Slots closed before today's sweeps are out of every queue now and can be reused.
void Simulation::release_community(std::uint32_t c) {
  auto& cs = s_.communities[c];
  for (const std::uint32_t id : cs.pending_release) cs.pool.release(id);
  cs.pending_release.clear();
}

}  // namespace govsim
