#include "model/simulation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/rng.h"

namespace govsim {

namespace {

// Run-wide histogram of log10(hours): 0.001 decades (0.23%) from 10^-1 to 10^6 hours.
constexpr double kHistLo = -1.0, kHistWidth = 0.001;
constexpr int kHistBins = 7000;

double quantile_from_hist(const std::vector<double>& h, double q) {
  const double total = std::accumulate(h.begin(), h.end(), 0.0);
  if (total <= 0) return std::nan("");
  double cum = 0;
  for (int i = 0; i < kHistBins; ++i) {
    cum += h[i];
    if (cum >= q * total) return std::pow(10.0, kHistLo + (i + 0.5) * kHistWidth);
  }
  return std::pow(10.0, kHistLo + kHistBins * kHistWidth);
}

double p90(std::vector<float>& v) {
  if (v.empty()) return 0.0;
  // Nearest-rank 90th percentile.
  const auto k = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(v.size()))) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

Simulation::Simulation(const Params& params, World world, std::uint64_t seed)
    : params_(params), world_(std::move(world)), seed_(seed) {
  const auto C = world_.communities.size();
  communities_.resize(C);
  streets_.resize(world_.streets.size());
  admin_today_.assign(world_.workers.size(), 0.0f);
  free_today_.assign(world_.workers.size(), 0.0f);
  visit_today_.assign(world_.workers.size(), 0.0f);
  hist_.assign(kHistBins, 0.0);
  const float good = static_cast<float>(params_.opinion.good_threshold);
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < static_cast<std::int64_t>(C); ++ci) {
    const auto c = static_cast<std::uint32_t>(ci);
    auto& cs = communities_[c];
    const std::uint32_t ng = world_.communities.first_grid[c + 1] - world_.communities.first_grid[c];
    cs.grid_queue.resize(ng);
    cs.grid_latent.resize(ng);
    auto& t = cs.tally;
    const auto& r = world_.residents;
    for (std::uint32_t i = world_.community_first_resident(c); i < world_.community_end_resident(c); ++i) {
      t.residents += 1;
      t.residents_by_age[r.age[i]] += 1;
      t.satisfaction_sum += r.satisfaction[i];
      t.trust_sum += r.trust[i];
      t.good += r.satisfaction[i] >= good ? 1 : 0;
      t.aware += (r.flags[i] & kAware) ? 1 : 0;
    }
  }
}

Simulation::~Simulation() = default;

void Simulation::add_mechanism(std::unique_ptr<Mechanism> m) {
  if (started_) throw std::logic_error("mechanisms must be added before the first day");
  mechanisms_.push_back(std::move(m));
}

void Simulation::add_metric(MetricSpec spec) {
  if (started_) throw std::logic_error("metrics must be added before the first day");
  extra_metrics_.push_back(std::move(spec));
}

void Simulation::begin_day() {
  if (!started_) {
    // Mechanisms initialise first, so they can declare their own metrics and set levers.
    for (auto& m : mechanisms_) m->initialize(*this);
    started_ = true;
    auto specs = core_metrics();
    for (auto& s : extra_metrics_) specs.push_back(std::move(s));
    recorder_.start(std::move(specs), static_cast<int>(params_.run.days),
                    static_cast<int>(world_.communities.size()));
  }
  ++day_;
  if (day_ >= params_.run.days) throw std::logic_error("day beyond run.days");
}

void Simulation::run_phase(Phase p) {
  switch (p) {
    case Phase::kDemand: phase_demand(); break;
    case Phase::kReporting: phase_reporting(); break;
    case Phase::kAssignment: phase_assignment(); break;
    case Phase::kHandling: phase_handling(); break;
    case Phase::kEscalation: phase_escalation(); break;
    case Phase::kMechanisms: break;  // the core has no work here; mechanisms that act on the day's state do
    case Phase::kOpinion: phase_opinion(); break;
    case Phase::kRecording: phase_recording(); break;
  }
  if (log_phases_) phase_log_.push_back(std::to_string(day_) + ":" + phase_name(p));
  for (auto& m : mechanisms_) {
    if (m->phases() & phase_bit(p)) {
      m->act(p, *this);
      if (log_phases_) phase_log_.push_back(std::to_string(day_) + ":" + phase_name(p) + ":" + m->name());
    }
  }
}

void Simulation::step() {
  begin_day();
  for (int p = 0; p < kPhases; ++p) run_phase(static_cast<Phase>(p));
}

void Simulation::run() {
  while (day_ + 1 < params_.run.days) step();
  finalize();
}

void Simulation::finalize() {
  if (finalized_) return;
  finalized_ = true;
  for (auto& m : mechanisms_) m->finalize(*this);
}

// ---------------------------------------------------------------------------------------------------------
// demand: arrivals per grid and kind, Poisson in the grid's households; traits of each arrival.

std::uint32_t Simulation::raise_demand(std::uint32_t g, std::uint32_t hh, DemandKind kind, Level required,
                                       float size_hours, float hour) {
  const std::uint32_t c = world_.grids.community[g];
  auto& cs = communities_[c];
  const std::uint32_t h = world_.grids.first_household[g] + hh;
  const std::uint32_t id = cs.pool.alloc();
  Case& k = cs.pool[id];
  k = Case{};
  k.grid = g;
  k.household = hh;
  k.resident = world_.households.first_resident[h];
  k.day_raised = std::max(day_, 0);
  k.seq = 0x80000000u | static_cast<std::uint32_t>(cs.raised_today.size());
  k.hour_raised = hour;
  k.kind = static_cast<std::uint8_t>(kind);
  k.required = static_cast<std::uint8_t>(required);
  k.size = size_hours;
  k.state = CaseState::kLatent;  // until the reporting phase decides
  cs.raised_today.push_back(id);
  cs.tally.demands[static_cast<int>(kind)] += 1;
  return id;
}

void Simulation::phase_demand() {
  const auto& q = params_.demand;
  const double rate[kKinds] = {q.household_rate / 365.0, q.shared_rate / 365.0, q.public_rate / 365.0};
  const double p_level[kKinds][3] = {{q.household_p_community, q.household_p_street, q.household_p_department},
                                     {q.shared_p_community, q.shared_p_street, q.shared_p_department},
                                     {q.public_p_community, q.public_p_street, q.public_p_department}};
  const double hours[kLevels] = {q.hours_grid, q.hours_community, q.hours_street, q.hours_department};
  const auto C = static_cast<std::int64_t>(world_.communities.size());
  const auto day = static_cast<std::uint32_t>(day_);
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    const auto c = static_cast<std::uint32_t>(ci);
    auto& cs = communities_[c];
    for (std::uint32_t g = world_.communities.first_grid[c]; g < world_.communities.first_grid[c + 1]; ++g) {
      const std::uint32_t h0 = world_.grids.first_household[g];
      const std::uint32_t H = world_.grids.first_household[g + 1] - h0;
      for (int k = 0; k < kKinds; ++k) {
        // One stream per kind, so a mechanism that changes one kind's rate leaves the others' draws alone.
        Rng count(seed_, Purpose::kDemandCount, g, day, static_cast<std::uint32_t>(k));
        Rng traits(seed_, Purpose::kDemandTraits, g, day, static_cast<std::uint32_t>(k));
        double lambda = rate[k] * H * levers_.demand_multiplier[k];
        if (k == static_cast<int>(DemandKind::kShared)) {
          if (world_.grids.old_neighbourhood[g]) lambda *= q.old_shared_multiplier;
          if (!levers_.shared_multiplier.empty()) lambda *= levers_.shared_multiplier[g];
        }
        const std::uint32_t n = count.poisson(lambda);
        for (std::uint32_t i = 0; i < n; ++i) {
          const std::uint32_t hh = traits.below(H);
          const std::uint32_t r0 = world_.households.first_resident[h0 + hh];
          const std::uint32_t nr = world_.households.first_resident[h0 + hh + 1] - r0;
          const std::uint32_t r = r0 + traits.below(nr);
          const double hour = traits.uniform() * 24.0;
          const double u = traits.uniform();
          // u below p_department picks the department, below p_department + p_street the street, and so on.
          double acc = 0;
          int level = 0;
          for (int l = 2; l >= 0; --l) {
            acc += p_level[k][l];
            if (u < acc) {
              level = l + 1;
              break;
            }
          }
          const double size = traits.lognormal_mean(hours[level], q.size_sigma);
          const std::uint32_t id = cs.pool.alloc();
          Case& kc = cs.pool[id];
          kc = Case{};
          kc.grid = g;
          kc.household = hh;
          kc.resident = r;
          kc.day_raised = day_;
          kc.seq = (static_cast<std::uint32_t>(k) << 24) | i;
          kc.hour_raised = static_cast<float>(hour);
          kc.kind = static_cast<std::uint8_t>(k);
          kc.required = static_cast<std::uint8_t>(level);
          kc.size = static_cast<float>(size);
          kc.state = CaseState::kLatent;
          cs.raised_today.push_back(id);
          cs.tally.demands[k] += 1;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// reporting: a demand is reported with probability participation * (1 - w + 2 w trust); the others wait
// unreported until a visit finds them or they lapse.

void Simulation::enqueue_at_grid(CommunityState& cs, std::uint32_t id, int available_day, double hour_reported) {
  Case& k = cs.pool[id];
  k.day_reported = day_;
  k.hour_reported = static_cast<float>(hour_reported);
  k.day_queued = day_;
  k.hour_queued = static_cast<float>(hour_reported);
  k.level = static_cast<std::uint8_t>(Level::kGrid);
  k.state = CaseState::kQueued;
  k.available_day = available_day;
  k.work_left = static_cast<float>(k.required == 0 ? k.size : params_.grid.assess_hours);
  auto& t = cs.tally;
  t.open[k.kind] += 1;
  t.open_at[0] += 1;
  if (k.hard()) {
    t.open_hard += 1;
    t.hard_raised += 1;
  }
  t.reported[k.kind] += 1;
  t.reported_by_age[world_.residents.age[k.resident]] += 1;
  const std::uint32_t gl = k.grid - world_.communities.first_grid[world_.grids.community[k.grid]];
  cs.grid_queue[gl].push_back(id);
}

void Simulation::phase_reporting() {
  const auto& o = params_.opinion;
  const auto C = static_cast<std::int64_t>(world_.communities.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    const auto c = static_cast<std::uint32_t>(ci);
    auto& cs = communities_[c];
    for (const std::uint32_t id : cs.raised_today) {
      Case& k = cs.pool[id];
      // Each arrival has its own draw, so common random numbers hold whatever else a mechanism changes.
      Rng rng(seed_, Purpose::kReporting, k.grid, static_cast<std::uint32_t>(k.day_raised), k.seq);
      const double part = world_.residents.participation[k.resident] / 255.0;
      double p = part * (1.0 - o.report_trust_weight + 2.0 * o.report_trust_weight * world_.residents.trust[k.resident]);
      p = std::min(1.0, p);
      // A digital channel reaches those the usual channels miss, in proportion to their digital propensity.
      if (levers_.digital_uptake > 0)
        p += (1.0 - p) * (world_.residents.digital[k.resident] / 255.0) * levers_.digital_uptake;
      if (rng.bernoulli(p)) {
        enqueue_at_grid(cs, id, day_ + 1, k.day_raised == day_ ? k.hour_raised : params_.ladder.work_start_hour);
      } else {
        const std::uint32_t gl = k.grid - world_.communities.first_grid[c];
        cs.grid_latent[gl].push_back(id);
        cs.tally.latent += 1;
      }
    }
    cs.raised_today.clear();
    // Unreported demands that waited too long lapse.
    for (auto& lat : cs.grid_latent) {
      std::size_t keep = 0;
      for (const std::uint32_t id : lat) {
        if (cs.pool[id].state != CaseState::kLatent) continue;  // closed by a mechanism
        if (day_ - cs.pool[id].day_raised >= o.latent_give_up_days)
          close_case(cs, id, Outcome::kGaveUp, static_cast<float>(params_.ladder.work_start_hour));
        else
          lat[keep++] = id;
      }
      lat.resize(keep);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// assignment: administrative tasks arrive and pre-empt; what is left of each worker's day goes to cases.

void Simulation::phase_assignment() {
  const auto& gp = params_.grid;
  auto& wk = world_.workers;
  const auto W = static_cast<std::int64_t>(wk.size());
  const auto day = static_cast<std::uint32_t>(day_);
  const double capacity = gp.hours_per_day + levers_.extra_worker_hours + gp.max_overtime_hours;
#pragma omp parallel for schedule(static)
  for (std::int64_t wi = 0; wi < W; ++wi) {
    const auto w = static_cast<std::uint32_t>(wi);
    admin_today_[w] = 0.0f;
    free_today_[w] = 0.0f;
    visit_today_[w] = 0.0f;
    // The tasks of a vacant post go elsewhere (assumption): a replacement starts with an empty in-tray.
    if (wk.vacant_until[w] >= 0) continue;
    Rng rng(seed_, Purpose::kAdminTasks, w, day);
    const std::uint32_t n = rng.poisson(gp.admin_tasks_per_day);
    double arrived = 0;
    for (std::uint32_t i = 0; i < n; ++i) arrived += rng.exponential(gp.admin_task_hours);
    wk.admin_backlog[w] += static_cast<float>(arrived);
    const double admin = std::min<double>(wk.admin_backlog[w], capacity);
    wk.admin_backlog[w] -= static_cast<float>(admin);
    // Scheduled visits come after the tasks and before cases.
    const double visits = std::min(levers_.scheduled_visit_hours, capacity - admin);
    admin_today_[w] = static_cast<float>(admin);
    visit_today_[w] = static_cast<float>(visits);
    free_today_[w] = static_cast<float>(capacity - admin - visits);
  }
}

// ---------------------------------------------------------------------------------------------------------
// handling: each level works its FIFO queue with its capacity; a case beyond a level's remit is assessed
// there and passed up in the escalation phase.

void Simulation::close_case(CommunityState& cs, std::uint32_t id, Outcome outcome, float hour_done) {
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
  const float hours = static_cast<float>((day_ - (latent ? k.day_raised : k.day_reported)) * 24.0 + hour_done -
                                         (latent ? k.hour_raised : k.hour_reported));
  switch (outcome) {
    case Outcome::kResolved: {
      k.state = CaseState::kResolved;
      t.resolved[k.kind] += 1;
      t.resolved_at[k.level] += 1;
      if (k.hard()) t.hard_closed += 1;
      t.resolution_hours_sum += hours;
      cs.resolution_hours.push_back(hours);
      const double expect[kKinds] = {params_.opinion.expect_household_hours, params_.opinion.expect_shared_hours,
                                     params_.opinion.expect_public_hours};
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
  cs.closed.push_back({k.resident, hours, k.kind, k.level, outcome, id});
}

void Simulation::work_grids(std::uint32_t c) {
  const auto& gp = params_.grid;
  auto& cs = communities_[c];
  auto& wk = world_.workers;
  auto& t = cs.tally;
  const double normal = gp.hours_per_day + levers_.extra_worker_hours;
  const std::uint32_t g0 = world_.communities.first_grid[c];
  const auto day = static_cast<std::uint32_t>(day_);
  const double q_base = 1.0 - std::pow(1.0 - gp.quit_base_per_year, 1.0 / 365.0);
  for (std::uint32_t g = g0; g < world_.communities.first_grid[c + 1]; ++g) {
    const std::uint32_t w0 = world_.grids.first_worker[g], w1 = world_.grids.first_worker[g + 1];
    // Pooled capacity of the grid's workers in post, weighted by experience.
    double K = 0, clock_free = 0, admin = 0;
    int active = 0;
    for (std::uint32_t w = w0; w < w1; ++w) {
      if (wk.vacant_until[w] >= 0) continue;
      const double eff = gp.ramp_days > 0
                             ? gp.novice_efficiency + (1.0 - gp.novice_efficiency) *
                                                          std::min(1.0, wk.tenure_days[w] / gp.ramp_days)
                             : 1.0;
      K += free_today_[w] * eff;
      clock_free += free_today_[w];
      admin += admin_today_[w] + visit_today_[w];  // both come before cases in the day
      ++active;
    }
    auto& q = cs.grid_queue[g - g0];
    // Volunteers (e.g. registered Party members) take household and shared affairs first, in queue order.
    if (!levers_.volunteer_hours.empty() && levers_.volunteer_hours[g] > 0) {
      double left = levers_.volunteer_hours[g];
      for (const std::uint32_t id : q) {
        Case& k = cs.pool[id];
        if (k.state != CaseState::kQueued || k.level != 0 || k.available_day > day_ || k.required != 0 ||
            k.kind == static_cast<std::uint8_t>(DemandKind::kPublic))
          continue;
        const double need = k.work_left;
        const double done = std::min(need, left);
        k.work_left = static_cast<float>(need - done);
        left -= done;
        const double spent = levers_.volunteer_hours[g] - left;
        if (k.work_left <= 0)
          close_case(cs, id, Outcome::kResolved,
                     static_cast<float>(params_.ladder.work_start_hour + spent * gp.hours_per_day /
                                                                           std::max(1e-9, double(levers_.volunteer_hours[g]))));
        if (left <= 0) break;
      }
      t.volunteer_hours += levers_.volunteer_hours[g] - left;
    }
    std::size_t head = 0;
    double used = 0;
    const double team = normal / gp.hours_per_day;
    while (head < q.size() && K > 0) {
      Case& k = cs.pool[q[head]];
      if (k.state != CaseState::kQueued || k.level != 0) {
        ++head;
        continue;
      }
      if (k.available_day > day_) break;
      if (used + k.work_left <= K) {
        used += k.work_left;
        k.work_left = 0;
        // Work is spread over the team working in parallel (staff moved down count as extra people).
        const double hour = params_.ladder.work_start_hour + (admin + used * clock_free / K) / (active * team);
        if (k.required == 0) {
          close_case(cs, q[head], Outcome::kResolved, static_cast<float>(hour));
        } else {
          k.state = CaseState::kEscalated;
          t.escalated += 1;
          cs.up_from_grid.push_back(q[head]);
        }
        ++head;
      } else {
        k.work_left -= static_cast<float>(K - used);
        used = K;
        break;
      }
    }
    q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));

    // Workers' day: case clock hours shared in proportion to free hours; visits only within normal hours.
    const double case_share = K > 0 ? used / K : 0.0;
    double visit_hours = 0;
    for (std::uint32_t w = w0; w < w1; ++w) {
      if (wk.vacant_until[w] >= 0) {
        if (day_ >= wk.vacant_until[w]) {  // the replacement starts tomorrow, inexperienced
          wk.vacant_until[w] = -1;
          wk.tenure_days[w] = 0;
          wk.fatigue[w] = 0;
          wk.admin_backlog[w] = 0;
          t.hires += 1;
        } else {
          t.vacancies += 1;
        }
        continue;
      }
      const double cases = free_today_[w] * case_share;
      // Scheduled visits count as work; routine visits fill what is left of the normal hours.
      const double worked = admin_today_[w] + visit_today_[w] + cases;
      const double visit = std::min(gp.visit_hours_per_day, std::max(0.0, normal - worked));
      visit_hours += visit + visit_today_[w];
      t.admin_hours += admin_today_[w];
      t.case_hours += cases;
      t.visit_hours += visit + visit_today_[w];
      t.scheduled_visit_hours += visit_today_[w];
      t.overtime_hours += std::max(0.0, worked - normal);
      t.normal_hours += normal;
      const double u = worked / normal;
      double f = wk.fatigue[w] + gp.fatigue_gain * std::max(0.0, u - gp.fatigue_threshold) -
                 gp.fatigue_recovery * std::max(0.0, gp.fatigue_threshold - u);
      f = std::clamp(f, 0.0, 1.0);
      wk.fatigue[w] = static_cast<float>(f);
      wk.tenure_days[w] += 1;
      Rng rng(seed_, Purpose::kTurnover, w, day);
      if (rng.bernoulli((q_base + gp.quit_fatigue_per_day * f * f) * levers_.quit_multiplier)) {
        wk.vacant_until[w] = day_ + static_cast<std::int32_t>(std::lround(gp.replace_delay_days));
        t.quits += 1;
      } else {
        t.workers_in_post += 1;
        t.fatigue_sum += f;
      }
    }

    // Visits walk the grid's households in turn; unreported demands in visited households are found.
    const std::uint32_t H = world_.grids.first_household[g + 1] - world_.grids.first_household[g];
    const double extra = levers_.extra_visits.empty() ? 0.0 : levers_.extra_visits[g];
    const auto n_visit = static_cast<std::uint32_t>(
        std::min<double>(H, std::floor(visit_hours * gp.households_per_visit_hour + extra)));
    if (n_visit > 0) {
      const std::uint32_t from = world_.grids.visit_cursor[g];
      world_.grids.visit_cursor[g] = (from + n_visit) % H;
      t.households_visited += n_visit;
      if (levers_.visit_awareness > 0) {
        Rng rng(seed_, Purpose::kOpinion, g, day, 1);
        for (std::uint32_t i = 0; i < n_visit; ++i) {
          const std::uint32_t h = world_.grids.first_household[g] + (from + i) % H;
          if (rng.bernoulli(levers_.visit_awareness)) make_aware(c, world_.households.first_resident[h]);
        }
      }
      auto& lat = cs.grid_latent[g - g0];
      std::size_t keep = 0;
      for (const std::uint32_t id : lat) {
        if (cs.pool[id].state != CaseState::kLatent) continue;
        const std::uint32_t rel = (cs.pool[id].household + H - from) % H;
        if (rel < n_visit) {
          t.latent -= 1;
          t.found_by_visit += 1;
          // Found on a visit: reported in the middle of the working day.
          enqueue_at_grid(cs, id, day_ + 1, params_.ladder.work_start_hour + 0.5 * gp.hours_per_day);
        } else {
          lat[keep++] = id;
        }
      }
      lat.resize(keep);
    }
  }
}

namespace {

// Works a FIFO queue with `capacity` staff-hours at `level`; `get` maps a queue entry to (state, case).
template <class Entry, class Get, class Done>
void work_level_queue(std::vector<Entry>& q, int day, std::uint8_t level, double capacity, double start,
                      double span, Get get, Done done) {
  std::size_t head = 0;
  double used = 0;
  while (head < q.size() && capacity > 0) {
    Case& k = get(q[head]);
    if (k.state != CaseState::kQueued || k.level != level) {
      ++head;
      continue;
    }
    if (k.available_day > day) break;
    if (used + k.work_left <= capacity) {
      used += k.work_left;
      k.work_left = 0;
      done(q[head], start + span * used / capacity);
      ++head;
    } else {
      k.work_left -= static_cast<float>(capacity - used);
      break;
    }
  }
  q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
}

}  // namespace

void Simulation::work_community(std::uint32_t c) {
  const auto& lp = params_.ladder;
  auto& cs = communities_[c];
  work_level_queue(
      cs.queue, day_, 1,
      lp.community_staff * lp.community_hours +
          (levers_.community_extra_hours.empty() ? 0.0 : levers_.community_extra_hours[c]),
      lp.work_start_hour, lp.community_hours,
      [&](std::uint32_t id) -> Case& { return cs.pool[id]; },
      [&](std::uint32_t id, double hour) {
        Case& k = cs.pool[id];
        if (k.required <= 1) {  // a level can do the work of the levels below it
          close_case(cs, id, Outcome::kResolved, static_cast<float>(hour));
        } else {
          k.state = CaseState::kEscalated;
          cs.tally.escalated += 1;
          cs.up_from_community.push_back(id);
        }
      });
}

void Simulation::work_street(std::uint32_t s) {
  const auto& lp = params_.ladder;
  auto& ss = streets_[s];
  work_level_queue(
      ss.queue, day_, 2, lp.street_staff * lp.street_hours, lp.work_start_hour, lp.street_hours,
      [&](const CaseRef& r) -> Case& { return communities_[r.community].pool[r.id]; },
      [&](const CaseRef& r, double hour) {
        auto& cs = communities_[r.community];
        Case& k = cs.pool[r.id];
        if (k.required <= 2) {
          close_case(cs, r.id, Outcome::kResolved, static_cast<float>(hour));
        } else {
          k.state = CaseState::kEscalated;
          cs.tally.escalated += 1;
          ss.up.push_back(r);
        }
      });
}

void Simulation::work_department() {
  const auto& lp = params_.ladder;
  const double staff = lp.department_staff_per_street * static_cast<double>(streets_.size());
  work_level_queue(
      department_, day_, 3, std::max(0.0, staff * lp.department_hours + levers_.department_extra_hours),
      lp.work_start_hour, lp.department_hours,
      [&](const CaseRef& r) -> Case& { return communities_[r.community].pool[r.id]; },
      [&](const CaseRef& r, double hour) {
        close_case(communities_[r.community], r.id, Outcome::kResolved, static_cast<float>(hour));
      });
}

void Simulation::phase_handling() {
  const auto C = static_cast<std::int64_t>(world_.communities.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    work_grids(static_cast<std::uint32_t>(ci));
    work_community(static_cast<std::uint32_t>(ci));
  }
  const auto S = static_cast<std::int64_t>(streets_.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t s = 0; s < S; ++s) work_street(static_cast<std::uint32_t>(s));
  work_department();
}

// ---------------------------------------------------------------------------------------------------------
// escalation: cases passed up today join the next level's queue after its transfer delay; cases open too
// long are abandoned; closed cases leave the queues and their slots are recycled.

void Simulation::phase_escalation() {
  const auto& lp = params_.ladder;
  const auto C = static_cast<std::int64_t>(world_.communities.size());
  auto move_up = [&](Case& k, CommunityState& cs, Level to, std::int64_t delay) {
    cs.tally.open_at[k.level] -= 1;
    k.level = static_cast<std::uint8_t>(to);
    cs.tally.open_at[k.level] += 1;
    k.state = CaseState::kQueued;
    k.day_queued = day_;
    k.hour_queued = 24.0f;  // passed up at the end of the day
    k.available_day = day_ + static_cast<std::int32_t>(std::max<std::int64_t>(0, delay - levers_.delay_reduction_days));
    k.work_left = static_cast<float>(k.required <= k.level ? k.size : lp.assess_hours);
  };
  auto sweep = [&](auto& q, std::uint8_t level, auto community_of, auto id_of) {
    std::size_t keep = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
      auto& cs = communities_[community_of(q[i])];
      Case& k = cs.pool[id_of(q[i])];
      if (k.state != CaseState::kQueued || k.level != level) continue;
      if (day_ - k.day_reported >= lp.abandon_days) {
        close_case(cs, id_of(q[i]), Outcome::kAbandoned, static_cast<float>(params_.ladder.work_start_hour));
        continue;
      }
      q[keep++] = q[i];
    }
    q.resize(keep);
  };

#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    const auto c = static_cast<std::uint32_t>(ci);
    auto& cs = communities_[c];
    for (const std::uint32_t id : cs.up_from_grid) {
      move_up(cs.pool[id], cs, Level::kCommunity, lp.community_delay_days);
      cs.queue.push_back(id);
    }
    cs.up_from_grid.clear();
    // Monitoring: a case left at the grid past its deadline moves to the community.
    if (levers_.grid_deadline_hours > 0) {
      for (auto& q : cs.grid_queue)
        for (const std::uint32_t id : q) {
          Case& k = cs.pool[id];
          if (k.state != CaseState::kQueued || k.level != 0) continue;
          // Time at the grid since the case last joined its queue (not time held elsewhere by a mechanism).
          const double waited = (day_ - k.day_queued) * 24.0 + 24.0 - k.hour_queued;
          if (waited < levers_.grid_deadline_hours) continue;
          move_up(k, cs, Level::kCommunity, lp.community_delay_days);
          cs.queue.push_back(id);
          cs.tally.breached += 1;
        }
    }
    auto self = [c](std::uint32_t) { return c; };
    auto ident = [](std::uint32_t id) { return id; };
    for (auto& q : cs.grid_queue) sweep(q, 0, self, ident);
    sweep(cs.queue, 1, self, ident);
  }
  // Street and department sweeps close cases of many communities; they run before any slot is recycled.
  // Serial hand-overs in community and street order keep queue order independent of threads.
  for (std::uint32_t c = 0; c < static_cast<std::uint32_t>(C); ++c) {
    auto& cs = communities_[c];
    auto& ss = streets_[world_.communities.street[c]];
    for (const std::uint32_t id : cs.up_from_community) {
      move_up(cs.pool[id], cs, Level::kStreet, lp.street_delay_days);
      ss.queue.push_back({c, id});
    }
    cs.up_from_community.clear();
  }
  for (auto& ss : streets_) {
    for (const CaseRef& r : ss.up) {
      auto& cs = communities_[r.community];
      move_up(cs.pool[r.id], cs, Level::kDepartment, lp.department_delay_days);
      department_.push_back(r);
    }
    ss.up.clear();
  }
  auto ref_c = [](const CaseRef& r) { return r.community; };
  auto ref_id = [](const CaseRef& r) { return r.id; };
  const auto S = static_cast<std::int64_t>(streets_.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t s = 0; s < S; ++s) sweep(streets_[s].queue, 2, ref_c, ref_id);
  sweep(department_, 3, ref_c, ref_id);
  // Slots closed before today's sweeps are out of every queue now and can be reused.
#pragma omp parallel for schedule(static)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    auto& cs = communities_[ci];
    for (const std::uint32_t id : cs.pending_release) cs.pool.release(id);
    cs.pending_release.clear();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The mechanisms' handles on cases and residents.

void Simulation::hold_case(std::uint32_t c, std::uint32_t id) {
  auto& cs = communities_[c];
  Case& k = cs.pool[id];
  if (k.state != CaseState::kQueued) throw std::logic_error("hold_case: case is not queued");
  k.state = CaseState::kHeld;
  cs.tally.open_at[k.level] -= 1;  // the queue sweep drops it from its queue
}

void Simulation::return_case(std::uint32_t c, std::uint32_t id, int available_day) {
  auto& cs = communities_[c];
  Case& k = cs.pool[id];
  if (k.state != CaseState::kHeld) throw std::logic_error("return_case: case is not held");
  k.state = CaseState::kQueued;
  k.available_day = available_day;
  k.day_queued = day_;
  k.hour_queued = static_cast<float>(params_.ladder.work_start_hour);
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
  auto by_ref = [&](const CaseRef& r) -> const Case& { return communities_[r.community].pool[r.id]; };
  switch (static_cast<Level>(k.level)) {
    case Level::kGrid: insert(cs.grid_queue[k.grid - world_.communities.first_grid[c]], id, by_id); break;
    case Level::kCommunity: insert(cs.queue, id, by_id); break;
    case Level::kStreet: insert(streets_[world_.communities.street[c]].queue, CaseRef{c, id}, by_ref); break;
    case Level::kDepartment: insert(department_, CaseRef{c, id}, by_ref); break;
  }
}

void Simulation::route_case(std::uint32_t c, std::uint32_t id, Level to, int available_day) {
  hold_case(c, id);  // leaves its old queue at the next sweep
  Case& k = communities_[c].pool[id];
  k.level = static_cast<std::uint8_t>(to);
  k.work_left = static_cast<float>(k.required <= k.level ? k.size
                                   : to == Level::kGrid ? params_.grid.assess_hours
                                                        : params_.ladder.assess_hours);
  return_case(c, id, available_day);
}

void Simulation::resolve_held(std::uint32_t c, std::uint32_t id, double hour) {
  auto& cs = communities_[c];
  if (cs.pool[id].state != CaseState::kHeld) throw std::logic_error("resolve_held: case is not held");
  close_case(cs, id, Outcome::kResolved, static_cast<float>(hour));
}

void Simulation::nudge_resident(std::uint32_t c, std::uint32_t r, double d_sat, double d_trust) {
  adjust_opinion(r, d_sat, d_trust, communities_[c].tally);
}

void Simulation::make_aware(std::uint32_t c, std::uint32_t r) {
  auto& f = world_.residents.flags[r];
  if (!(f & kAware)) {
    f |= kAware;
    communities_[c].tally.aware += 1;
  }
}

// ---------------------------------------------------------------------------------------------------------
// opinion: each closed demand moves its resident's satisfaction and trust, and passes on to neighbours.

void Simulation::adjust_opinion(std::uint32_t r, double d_sat, double d_trust, Tally& t) {
  auto& res = world_.residents;
  const float good = static_cast<float>(params_.opinion.good_threshold);
  const float s0 = res.satisfaction[r];
  const float s1 = static_cast<float>(std::clamp(s0 + d_sat, 0.0, 1.0));
  const float t0 = res.trust[r];
  const float t1 = static_cast<float>(std::clamp(t0 + d_trust, 0.0, 1.0));
  res.satisfaction[r] = s1;
  res.trust[r] = t1;
  t.satisfaction_sum += static_cast<double>(s1) - s0;
  t.trust_sum += static_cast<double>(t1) - t0;
  t.good += (s1 >= good ? 1 : 0) - (s0 >= good ? 1 : 0);
}

void Simulation::phase_opinion() {
  const auto& o = params_.opinion;
  const double expect[kKinds] = {o.expect_household_hours, o.expect_shared_hours, o.expect_public_hours};
  auto& res = world_.residents;
  const auto& net = world_.neighbours;
  const auto C = static_cast<std::int64_t>(world_.communities.size());
  const auto day = static_cast<std::uint32_t>(day_);
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    const auto c = static_cast<std::uint32_t>(ci);
    auto& cs = communities_[c];
    auto& t = cs.tally;
    Rng rng(seed_, Purpose::kOpinion, c, day);
    for (const ClosedEvent& e : cs.closed) {
      const std::uint32_t r = e.resident;
      const double s = res.satisfaction[r];
      double d = 0;
      switch (e.outcome) {
        case Outcome::kResolved: {
          const double ratio = e.hours / expect[e.kind];
          d = ratio <= 1.0 ? o.gain_met * (1.0 - s) : -o.loss_missed * std::min(ratio - 1.0, o.miss_cap) * s;
          break;
        }
        case Outcome::kAbandoned: d = -o.loss_abandoned * s; break;
        case Outcome::kGaveUp: d = -o.loss_gave_up * s; break;
      }
      adjust_opinion(r, d, o.trust_coupling * d, t);
      const bool contact = e.level >= static_cast<std::uint8_t>(Level::kCommunity);
      if (contact && !(res.flags[r] & kAware) && rng.bernoulli(o.aware_on_contact)) {
        res.flags[r] |= kAware;
        t.aware += 1;
      }
      const bool source_aware = (res.flags[r] & kAware) != 0;
      for (decltype(world_.neighbours)::InnerIterator it(net, r); it; ++it) {
        const auto j = static_cast<std::uint32_t>(it.index());
        const double wd = it.value() * d;
        adjust_opinion(j, wd, o.trust_coupling * wd, t);
        if (contact && source_aware && !(res.flags[j] & kAware) && rng.bernoulli(o.aware_by_wom)) {
          res.flags[j] |= kAware;
          t.aware += 1;
        }
      }
      cs.pending_release.push_back(e.case_id);
    }
    cs.closed.clear();
  }
}

// ---------------------------------------------------------------------------------------------------------
// recording: per-community tallies, reduced in community order, handed to the recorder.

void Simulation::phase_recording() {
  const auto C = world_.communities.size();
  std::vector<Tally> tallies(C);
#pragma omp parallel for schedule(dynamic, 8)
  for (std::int64_t ci = 0; ci < static_cast<std::int64_t>(C); ++ci) {
    auto& cs = communities_[ci];
    std::vector<float> tmp = cs.resolution_hours;
    cs.tally.p90_resolution_hours = p90(tmp);
    tallies[ci] = cs.tally;
  }
  Tally district;
  std::vector<float> all;
  for (std::size_t c = 0; c < C; ++c) {
    district.add(tallies[c]);
    auto& v = communities_[c].resolution_hours;
    all.insert(all.end(), v.begin(), v.end());
    for (const float h : v) {
      const int b = static_cast<int>(std::floor((std::log10(std::max(h, 1e-3f)) - kHistLo) / kHistWidth));
      hist_[std::clamp(b, 0, kHistBins - 1)] += 1;
    }
    v.clear();
    communities_[c].tally.clear_flows();
  }
  district.p90_resolution_hours = p90(all);
  run_work_hours_ += district.admin_hours + district.case_hours + district.scheduled_visit_hours;
  run_normal_hours_ += district.normal_hours;
  recorder_.record(day_, district, tallies);
}

RunSummary Simulation::summary() const {
  RunSummary s;
  const auto& r = recorder_;
  const int T = day_ + 1;
  if (T <= 0) return s;
  auto sum = [&](const std::string& name) {
    const auto& v = r.series(r.index(name));
    return std::accumulate(v.begin(), v.begin() + T, 0.0);
  };
  s.demands = sum("new_demands");
  s.reported = sum("new_reported");
  s.resolved = sum("new_resolved");
  s.hard_raised = sum("new_hard_problems");
  s.hard_closed = sum("new_hard_problems_closed");
  s.abandoned = sum("new_abandoned");
  s.quits = sum("new_quits");
  s.mean_gw_utilisation = run_normal_hours_ > 0 ? run_work_hours_ / run_normal_hours_ : 0.0;
  s.median_resolution_hours = quantile_from_hist(hist_, 0.5);
  s.p90_resolution_hours = quantile_from_hist(hist_, 0.9);
  s.share_good = r.at("share_good", T - 1);
  s.mean_trust = r.at("mean_trust", T - 1);
  s.share_aware = r.at("share_aware", T - 1);
  return s;
}

}  // namespace govsim
