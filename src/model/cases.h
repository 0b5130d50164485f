// Demands and the queues they wait in. A case lives in its community's pool from the day it is raised
// until it closes, whichever level holds it; queues hold indices into the pool.
#pragma once

#include <cstdint>
#include <vector>

#include "core/world.h"

namespace govsim {

// kHeld: taken out of the ladder by a mechanism (e.g. listed for joint handling); still open.
enum class CaseState : std::uint8_t {
  kFree = 0,
  kLatent,
  kQueued,
  kEscalated,
  kHeld,
  kResolved,
  kAbandoned,
  kGaveUp
};

struct Case {
  std::uint32_t resident = 0;
  std::uint32_t grid = 0;       // global grid index
  std::uint32_t household = 0;  // offset within the grid
  std::int32_t day_raised = 0;
  std::uint32_t seq = 0;           // which arrival of its grid and day (keys its reporting draw)
  std::int32_t available_day = 0;  // first day the current level can work on it (transfer delays)
  float hour_raised = 0.0f;        // hour of day, 0..24
  std::int32_t day_reported = 0;   // when the ladder learnt of it (reported, or found on a visit)
  float hour_reported = 0.0f;
  std::int32_t day_queued = 0;  // when it last joined the queue of the level holding it
  float hour_queued = 0.0f;
  float size = 0.0f;             // staff-hours needed at the required level
  float work_left = 0.0f;        // staff-hours left at the current level (assessment or the work itself)
  float grievance_sat = 0.0f;    // satisfaction and trust the problem took from its resident when raised,
  float grievance_trust = 0.0f;  // given back (as relaxed since) when it is resolved
  std::uint8_t kind = 0;         // DemandKind
  std::uint8_t required = 0;     // Level that can resolve it
  std::uint8_t level = 0;        // Level holding it now
  CaseState state = CaseState::kFree;
  std::uint8_t parties =
      0;  // hard problems: departments whose sign-off (or money) it needs besides its level
  std::uint8_t coordinated = 0;  // 1 once its parties accepted it (it waits for them, off the queue)
  bool hard() const { return required >= static_cast<std::uint8_t>(Level::kStreet); }
};

// Slots are recycled; each release bumps the slot's generation, so a handle taken before tells whether its
// case still occupies the slot.
class CasePool {
 public:
  std::uint32_t alloc() {
    if (!free_.empty()) {
      const std::uint32_t id = free_.back();
      free_.pop_back();
      return id;
    }
    cases_.emplace_back();
    generation_.push_back(0);
    return static_cast<std::uint32_t>(cases_.size() - 1);
  }
  void release(std::uint32_t id) {
    cases_[id].state = CaseState::kFree;
    ++generation_[id];
    free_.push_back(id);
  }
  std::uint32_t generation(std::uint32_t id) const { return generation_[id]; }
  // The case in slot `id` if the slot still holds the case of that generation (and, with `state`, the case
  // is in it); else nullptr. A list that keeps (id, generation) pairs reads its entries through this.
  const Case* find(std::uint32_t id, std::uint32_t generation) const {
    return generation_[id] == generation ? &cases_[id] : nullptr;
  }
  const Case* find(std::uint32_t id, std::uint32_t generation, CaseState state) const {
    const Case* k = find(id, generation);
    return k != nullptr && k->state == state ? k : nullptr;
  }
  // Starts fetching slot `id` (its case and generation) into the cache, for a reader a few entries behind.
  void prefetch(std::uint32_t id) const {
    __builtin_prefetch(cases_.data() + id);
    __builtin_prefetch(generation_.data() + id);
  }
  Case& operator[](std::uint32_t id) { return cases_[id]; }
  const Case& operator[](std::uint32_t id) const { return cases_[id]; }
  std::size_t capacity() const { return cases_.size(); }
  std::size_t in_use() const { return cases_.size() - free_.size(); }

 private:
  std::vector<Case> cases_;
  std::vector<std::uint32_t> generation_;
  std::vector<std::uint32_t> free_;
};

enum class Outcome : std::uint8_t { kResolved = 0, kAbandoned, kGaveUp };

// A closed demand, waiting for the opinion phase to reach the resident who raised it.
struct ClosedEvent {
  std::uint32_t resident;
  float hours;  // from raising to closing
  std::uint8_t kind;
  std::uint8_t level;  // highest level that held it
  Outcome outcome;
  std::uint32_t case_id;
  // Copied from the case while it is in cache, so the opinion phase need not reach back into the pool.
  std::int32_t day_raised;
  float grievance_sat, grievance_trust;
};

struct CaseRef {
  std::uint32_t community;
  std::uint32_t id;
};

// A mechanism's hold on one case: valid while the case occupies its slot (DayApi::find).
struct CaseHandle {
  std::uint32_t community = 0;
  std::uint32_t id = 0;
  std::uint32_t generation = 0;
  CaseRef ref() const { return {community, id}; }
};

}  // namespace govsim
