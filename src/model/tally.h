// What one community (or, summed in community order, the district) did on one day, plus its stocks.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "core/world.h"

namespace govsim {

// Cost accounting (docs/ODD.md §7.20). Who spent staff-hours: the ladder's four levels, and the people
// mechanisms bring in (co-building units' staff, cadres and district leaders, in-service members, social
// workers).
enum class Payer : std::uint8_t {
  kGrid = 0,
  kCommunity,
  kStreet,
  kDepartment,
  kUnits,
  kCadres,
  kMembers,
  kSocialWorkers
};
inline constexpr int kPayers = 8;
// Where the money goes: the ladder's own staff on duty (the baseline's running cost), then what mechanisms
// add.
enum class CostSource : std::uint8_t {
  kPay = 0,
  kStaffed,
  kSocialWorkers,
  kCoBuilding,
  kCadres,
  kMembers,
  kProperty
};
inline constexpr int kCostSources = 7;

struct Tally {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
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
  // Staff-hours spent today by who spent them, and money spent today by source (yuan).
  std::array<double, kPayers> hours{};
  std::array<double, kCostSources> yuan{};
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
  // Inequality between communities, filled for the district by the recorder (NaN in a community's tally).
  double gini_share_good = kNaN, worst_decile_share_good = kNaN;
  double gini_resolution_hours = kNaN, worst_decile_resolution_hours = kNaN;

  void add(const Tally& o);
  void clear_flows();
};

}  // namespace govsim
