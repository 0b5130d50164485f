#include "model/simulation.h"

#include <algorithm>
#include <cmath>

#include "core/rng.h"
#include "model/queue_worker.h"

namespace govsim {

// handling: each level works its FIFO queue with its capacity; a case beyond a level's remit is assessed
// there and passed up in the escalation phase.

void Simulation::work_grids(std::uint32_t c) {
  const auto& gp = s_.params.grid;
  auto& cs = s_.communities[c];
  auto& wk = s_.world.workers;
  auto& t = cs.tally;
  const double normal = gp.hours_per_day + s_.levers.extra_worker_hours;
  const std::uint32_t g0 = s_.world.communities.first_grid[c];
  const auto day = static_cast<std::uint32_t>(s_.day);
  const double q_base = 1.0 - std::pow(1.0 - gp.quit_base_per_year, 1.0 / 365.0);
  const double wage = s_.params.cost.wage_grid_per_hour;
  const std::uint32_t g_end = s_.world.communities.first_grid[c + 1];
  for (std::uint32_t g = g0; g < std::min(g_end, g0 + 2); ++g) {  // what no earlier grid fetches below
    if (!cs.grid_queue[g - g0].empty()) {
      __builtin_prefetch(cs.grid_queue[g - g0].data());
      cs.pool.prefetch(cs.grid_queue[g - g0][0]);
    }
    if (!cs.grid_latent[g - g0].empty()) __builtin_prefetch(cs.grid_latent[g - g0].data());
  }
  for (std::uint32_t g = g0; g < g_end; ++g) {
    // A grid's queue, its waiting demands and the cases at its queue's head are cache misses: start them two
    // grids and one grid ahead.
    if (g + 2 < g_end) {
      if (!cs.grid_queue[g + 2 - g0].empty()) __builtin_prefetch(cs.grid_queue[g + 2 - g0].data());
      if (!cs.grid_latent[g + 2 - g0].empty()) __builtin_prefetch(cs.grid_latent[g + 2 - g0].data());
    }
    if (g + 1 < g_end) {
      const auto& next = cs.grid_queue[g + 1 - g0];
      for (std::size_t j = 0; j < std::min<std::size_t>(next.size(), 2); ++j) cs.pool.prefetch(next[j]);
    }
    const std::uint32_t w0 = s_.world.grids.first_worker[g], w1 = s_.world.grids.first_worker[g + 1];
    // Pooled capacity of the grid's workers in post, weighted by experience.
    double K = 0, clock_free = 0, admin = 0;
    int active = 0;
    for (std::uint32_t w = w0; w < w1; ++w) {
      if (wk.vacant_until[w] >= 0) continue;
      const double eff = gp.ramp_days > 0
                             ? gp.novice_efficiency + (1.0 - gp.novice_efficiency) *
                                                          std::min(1.0, wk.tenure_days[w] / gp.ramp_days)
                             : 1.0;
      // Willingness: the share of the hours left after tasks that the worker gives to residents.
      const double offered = free_today_[w] * wk.willingness[w];
      K += offered * eff;
      clock_free += offered;
      admin += admin_today_[w] + visit_today_[w];  // both come before cases in the day
      ++active;
    }
    auto& q = cs.grid_queue[g - g0];
    // Volunteers (e.g. registered Party members) take household and shared affairs first, in queue order.
    if (!s_.levers.volunteer_hours.empty() && s_.levers.volunteer_hours[g] > 0) {
      double left = s_.levers.volunteer_hours[g];
      for (const std::uint32_t id : q) {
        Case& k = cs.pool[id];
        if (k.state != CaseState::kQueued || k.level != 0 || k.available_day > s_.day || k.required != 0 ||
            k.kind == static_cast<std::uint8_t>(DemandKind::kPublic))
          continue;
        const double need = k.work_left;
        const double done = std::min(need, left);
        k.work_left = static_cast<float>(need - done);
        left -= done;
        const double spent = s_.levers.volunteer_hours[g] - left;
        if (k.work_left <= 0)
          ledger_.close_case(cs, id, Outcome::kResolved,
                             static_cast<float>(s_.params.ladder.work_start_hour +
                                                spent * gp.hours_per_day /
                                                    std::max(1e-9, double(s_.levers.volunteer_hours[g]))));
        if (left <= 0) break;
      }
      t.volunteer_hours += s_.levers.volunteer_hours[g] - left;
      ledger_.spend_hours(t, Payer::kMembers, s_.levers.volunteer_hours[g] - left);  // the lever's volunteers
    }
    const double team = normal / gp.hours_per_day;
    const double used = work_fifo(
        q, s_.day, static_cast<std::uint8_t>(Level::kGrid), K,
        [&](std::uint32_t id) -> Case& { return cs.pool[id]; },
        [&](std::uint32_t id, double used_so_far) {
          // Work is spread over the team working in parallel (staff moved down count as extra people).
          const double hour =
              s_.params.ladder.work_start_hour + (admin + used_so_far * clock_free / K) / (active * team);
          Case& k = cs.pool[id];
          if (k.required == 0) {
            ledger_.close_case(cs, id, Outcome::kResolved, static_cast<float>(hour));
          } else {
            k.state = CaseState::kEscalated;
            t.escalated += 1;
            cs.up_from_grid.push_back(id);
          }
        });

    // Workers' day: case clock hours shared in proportion to free hours; visits only within normal hours.
    const double case_share = K > 0 ? used / K : 0.0;
    double visit_hours = 0;
    for (std::uint32_t w = w0; w < w1; ++w) {
      if (wk.vacant_until[w] >= 0) {
        if (s_.day >= wk.vacant_until[w]) {  // the replacement starts tomorrow, inexperienced
          wk.vacant_until[w] = -1;
          wk.tenure_days[w] = 0;
          wk.fatigue[w] = 0;
          wk.admin_backlog[w] = 0;
          wk.task_load[w] = 0;
          wk.willingness[w] = 1;
          t.hires += 1;
        } else {
          t.vacancies += 1;
        }
        continue;
      }
      const double offered = free_today_[w] * wk.willingness[w];
      const double cases = offered * case_share;
      // Scheduled visits count as work; routine visits fill what is left of the normal hours the worker
      // offers.
      const double worked = admin_today_[w] + visit_today_[w] + cases;
      const double room = std::min(normal, admin_today_[w] + visit_today_[w] + offered);
      const double visit = std::min(gp.visit_hours_per_day, std::max(0.0, room - worked));
      visit_hours += visit + visit_today_[w];
      t.admin_hours += admin_today_[w];
      t.case_hours += cases;
      t.visit_hours += visit + visit_today_[w];
      t.scheduled_visit_hours += visit_today_[w];
      t.overtime_hours += std::max(0.0, worked - normal);
      t.normal_hours += normal;
      // Costs: every hour worked; pay for the post's normal day (overtime unpaid), and for the staff moved
      // down with it (the staffed down-shifting variant's funds).
      ledger_.spend_hours(t, Payer::kGrid, double(admin_today_[w]) + cases + (visit + visit_today_[w]));
      ledger_.spend_yuan(t, CostSource::kPay, gp.hours_per_day * wage);
      ledger_.spend_yuan(t, CostSource::kStaffed, s_.levers.extra_worker_hours * wage);
      const double u = worked / normal;
      double f = wk.fatigue[w] + gp.fatigue_gain * std::max(0.0, u - gp.fatigue_threshold) -
                 gp.fatigue_recovery * std::max(0.0, gp.fatigue_threshold - u);
      f = std::clamp(f, 0.0, 1.0);
      wk.fatigue[w] = static_cast<float>(f);
      // Seed 003: top-down tasks crowd out time and weaken the willingness to respond to residents. The load
      // is today's tasks done and still waiting (up to a day's capacity), smoothed over
      // willingness_memory_days.
      const double load =
          std::min<double>(admin_today_[w] + wk.admin_backlog[w], normal + gp.max_overtime_hours) / normal;
      const double smoothed = wk.task_load[w] + (load - wk.task_load[w]) / gp.willingness_memory_days;
      wk.task_load[w] = static_cast<float>(smoothed);
      wk.willingness[w] = static_cast<float>(std::clamp(
          1.0 - gp.willingness_slope * std::max(0.0, smoothed - gp.willingness_threshold), 0.0, 1.0));
      wk.tenure_days[w] += 1;
      Rng rng(s_.seed, Purpose::kTurnover, w, day);
      if (rng.bernoulli((q_base + gp.quit_fatigue_per_day * f * f) * s_.levers.quit_multiplier)) {
        wk.vacant_until[w] = s_.day + static_cast<std::int32_t>(std::lround(gp.replace_delay_days));
        t.quits += 1;
      } else {
        t.workers_in_post += 1;
        t.fatigue_sum += f;
        t.willingness_sum += wk.willingness[w];
      }
    }

    // Visits walk the grid's households in turn; unreported demands in visited households are found.
    const std::uint32_t H = s_.world.grids.first_household[g + 1] - s_.world.grids.first_household[g];
    const double extra = s_.levers.extra_visits.empty() ? 0.0 : s_.levers.extra_visits[g];
    const auto n_visit = static_cast<std::uint32_t>(
        std::min<double>(H, std::floor(visit_hours * gp.households_per_visit_hour + extra)));
    if (n_visit > 0) {
      const std::uint32_t from = s_.world.grids.visit_cursor[g];
      s_.world.grids.visit_cursor[g] = (from + n_visit) % H;
      t.households_visited += n_visit;
      if (s_.levers.visit_awareness > 0) {
        Rng rng(s_.seed, Purpose::kOpinion, g, day, 1);
        for (std::uint32_t i = 0; i < n_visit; ++i) {
          const std::uint32_t h = s_.world.grids.first_household[g] + (from + i) % H;
          if (rng.bernoulli(s_.levers.visit_awareness))
            ledger_.make_aware(cs, s_.world.households.first_resident[h]);
        }
      }
      auto& lat = cs.grid_latent[g - g0];
      std::size_t keep = 0;
      for (const LatentEntry& e : lat) {
        // (household - from) mod H, both below H, without a division per waiting demand.
        const std::uint32_t rel = e.household >= from ? e.household - from : e.household + H - from;
        if (rel < n_visit) {
          const std::uint32_t id = e.id;
          if (!cs.pool.find(id, e.generation, CaseState::kLatent))
            continue;  // closed (or reported) by a mechanism since it was listed
          t.latent -= 1;
          t.found_by_visit += 1;
          // Found on a visit: reported in the middle of the working day.
          ledger_.enqueue_at_grid(cs, id, s_.day + 1,
                                  s_.params.ladder.work_start_hour + 0.5 * gp.hours_per_day);
        } else {
          lat[keep++] = e;
        }
      }
      lat.resize(keep);
    }
  }
}

// A level above the grid: its staff work the queue over their day, from work_start_hour for `span` hours.
void Simulation::work_community(std::uint32_t c) {
  const auto& lp = s_.params.ladder;
  auto& cs = s_.communities[c];
  const double capacity = ledger_.level_capacity(Level::kCommunity, c);
  const double used = work_fifo(
      cs.queue, s_.day, 1, capacity, [&](std::uint32_t id) -> Case& { return cs.pool[id]; },
      [&](std::uint32_t id, double so_far) {
        const double hour = lp.work_start_hour + lp.community_hours * so_far / capacity;
        Case& k = cs.pool[id];
        if (k.required <= 1) {  // a level can do the work of the levels below it
          ledger_.close_case(cs, id, Outcome::kResolved, static_cast<float>(hour));
        } else {
          k.state = CaseState::kEscalated;
          cs.tally.escalated += 1;
          cs.up_from_community.push_back(id);
        }
      });
  // The community's staff and the social workers (the lever's extra hours) work one pool: the hours used are
  // theirs in proportion to what each brings. The staff are paid for their day on duty.
  const double staff = lp.community_staff * lp.community_hours;
  if (capacity > 0) {
    ledger_.spend_hours(cs.tally, Payer::kCommunity, used * std::min(1.0, staff / capacity));
    ledger_.spend_hours(cs.tally, Payer::kSocialWorkers, used * std::max(0.0, 1.0 - staff / capacity));
  }
  ledger_.spend_yuan(cs.tally, CostSource::kPay, staff * s_.params.cost.wage_community_per_hour);
}

// A hard problem whose work is done at its level: its parties each act on it or pass it back (推诿). If
// one passes it back it returns to the community, which must escalate it again; if all act, it leaves the
// queue and is resolved when the slowest has acted (coordination_days per party). Units a mechanism
// brings with their own authority and resources (joint handling) take it off the ladder instead.
void Simulation::finish_at_level(CommunityState& cs, std::uint32_t c, std::uint32_t id, double hour) {
  const auto& lp = s_.params.ladder;
  Case& k = cs.pool[id];
  if (k.parties == 0 || k.coordinated) {
    ledger_.close_case(cs, id, Outcome::kResolved, static_cast<float>(hour));
    return;
  }
  Rng rng(s_.seed, Purpose::kCoordination, k.grid, static_cast<std::uint32_t>(s_.day), k.seq);
  const double accept_all = std::pow(1.0 - lp.passback_per_party, k.parties);
  if (!rng.bernoulli(accept_all)) {
    cs.tally.passed_back += 1;
    k.size = std::min(k.size, static_cast<float>(lp.assess_hours));  // the work is done; the sign-off is not
    ledger_.route(c, id, Level::kCommunity, s_.day + ledger_.transfer_delay(Level::kCommunity));
    return;
  }
  k.coordinated = 1;
  k.available_day = s_.day + static_cast<int>(std::ceil(lp.coordination_days * k.parties));
  cs.tally.coordination_started += 1;
  cs.tally.coordinating += 1;
  cs.coordinating.push_back(CaseHandle{c, id, cs.pool.generation(id)});
}

// Coordinated hard problems whose parties have acted are resolved at the start of the working day; those
// open too long are abandoned like any other; those a mechanism took leave the list.
void Simulation::settle_coordinated(std::uint32_t c) {
  const auto& lp = s_.params.ladder;
  auto& cs = s_.communities[c];
  std::size_t keep = 0;
  for (const CaseHandle& h : cs.coordinating) {
    const Case* found = cs.pool.find(h.id, h.generation, CaseState::kQueued);
    if (found == nullptr || !found->coordinated || found->level < static_cast<std::uint8_t>(Level::kStreet)) {
      cs.tally.coordinating -= 1;
      continue;
    }
    const Case& k = *found;
    if (s_.day - k.day_reported >= lp.abandon_days) {
      cs.tally.coordinating -= 1;
      ledger_.close_case(cs, h.id, Outcome::kAbandoned, static_cast<float>(lp.work_start_hour));
      continue;
    }
    if (k.available_day <= s_.day) {
      cs.tally.coordinating -= 1;
      ledger_.close_case(cs, h.id, Outcome::kResolved, static_cast<float>(lp.work_start_hour));
      continue;
    }
    cs.coordinating[keep++] = h;
  }
  cs.coordinating.resize(keep);
}

void Simulation::work_street(std::uint32_t s) {
  const auto& lp = s_.params.ladder;
  auto& ss = s_.streets[s];
  const double capacity = ledger_.level_capacity(Level::kStreet, 0);
  double counted = 0;  // hours counted so far, each in the community of the case it went to
  const double used = work_fifo(
      ss.queue, s_.day, 2, capacity,
      [&](const CaseRef& r) -> Case& { return s_.communities[r.community].pool[r.id]; },
      [&](const CaseRef& r, double so_far) {
        ledger_.spend_hours(s_.communities[r.community].tally, Payer::kStreet, so_far - counted);
        counted = so_far;
        const double hour = lp.work_start_hour + lp.street_hours * so_far / capacity;
        auto& cs = s_.communities[r.community];
        Case& k = cs.pool[r.id];
        if (k.required <= 2) {
          finish_at_level(cs, r.community, r.id, hour);
        } else {
          k.state = CaseState::kEscalated;
          cs.tally.escalated += 1;
          ss.up.push_back(r);
        }
      });
  // The rest went into the case left part-done, now at the head of the queue.
  if (used > counted && !ss.queue.empty())
    ledger_.spend_hours(s_.communities[ss.queue.front().community].tally, Payer::kStreet, used - counted);
}

void Simulation::work_department() {
  const auto& lp = s_.params.ladder;
  const double capacity = ledger_.level_capacity(Level::kDepartment, 0);
  double counted = 0;
  const double used = work_fifo(
      s_.department, s_.day, 3, capacity,
      [&](const CaseRef& r) -> Case& { return s_.communities[r.community].pool[r.id]; },
      [&](const CaseRef& r, double so_far) {
        ledger_.spend_hours(s_.communities[r.community].tally, Payer::kDepartment, so_far - counted);
        counted = so_far;
        const double hour = lp.work_start_hour + lp.department_hours * so_far / capacity;
        finish_at_level(s_.communities[r.community], r.community, r.id, hour);
      });
  if (used > counted && !s_.department.empty())
    ledger_.spend_hours(s_.communities[s_.department.front().community].tally, Payer::kDepartment,
                        used - counted);
}

void Simulation::handling_community(std::uint32_t c) {
  settle_coordinated(c);
  work_grids(c);
  work_community(c);
}

// After every community's grids and committee: the streets, the departments, and their pay.
void Simulation::handling_district() {
  const auto S = static_cast<std::int64_t>(s_.streets.size());
#pragma omp parallel for schedule(dynamic, 1) if (S >= kParallelStreets)
  for (std::int64_t s = 0; s < S; ++s) work_street(static_cast<std::uint32_t>(s));
  work_department();
  // The streets' and departments' staff are paid for their day on duty (summoned teams included: whistle).
  const auto& lp = s_.params.ladder;
  const auto& w = s_.params.cost;
  const double streets = static_cast<double>(S);
  ledger_.spend_yuan(
      s_.district_flows, CostSource::kPay,
      streets * (lp.street_staff * lp.street_hours * w.wage_street_per_hour +
                 lp.department_staff_per_street * lp.department_hours * w.wage_department_per_hour));
}

}  // namespace govsim
