// Hand-built worlds for unit tests: every count and link set explicitly, so results can be worked out by hand.
#pragma once

#include <cstdint>
#include <vector>

#include "core/world.h"
#include "mechanisms/factory.h"
#include "model/simulation.h"
#include "params/params.h"
#include "params/registry.h"

namespace govsim::testing {

// One street; `grids_per_community[c]` grids in community c; `households_per_grid` single-resident
// households in every grid; one grid worker per grid. Residents always report (participation 1, trust 1).
inline World tiny_world(const std::vector<std::uint32_t>& grids_per_community, std::uint32_t households_per_grid) {
  World w;
  const auto C = static_cast<std::uint32_t>(grids_per_community.size());
  w.streets.first_community = {0, C};
  w.communities.first_grid.push_back(0);
  for (std::uint32_t c = 0; c < C; ++c) {
    w.communities.first_grid.push_back(w.communities.first_grid.back() + grids_per_community[c]);
    w.communities.street.push_back(0);
    w.communities.leader.push_back(-1);
  }
  const std::uint32_t G = w.communities.first_grid.back();
  for (std::uint32_t c = 0; c < C; ++c)
    for (std::uint32_t g = w.communities.first_grid[c]; g < w.communities.first_grid[c + 1]; ++g)
      w.grids.community.push_back(c);
  for (std::uint32_t g = 0; g <= G; ++g) {
    w.grids.first_household.push_back(g * households_per_grid);
    w.grids.first_worker.push_back(g);
  }
  w.grids.old_neighbourhood.assign(G, 0);
  w.grids.visit_cursor.assign(G, 0);
  const std::uint32_t H = G * households_per_grid;
  for (std::uint32_t h = 0; h <= H; ++h) w.households.first_resident.push_back(h);
  w.residents.resize(H);
  for (std::uint32_t r = 0; r < H; ++r) {
    w.residents[r].satisfaction = 0.5f;
    w.residents[r].trust = 1.0f;
    w.residents[r].rest_satisfaction = 0.5f;
    w.residents[r].rest_trust = 1.0f;
    w.residents[r].age = static_cast<std::uint8_t>(AgeBand::kWorking);
    w.residents[r].flags = 0;
    w.residents[r].participation = 255;
    w.residents[r].digital = 0;
  }
  for (std::uint32_t g = 0; g < G; ++g) {
    w.workers.grid.push_back(g);
    w.workers.fatigue.push_back(0.0f);
    w.workers.tenure_days.push_back(1000.0f);
    w.workers.admin_backlog.push_back(0.0f);
    w.workers.task_load.push_back(0.0f);
    w.workers.willingness.push_back(1.0f);
    w.workers.vacant_until.push_back(-1);
  }
  w.neighbours.resize(H, H);
  w.neighbours.makeCompressed();
  return w;
}

// Every core parameter at its declared default.
inline Params default_params() {
  Params p;
  ParamRegistry reg;
  p.declare(reg);
  return p;
}

// The default district shrunk to `communities` for `days`: the generated worlds of the direction-of-effect
// tests.
inline Params small_district(std::int64_t communities, std::int64_t days) {
  Params p = default_params();
  p.district.communities = communities;
  p.run.days = days;
  return p;
}

// Parameters with nothing random left in the day: no arrivals, no admin tasks, no visits, no turnover,
// trained workers, one staff member at each level above the grid.
inline Params quiet_params(int days) {
  Params p = small_district(1, days);
  p.demand.household_rate = p.demand.shared_rate = p.demand.public_rate = 0;
  p.grid.hours_per_day = 8;
  p.grid.max_overtime_hours = 0;
  p.grid.admin_tasks_per_day = 0;
  p.grid.assess_hours = 0.25;
  p.grid.visit_hours_per_day = 0;
  p.grid.quit_base_per_year = 0;
  p.grid.quit_fatigue_per_day = 0;
  p.grid.ramp_days = 0;
  p.ladder.community_staff = 1;
  p.ladder.community_hours = 4;
  p.ladder.community_delay_days = 1;
  p.ladder.street_staff = 1;
  p.ladder.street_hours = 4;
  p.ladder.street_delay_days = 2;
  p.ladder.department_staff_per_street = 1;
  p.ladder.department_hours = 6;
  p.ladder.department_delay_days = 5;
  p.ladder.assess_hours = 0.5;
  p.opinion.wom_degree = 0;
  // Opinion moves only on the experiences a test makes: no relaxation, no grievance or open cost, nobody
  // moves or forgets; hard problems are not held up by parties (tests of those rules switch them on).
  p.opinion.memory_days = 0;
  p.opinion.grievance = 0;
  p.opinion.open_cost_per_day = 0;
  p.opinion.moving_per_year = 0;
  p.opinion.aware_forget_per_year = 0;
  p.ladder.coordination_days = 0;
  p.ladder.passback_per_party = 0;
  // Nobody's workload keeps them from a council or from volunteering (tests of that rule switch it on).
  p.opinion.workload_young = p.opinion.workload_working = p.opinion.workload_elderly = 0;
  return p;
}

// Every mechanism's parameter block at its declared defaults.
inline MechanismParams mechanism_defaults() {
  MechanismParams m;
  ParamRegistry reg;
  bind_mechanism_params(reg, m);
  return m;
}

// Runs the rest of a day begun with begin_day() (after demands were raised by hand).
inline void finish_day(Simulation& sim) {
  for (int p = 0; p < kPhases; ++p) sim.run_phase(static_cast<Phase>(p));
}

}  // namespace govsim::testing
