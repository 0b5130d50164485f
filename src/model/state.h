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

// Days between the reviews of an open demand's cost to its resident (the cost is the integral over the
// interval, so the period changes when a cost is felt, not how much).
inline constexpr int kReviewDays = 7;
// Seed 000's horizon for hard problems ("about six months"), read as 180 days.
inline constexpr int kSixMonthsDays = 180;

// Everything one community owns.
struct CommunityState {
  CasePool pool;
  std::vector<std::vector<std::uint32_t>> grid_queue;   // per grid of the community, FIFO
  std::vector<std::vector<std::uint32_t>> grid_latent;  // unreported demands per grid
  std::vector<std::uint32_t> queue;                     // cases at the community level, FIFO
  std::vector<std::uint32_t> raised_today;
  std::vector<std::uint32_t> reported_today;     // joined a grid queue as new reports today, in that order
  std::vector<std::uint32_t> up_from_grid;       // escalated today: grid -> community
  std::vector<std::uint32_t> up_from_community;  // escalated today: community -> street
  std::vector<ClosedEvent> closed;               // closed today at any level, for the opinion phase
  std::vector<std::uint32_t> pending_release;    // closed slots, recycled after the next queue sweep
  std::vector<float> resolution_hours;           // today's resolutions, for quantiles
  std::vector<CaseHandle> coordinating;          // hard problems accepted by their parties, resolved when due
  // Open demands (any state) by day raised modulo kReviewDays: each is reviewed for its open cost every
  // kReviewDays days of its age (phases/opinion.cpp).
  std::vector<std::vector<CaseHandle>> review;
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
