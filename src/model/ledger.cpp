#include "model/ledger.h"

#include <cmath>
#include <stdexcept>

namespace govsim {

void Ledger::enqueue_at_grid(CommunityState& cs, std::uint32_t id, int available_day, double hour_reported) {
  Case& k = cs.pool[id];
  k.day_reported = s_.day;
  k.hour_reported = static_cast<float>(hour_reported);
  k.day_queued = s_.day;
  k.hour_queued = static_cast<float>(hour_reported);
  k.level = static_cast<std::uint8_t>(Level::kGrid);
  k.state = CaseState::kQueued;
  k.available_day = available_day;
  k.work_left = static_cast<float>(k.required == 0 ? k.size : s_.params.grid.assess_hours);
  auto& t = cs.tally;
  t.open[k.kind] += 1;
  t.open_at[0] += 1;
  if (k.hard()) {
    t.open_hard += 1;
    t.hard_raised += 1;
    if (s_.day + kSixMonthsDays < s_.params.run.days) t.hard_cohort += 1;
  }
  t.reported[k.kind] += 1;
  t.reported_by_age[s_.world.residents[k.resident].age] += 1;
  const std::uint32_t gl = k.grid - s_.world.communities.first_grid[s_.world.grids.community[k.grid]];
  cs.grid_queue[gl].push_back(id);
  cs.reported_today.push_back(id);
}

void Ledger::close_case(CommunityState& cs, std::uint32_t id, Outcome outcome, float hour_done) {
  Case& k = cs.pool[id];
  auto& t = cs.tally;
  if (k.state == CaseState::kLatent) {
    t.latent -= 1;
  } else if (k.state == CaseState::kHeld) {
    t.open[k.kind] -= 1;  // a held case was already taken off its level's count
    if (k.hard()) t.open_hard -= 1;
  } else {
    t.open[k.kind] -= 1;
    t.open_at[k.level] -= 1;
    if (k.hard()) t.open_hard -= 1;
  }
  // Resolution time runs from the report (the ladder cannot act earlier); for a lapsed demand, from raising.
  const bool latent = k.state == CaseState::kLatent;
  const float hours = static_cast<float>((s_.day - (latent ? k.day_raised : k.day_reported)) * 24.0 +
                                         hour_done - (latent ? k.hour_raised : k.hour_reported));
  switch (outcome) {
    case Outcome::kResolved: {
      k.state = CaseState::kResolved;
      t.resolved[k.kind] += 1;
      t.resolved_at[k.level] += 1;
      if (k.hard()) {
        t.hard_closed += 1;
        t.hard_resolution_hours_sum += hours;
        if (k.day_reported + kSixMonthsDays < s_.params.run.days && s_.day - k.day_reported <= kSixMonthsDays)
          t.hard_cohort_closed_6m += 1;
      }
      t.resolution_hours_sum += hours;
      cs.resolution_hours.push_back(hours);
      const auto& o = s_.params.opinion;
      const double expect[kKinds] = {o.expect_household_hours, o.expect_shared_hours, o.expect_public_hours};
      if (hours <= expect[k.kind]) t.resolved_in_time += 1;
      break;
    }
    case Outcome::kAbandoned:
      k.state = CaseState::kAbandoned;
      t.abandoned += 1;
      break;
    case Outcome::kGaveUp:
      k.state = CaseState::kGaveUp;
      t.gave_up += 1;
      break;
  }
  cs.closed.push_back(
      {k.resident, hours, k.kind, k.level, outcome, id, k.day_raised, k.grievance_sat, k.grievance_trust});
}

void Ledger::hold(std::uint32_t c, std::uint32_t id) {
  auto& cs = s_.communities[c];
  Case& k = cs.pool[id];
  if (k.state != CaseState::kQueued) throw std::logic_error("hold: case is not queued");
  k.state = CaseState::kHeld;
  cs.tally.open_at[k.level] -= 1;  // the queue sweep drops it from its queue
}

void Ledger::give_back(std::uint32_t c, std::uint32_t id, int available_day) {
  auto& cs = s_.communities[c];
  Case& k = cs.pool[id];
  if (k.state != CaseState::kHeld) throw std::logic_error("give_back: case is not held");
  k.state = CaseState::kQueued;
  k.available_day = available_day;
  k.day_queued = s_.day;
  k.hour_queued = static_cast<float>(s_.params.ladder.work_start_hour);
  cs.tally.open_at[k.level] += 1;
  // Levels stop at the first case they cannot work yet, so a returned case goes in front of the cases that
  // become workable later than it does (after every live case workable no later).
  const std::uint8_t level = k.level;
  auto insert = [&](auto& q, auto entry, auto case_of) {
    std::size_t pos = q.size();
    while (pos > 0) {
      const Case& o = case_of(q[pos - 1]);
      const bool live = o.state == CaseState::kQueued && o.level == level;
      if (live && o.available_day <= available_day) break;
      --pos;
    }
    q.insert(q.begin() + static_cast<std::ptrdiff_t>(pos), entry);
  };
  auto by_id = [&](std::uint32_t x) -> const Case& { return cs.pool[x]; };
  auto by_ref = [&](const CaseRef& r) -> const Case& { return s_.communities[r.community].pool[r.id]; };
  const auto& w = s_.world;
  switch (static_cast<Level>(k.level)) {
    case Level::kGrid:
      insert(cs.grid_queue[k.grid - w.communities.first_grid[c]], id, by_id);
      break;
    case Level::kCommunity:
      insert(cs.queue, id, by_id);
      break;
    case Level::kStreet:
      insert(s_.streets[w.communities.street[c]].queue, CaseRef{c, id}, by_ref);
      break;
    case Level::kDepartment:
      insert(s_.department, CaseRef{c, id}, by_ref);
      break;
  }
}

void Ledger::route(std::uint32_t c, std::uint32_t id, Level to, int available_day) {
  hold(c, id);  // leaves its old queue at the next sweep
  Case& k = s_.communities[c].pool[id];
  k.level = static_cast<std::uint8_t>(to);
  k.work_left = static_cast<float>(k.required <= k.level ? k.size
                                   : to == Level::kGrid  ? s_.params.grid.assess_hours
                                                         : s_.params.ladder.assess_hours);
  give_back(c, id, available_day);
}

void Ledger::resolve_held(std::uint32_t c, std::uint32_t id, double hour) {
  auto& cs = s_.communities[c];
  if (cs.pool[id].state != CaseState::kHeld) throw std::logic_error("resolve_held: case is not held");
  close_case(cs, id, Outcome::kResolved, static_cast<float>(hour));
}

namespace {

// A count of residents at or above a threshold and its calendar of crossings.
struct Counted {
  double* count = nullptr;
  decltype(CommunityState::calendar)* calendar = nullptr;
  int lane = 0;
};

// Moves one opinion (satisfaction or trust) of a resident from its stored value v at `tau` to its value today
// plus d (clamped), keeping a count of residents at or above `threshold` and that count's calendar of
// crossings, and the same for a second count if given (a subgroup's, e.g. the resident's age band; the
// crossing days are computed once for both). `factor` is the relaxation since `tau` (Relaxation::factor);
// `now` receives today's value before the change. Returns the new stored value.
float move_opinion(const Relaxation& rx, float v, float rest, std::int32_t tau, std::int32_t today,
                   double factor, double d, double threshold, Counted counted, double* sum, double* now,
                   Counted also = {}) {
  *now = rx.value(v, rest, today - tau, factor);
  const auto next = static_cast<float>(std::clamp(*now + d, 0.0, 1.0));
  if (sum) *sum += static_cast<double>(next) - *now;
  if (counted.calendar) {
    // The calendar holds v's crossing (the first day value() is across the threshold) while it is still to
    // come: today's value on v's side with rest across. Cancel it; otherwise it is past or never.
    const bool v_above = v >= threshold, was = *now >= threshold;
    if (v_above == was && v_above != (rest >= threshold)) {
      const std::int32_t due = rx.crossing_day(v, rest, tau, threshold);
      if (due > today) {
        counted.calendar->add(counted.lane, due, v_above ? +1 : -1);
        if (also.calendar) also.calendar->add(also.lane, due, v_above ? +1 : -1);
      }
    }
    const bool is = next >= threshold;
    const std::int32_t due = rx.crossing_day(next, rest, today, threshold);
    *counted.count += (is ? 1 : 0) - (was ? 1 : 0);
    counted.calendar->add(counted.lane, due, is ? -1 : +1);
    if (also.calendar) {
      *also.count += (is ? 1 : 0) - (was ? 1 : 0);
      also.calendar->add(also.lane, due, is ? -1 : +1);
    }
  }
  return next;
}

}  // namespace

std::pair<double, double> Ledger::adjust_opinion(CommunityState& cs, std::uint32_t r, double d_sat,
                                                 double d_trust) {
  auto& rs = s_.world.residents[r];
  const auto& o = s_.params.opinion;
  const Relaxation rx = relaxation();
  const std::int32_t today = std::max(0, s_.day), tau = rs.touched;
  const double f = rx.factor(today - tau);
  auto& t = cs.tally;
  double s_before = 0, t_before = 0;
  const std::uint8_t band = rs.age;
  rs.satisfaction =
      move_opinion(rx, rs.satisfaction, rs.rest_satisfaction, tau, today, f, d_sat, o.good_threshold,
                   {&t.good, &cs.calendar, CommunityState::kGoodLane}, &t.satisfaction_sum, &s_before,
                   {&t.good_by_age[band], &cs.calendar, CommunityState::kGoodAgeLane + band});
  const bool aware = (rs.flags & kAware) != 0;
  rs.trust = move_opinion(rx, rs.trust, rs.rest_trust, tau, today, f, d_trust, o.committee_good_threshold,
                          {&t.committee_good, aware ? &cs.calendar : nullptr, CommunityState::kCommitteeLane},
                          &t.trust_sum, &t_before);
  rs.touched = today;
  return {rs.satisfaction - s_before, rs.trust - t_before};
}

void Ledger::count_in_committee_rating(CommunityState& cs, std::uint32_t r, int sign) {
  const auto& res = s_.world.residents;
  const Relaxation rx = relaxation();
  const std::int32_t today = std::max(0, s_.day), tau = res[r].touched;
  const double thr = s_.params.opinion.committee_good_threshold;
  const float v = res[r].trust;
  const std::int32_t due = rx.crossing_day(v, res[r].rest_trust, tau, thr);
  cs.tally.committee_good += sign * (Relaxation::above_on(v, thr, due, today) ? 1 : 0);
  if (due > today) cs.calendar.add(CommunityState::kCommitteeLane, due, sign * (v >= thr ? -1 : +1));
}

void Ledger::make_aware(CommunityState& cs, std::uint32_t r) {
  auto& f = s_.world.residents[r].flags;
  if (f & kAware) return;
  f |= kAware;
  cs.tally.aware += 1;
  count_in_committee_rating(cs, r, +1);  // from now on the resident's trust counts in the rating
}

void Ledger::replace_resident(CommunityState& cs, std::uint32_t r) {
  auto& res = s_.world.residents;
  forget_committee(cs, r);
  const double s_now = satisfaction(r), t_now = trust(r);
  adjust_opinion(cs, r, res[r].rest_satisfaction - s_now, res[r].rest_trust - t_now);
}

void Ledger::forget_committee(CommunityState& cs, std::uint32_t r) {
  auto& f = s_.world.residents[r].flags;
  if (!(f & kAware)) return;
  count_in_committee_rating(cs, r, -1);  // out of the rating, its trust crossing out of the calendar
  f = static_cast<std::uint8_t>(f & ~kAware);
  cs.tally.aware -= 1;
}

void Ledger::start() {
  const double m = s_.params.opinion.memory_days;
  const double rate = m > 0 ? 1.0 / m : 0.0;
  // Days since a touch reach at most the run's length; crossings further out compute their decay.
  const auto n = static_cast<std::size_t>(std::max<std::int64_t>(s_.params.run.days, 0)) + 1;
  decay_.resize(n);
  for (std::size_t i = 0; i < n; ++i) decay_[i] = std::exp(-rate * static_cast<std::int32_t>(i));
  decay_rate_ = rate;
}

void Ledger::begin_opinion_day(CommunityState& cs) {
  auto& t = cs.tally;
  const std::int32_t today = std::max(0, s_.day);
  const auto due = cs.calendar.take(today);
  t.good += due[CommunityState::kGoodLane];
  for (int a = 0; a < kAgeBands; ++a) t.good_by_age[a] += due[CommunityState::kGoodAgeLane + a];
  t.committee_good += due[CommunityState::kCommitteeLane];
  if (today == 0) return;
  const double f = std::exp(-relaxation().rate);
  t.satisfaction_sum = cs.rest_satisfaction_sum + (t.satisfaction_sum - cs.rest_satisfaction_sum) * f;
  t.trust_sum = cs.rest_trust_sum + (t.trust_sum - cs.rest_trust_sum) * f;
}

double Ledger::open_cost(int kind, double a0, double a1) const {
  const auto& o = s_.params.opinion;
  const double expect_h[kKinds] = {o.expect_household_hours, o.expect_shared_hours, o.expect_public_hours};
  const double e = expect_h[kind] / 24.0, k = o.open_cost_per_day;
  // The integral of k * clamp((a - e) / e, 0, 1) from 0 to a.
  auto F = [&](double a) {
    if (a <= e) return 0.0;
    if (a <= 2 * e) return k * (a - e) * (a - e) / (2 * e);
    return k * e / 2 + k * (a - 2 * e);
  };
  return a1 > a0 ? F(a1) - F(a0) : 0.0;
}

int Ledger::transfer_delay(Level to) const {
  const auto& lp = s_.params.ladder;
  std::int64_t delay = 0;
  switch (to) {
    case Level::kGrid:
      break;
    case Level::kCommunity:
      delay = lp.community_delay_days;
      break;
    case Level::kStreet:
      delay = lp.street_delay_days;
      break;
    case Level::kDepartment:
      delay = lp.department_delay_days;
      break;
  }
  return static_cast<int>(std::max<std::int64_t>(0, delay - s_.levers.delay_reduction_days));
}

double Ledger::level_capacity(Level level, std::uint32_t community) const {
  const auto& lp = s_.params.ladder;
  const auto& lv = s_.levers;
  switch (level) {
    case Level::kGrid:
      break;  // grid workers' capacity is per worker (the assignment phase)
    case Level::kCommunity:
      return lp.community_staff * lp.community_hours +
             (lv.community_extra_hours.empty() ? 0.0 : lv.community_extra_hours[community]);
    case Level::kStreet:
      return lp.street_staff * lp.street_hours;
    case Level::kDepartment: {
      const double staff = lp.department_staff_per_street * static_cast<double>(s_.streets.size());
      return std::max(0.0, staff * lp.department_hours + lv.department_extra_hours);
    }
  }
  return 0.0;
}

}  // namespace govsim
