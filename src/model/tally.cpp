#include "model/tally.h"

namespace govsim {

template <std::size_t N>
static void add_arr(std::array<double, N>& a, const std::array<double, N>& b) {
  for (std::size_t i = 0; i < N; ++i) a[i] += b[i];
}

void Tally::add(const Tally& o) {
  add_arr(demands, o.demands);
  add_arr(reported, o.reported);
  add_arr(reported_by_age, o.reported_by_age);
  add_arr(resolved, o.resolved);
  add_arr(resolved_at, o.resolved_at);
  resolved_in_time += o.resolved_in_time;
  escalated += o.escalated;
  hard_raised += o.hard_raised;
  hard_closed += o.hard_closed;
  abandoned += o.abandoned;
  gave_up += o.gave_up;
  found_by_visit += o.found_by_visit;
  households_visited += o.households_visited;
  admin_hours += o.admin_hours;
  case_hours += o.case_hours;
  visit_hours += o.visit_hours;
  overtime_hours += o.overtime_hours;
  normal_hours += o.normal_hours;
  quits += o.quits;
  hires += o.hires;
  volunteer_hours += o.volunteer_hours;
  breached += o.breached;
  scheduled_visit_hours += o.scheduled_visit_hours;
  resolution_hours_sum += o.resolution_hours_sum;
  hard_resolution_hours_sum += o.hard_resolution_hours_sum;
  passed_back += o.passed_back;
  hard_cohort += o.hard_cohort;
  hard_cohort_closed_6m += o.hard_cohort_closed_6m;
  add_arr(hours, o.hours);
  add_arr(yuan, o.yuan);
  coordination_started += o.coordination_started;
  coordinating += o.coordinating;
  add_arr(open, o.open);
  add_arr(open_at, o.open_at);
  latent += o.latent;
  open_hard += o.open_hard;
  workers_in_post += o.workers_in_post;
  vacancies += o.vacancies;
  fatigue_sum += o.fatigue_sum;
  willingness_sum += o.willingness_sum;
  residents += o.residents;
  add_arr(residents_by_age, o.residents_by_age);
  satisfaction_sum += o.satisfaction_sum;
  trust_sum += o.trust_sum;
  good += o.good;
  add_arr(good_by_age, o.good_by_age);
  committee_good += o.committee_good;
  aware += o.aware;
}

void Tally::clear_flows() {
  demands = {};
  reported = {};
  reported_by_age = {};
  resolved = {};
  resolved_at = {};
  resolved_in_time = escalated = hard_raised = hard_closed = abandoned = gave_up = 0;
  found_by_visit = households_visited = 0;
  admin_hours = case_hours = visit_hours = overtime_hours = normal_hours = 0;
  quits = hires = 0;
  volunteer_hours = breached = scheduled_visit_hours = 0;
  resolution_hours_sum = hard_resolution_hours_sum = 0;
  passed_back = coordination_started = hard_cohort = hard_cohort_closed_6m = 0;
  hours = {};
  yuan = {};
  workers_in_post = vacancies = fatigue_sum = willingness_sum = 0;
  p90_resolution_hours = 0;
}

}  // namespace govsim
