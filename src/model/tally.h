// What one community (or, summed in community order, the district) did on one day, plus its stocks.
#pragma once

#include <array>
#include <cstdint>

#include "core/world.h"

namespace govsim {

struct Tally {
  // Flows of the day.
  std::array<double, kKinds> demands{};
  std::array<double, kKinds> reported{};
  std::array<double, kAgeBands> reported_by_age{};
  std::array<double, kKinds> resolved{};
  std::array<double, kLevels> resolved_at{};
  double resolved_in_time = 0, escalated = 0, hard_raised = 0, hard_closed = 0, abandoned = 0, gave_up = 0;
  double found_by_visit = 0, households_visited = 0;
  double admin_hours = 0, case_hours = 0, visit_hours = 0, overtime_hours = 0, normal_hours = 0;
  double quits = 0, hires = 0;
  double volunteer_hours = 0, breached = 0, scheduled_visit_hours = 0;
  double resolution_hours_sum = 0, hard_resolution_hours_sum = 0;
  double passed_back = 0, coordination_started = 0;
  // The six-month cohort: hard problems reported at least 180 days before the run ends, and those of them
  // resolved within 180 days of their report (seed 000: Fuyang's listed problems closed in about six months).
  double hard_cohort = 0, hard_cohort_closed_6m = 0;
  // Stocks at the end of the day.
  std::array<double, kKinds> open{};      // reported, not closed
  std::array<double, kLevels> open_at{};  // by the level holding the case
  double latent = 0, open_hard = 0, coordinating = 0;
  double workers_in_post = 0, vacancies = 0, fatigue_sum = 0, willingness_sum = 0;
  double residents = 0, satisfaction_sum = 0, trust_sum = 0, good = 0, aware = 0;
  std::array<double, kAgeBands> good_by_age{};  // `good` by the residents' age band (sums to `good`)
  double committee_good = 0;  // aware residents rating the big Party committee's work good (trust)
  std::array<double, kAgeBands> residents_by_age{};
  // Filled from the day's resolution times by the recorder.
  double p90_resolution_hours = 0;

  void add(const Tally& o);
  void clear_flows();
};

}  // namespace govsim
