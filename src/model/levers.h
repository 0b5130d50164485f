// What mechanisms may set to act on the core's rules, and the day's conditions they may announce to each
// other. Defaults leave the baseline unchanged; per-grid and per-community vectors are empty (no effect)
// until a mechanism sizes them.
#pragma once

#include <array>
#include <vector>

#include "core/world.h"

namespace govsim {

struct Levers {
  // Staff hours per grid-worker post per day added by staff moved down with tasks; they work alongside the
  // post holder (in parallel), adding to its capacity and normal hours.
  double extra_worker_hours = 0.0;
  // Reporting: p' = p + (1 - p) * digital propensity * digital_uptake (a digital channel).
  double digital_uptake = 0.0;
  // Taking part in councils and volunteering: the workload barrier is lowered in proportion to digital
  // propensity * digital_participation (taking part online, at any hour).
  double digital_participation = 0.0;
  // Days taken off every transfer delay between levels (not below 0).
  int delay_reduction_days = 0;
  // > 0: a case still at the grid this many hours after its report moves to the community (breach).
  double grid_deadline_hours = 0.0;
  // Demand rates: per kind, and per grid for shared affairs (property service).
  std::array<double, kKinds> demand_multiplier{1.0, 1.0, 1.0};
  std::vector<float> shared_multiplier;  // per grid
  // Volunteer hours per grid per day, working household and shared affairs at the grid before the workers.
  std::vector<float> volunteer_hours;  // per grid
  // Extra case hours per community per day (e.g. social workers).
  std::vector<float> community_extra_hours;  // per community
  // Extra department case hours per day (negative: hours diverted elsewhere).
  double department_extra_hours = 0.0;
  // Multiplies every grid worker's daily quit probability.
  double quit_multiplier = 1.0;
  // Scheduled visiting per grid worker per day, done after administrative tasks and before cases.
  double scheduled_visit_hours = 0.0;
  // Households visited per grid per day by others than the grid workers (e.g. cadres).
  std::vector<float> extra_visits;  // per grid
  // Chance that a visited household's first resident becomes aware of the big Party committee.
  double visit_awareness = 0.0;
};

// The day's conditions: a named record of what is happening, announced by the mechanism that causes it and
// read by those that respond (a shock announces an emergency; dual registration surges).
struct DayConditions {
  bool emergency = false;        // an epidemic or disaster is in force today
  int emergency_start_day = -1;  // the day it began (-1: none yet)
};

}  // namespace govsim
