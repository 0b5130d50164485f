// The state a day works on, owned by one Simulation: the world, its queues per community and street, the
// levers and conditions mechanisms set, and the day. Phases update communities in parallel, each touching
// only its own CommunityState.
#pragma once

#include <cstdint>
#include <vector>

#include "core/world.h"
#include "model/cases.h"
#include "model/levers.h"
#include "model/tally.h"
#include "params/params.h"

namespace govsim {

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
};

}  // namespace govsim
