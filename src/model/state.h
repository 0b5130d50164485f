// The state a day works on, owned by one Simulation: the world, its queues per community and street, the
// levers and conditions mechanisms set, and the day. Phases update communities in parallel, each touching
// only its own CommunityState.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/world.h"
#include "model/cases.h"
#include "model/levers.h"
#include "model/opinion.h"
#include "model/tally.h"
#include "params/params.h"

namespace govsim {

// An open demand's cost to its resident is reviewed at ages of kReviewDays times a power of two (7, 14, 28,
// 56, ... days) and at closing. The cost is the integral over the interval, so the spacing changes when a
// cost is felt, not how much; doubling keeps a long-open problem's reviews to the log of its age, where
// weekly reviews were most of the opinion phase's work (docs/ODD.md §7.8).
inline constexpr int kReviewDays = 7;
// Whether a problem of this age (days) is reviewed today.
constexpr bool is_review_age(int age) {
  if (age < kReviewDays || age % kReviewDays != 0) return false;
  const int weeks = age / kReviewDays;
  return (weeks & (weeks - 1)) == 0;
}
// The first review age at or after `age`.
constexpr int first_review_age_from(int age) {
  int r = kReviewDays;
  while (r < age) r *= 2;
  return r;
}
// The last review age strictly before `age` (0 if none): where the cost charged at `age` starts.
constexpr int last_review_before(int age) {
  if (age <= kReviewDays) return 0;
  int r = kReviewDays;
  while (2 * r < age) r *= 2;
  return r;
}
// Seed 000's horizon for hard problems ("about six months"), read as 180 days.
inline constexpr int kSixMonthsDays = 180;

// An open demand on its review list: the slot, its generation, and the day of its next review (entries not
// due are passed over without reading the case).
struct ReviewEntry {
  std::uint32_t id = 0;
  std::uint32_t generation = 0;
  std::int32_t next_day = 0;
};

// An unreported demand waiting at its grid, with what visits and lapsing read: both walk every waiting
// demand every day, and reading each case's record was a cache miss per demand. A case closed otherwise (by
// a mechanism) stays listed until a visit finds it or it reaches lapsing age; its generation then tells that
// the slot no longer holds it.
struct LatentEntry {
  std::uint32_t id = 0;
  std::uint32_t generation = 0;
  std::uint32_t household = 0;  // offset within the grid
  std::int32_t day_raised = 0;
};

// Everything one community owns.
struct CommunityState {
  CasePool pool;
  std::vector<std::vector<std::uint32_t>> grid_queue;  // per grid of the community, FIFO
  std::vector<std::vector<LatentEntry>> grid_latent;   // unreported demands per grid
  std::vector<std::uint32_t> queue;                    // cases at the community level, FIFO
  std::vector<std::uint32_t> raised_today;
  std::vector<std::uint32_t> reported_today;     // joined a grid queue as new reports today, in that order
  std::vector<std::uint32_t> up_from_grid;       // escalated today: grid -> community
  std::vector<std::uint32_t> up_from_community;  // escalated today: community -> street
  std::vector<ClosedEvent> closed;               // closed today at any level, for the opinion phase
  std::vector<std::uint32_t> pending_release;    // closed slots, recycled after the next queue sweep
  std::vector<float> resolution_hours;           // today's resolutions, for quantiles
  std::vector<CaseHandle> coordinating;          // hard problems accepted by their parties, resolved when due
  // Open demands (any state) by day raised modulo kReviewDays, each reviewed for its open cost on its next
  // review day (the review ages: is_review_age; phases/opinion.cpp); closed ones leave the list on that day.
  std::vector<std::vector<ReviewEntry>> review;
  // Opinion stocks without per-resident daily work (model/opinion.h).
  // Crossings of opinion.good_threshold (lane kGoodLane, and by the resident's age band, lane kGoodAgeLane +
  // band: share good by band) and of aware residents' trust across opinion.committee_good_threshold (lane
  // kCommitteeLane).
  static constexpr int kGoodLane = 0, kCommitteeLane = 1, kGoodAgeLane = 2;
  CrossingCalendar<2 + kAgeBands> calendar;
  double rest_satisfaction_sum = 0, rest_trust_sum = 0;
  Tally tally;
};

struct StreetState {
  std::vector<CaseRef> queue;
  std::vector<CaseRef> up;  // escalated today: street -> department
};

struct CoreState {
  Params params;
  Levers levers;
  DayConditions conditions;
  World world;
  std::uint64_t seed = 0;
  int day = -1;
  std::vector<CommunityState> communities;
  std::vector<StreetState> streets;
  std::vector<CaseRef> department;  // the district departments' queue
  Tally district_flows;             // today's flows of no one community (the streets' and departments' pay)
};

}  // namespace govsim
