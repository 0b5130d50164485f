#include "model/simulation.h"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.h"
#include "model/inequality.h"
#include "model/resolution_times.h"
#include "util/parallel_errors.h"

namespace govsim {

Simulation::Simulation(const Params& params, World world, std::uint64_t seed) {
  s_.params = params;
  s_.world = std::move(world);
  s_.seed = seed;
  const auto C = s_.world.communities.size();
  s_.communities.resize(C);
  s_.streets.resize(s_.world.streets.size());
  admin_today_.assign(s_.world.workers.size(), 0.0f);
  free_today_.assign(s_.world.workers.size(), 0.0f);
  visit_today_.assign(s_.world.workers.size(), 0.0f);
  hist_.assign(kHistBins, 0.0);
  tallies_.resize(C);
  window_hours_.assign(C * kInequalityWindowDays, 0.0);
  window_resolved_.assign(C * kInequalityWindowDays, 0.0);
  run_hours_.assign(C, 0.0);
  run_resolved_.assign(C, 0.0);
  good_.assign(C, 0.0);
  mean_hours_.assign(C, 0.0);
  const float good = static_cast<float>(s_.params.opinion.good_threshold);
  const float committee = static_cast<float>(s_.params.opinion.committee_good_threshold);
  ParallelErrors errors;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < static_cast<std::int64_t>(C); ++ci) {
    errors.run([&] {
      const auto c = static_cast<std::uint32_t>(ci);
      auto& cs = s_.communities[c];
      const auto& w = s_.world;
      const std::uint32_t ng = w.communities.first_grid[c + 1] - w.communities.first_grid[c];
      cs.grid_queue.resize(ng);
      cs.grid_latent.resize(ng);
      cs.review.resize(kReviewDays);
      auto& t = cs.tally;
      const auto& r = w.residents;
      for (std::uint32_t i = w.community_first_resident(c); i < w.community_end_resident(c); ++i) {
        t.residents += 1;
        t.residents_by_age[r[i].age] += 1;
        t.satisfaction_sum += r[i].satisfaction;
        t.trust_sum += r[i].trust;
        t.good += r[i].satisfaction >= good ? 1 : 0;
        t.good_by_age[r[i].age] += r[i].satisfaction >= good ? 1 : 0;
        t.aware += (r[i].flags & kAware) ? 1 : 0;
        t.committee_good += (r[i].flags & kAware) && r[i].trust >= committee ? 1 : 0;
        cs.rest_satisfaction_sum += r[i].rest_satisfaction;
        cs.rest_trust_sum += r[i].rest_trust;
      }
    });
  }
  errors.rethrow();
}

Simulation::~Simulation() = default;

void Simulation::add_mechanism(std::unique_ptr<Mechanism> m) {
  if (started_) throw std::logic_error("mechanisms must be added before the first day");
  acting_ |= m->phases();
  mechanisms_.push_back(std::move(m));
}

const Simulation::PhaseParts Simulation::kPhaseParts[kPhases] = {
    {{{&Simulation::demand_community}}},
    {{{&Simulation::reporting_community}}},
    {{{&Simulation::assignment_community}}},
    {{{&Simulation::handling_community}, {nullptr, &Simulation::handling_district}}},
    {{{&Simulation::escalation_community},
      {nullptr, &Simulation::escalation_district},
      {&Simulation::release_community}}},
    {},  // mechanisms: the core has no work here; mechanisms that act on the day's state do
    {{{&Simulation::opinion_community}}},
    {{{&Simulation::recording_community}, {nullptr, &Simulation::recording_district}}},
};

// The day, as an outline: every phase's parts in the order of the schedule (model/phase.h), each phase
// followed by the mechanisms that act in it. Community parts wait and run as one parallel pass when district
// work or a mechanism needs every community's state: one barrier, and each community's data still in cache
// from the part before (docs/PERFORMANCE.md).
void Simulation::step() {
  start_day();
  Pending pending;
  pending.add(&Simulation::begin_community);
  for (const PhaseInfo& info : kSchedule) run_phase(info.phase, pending);
  run_pending(pending);
}

void Simulation::begin_day() {
  start_day();
  Pending pending;
  pending.add(&Simulation::begin_community);
  run_pending(pending);
}

void Simulation::run_phase(Phase p) {
  Pending pending;
  run_phase(p, pending);
  run_pending(pending);
}

// A phase's community parts join `pending`; district work, and a mechanism acting in the phase, first run
// what is pending. A phase never has two community parts in a row, so run on its own each part is a pass.
void Simulation::run_phase(Phase p, Pending& pending) {
  for (const Part& part : kPhaseParts[static_cast<int>(p)].parts) {
    if (part.community != nullptr) pending.add(part.community);
    if (part.district != nullptr) {
      run_pending(pending);
      (this->*part.district)();
    }
  }
  if (acting_ & phase_bit(p)) run_pending(pending);
  if (log_phases_) phase_log_.push_back(std::to_string(s_.day) + ":" + phase_name(p));
  for (auto& m : mechanisms_) {
    if (m->phases() & phase_bit(p)) {
      m->act(p, api_);
      if (log_phases_) phase_log_.push_back(std::to_string(s_.day) + ":" + phase_name(p) + ":" + m->name());
    }
  }
}

void Simulation::run_pending(Pending& pending) {
  if (pending.n == 0) return;
  const auto C = static_cast<std::int64_t>(s_.communities.size());
  const CommunityWork* work = pending.work;
  const int n = pending.n;
  ParallelErrors errors;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci)
    errors.run([&] {
      for (int i = 0; i < n; ++i) (this->*work[i])(static_cast<std::uint32_t>(ci));
    });
  pending.n = 0;
  errors.rethrow();
}

void Simulation::start_day() {
  if (!started_) {
    ledger_.start();
    // Mechanisms initialise first, so they can declare their own metrics and set levers.
    for (auto& m : mechanisms_) m->initialize(api_);
    started_ = true;
    auto specs = core_metrics();
    for (auto& s : extra_metrics_) specs.push_back(std::move(s));
    recorder_.start(std::move(specs), static_cast<int>(s_.params.run.days),
                    static_cast<int>(s_.world.communities.size()));
  }
  ++s_.day;
  if (s_.day >= s_.params.run.days) throw std::logic_error("day beyond run.days");
}

// The day's opinion bookkeeping, then residents who move away and awareness that fades.
void Simulation::begin_community(std::uint32_t c) {
  auto& cs = s_.communities[c];
  ledger_.begin_opinion_day(cs);
  // Residents move: each day a Poisson number per community, work only for those who move.
  const std::uint32_t r0 = s_.world.community_first_resident(c), n = s_.world.community_end_resident(c) - r0;
  if (n == 0) return;
  const auto day = static_cast<std::uint32_t>(s_.day);
  Rng rng(s_.seed, Purpose::kMoving, c, day);
  // Awareness fades unless renewed: a Poisson number of residents a day are reached by the fading. Both
  // lists are drawn first (the same draws in the same order) so that each resident, a cache miss, can be
  // fetched a few ahead.
  thread_local std::vector<std::uint32_t> who;
  who.clear();
  const std::uint32_t movers = rng.poisson(s_.params.opinion.moving_per_year / 365.0 * n);
  for (std::uint32_t i = 0; i < movers; ++i) who.push_back(r0 + rng.below(n));
  const std::uint32_t fading = rng.poisson(s_.params.opinion.aware_forget_per_year / 365.0 * n);
  for (std::uint32_t i = 0; i < fading; ++i) who.push_back(r0 + rng.below(n));
  for (std::size_t i = 0; i < who.size(); ++i) {
    if (i + 8 < who.size()) ledger_.prefetch_resident(who[i + 8]);
    if (i < movers)
      ledger_.replace_resident(cs, who[i]);
    else
      ledger_.forget_committee(cs, who[i]);
  }
}

namespace {

// Days between probes of the thread count: the first, and the most after the same answer again and again.
constexpr std::int64_t kFirstProbeGap = 32, kLongestProbeGap = 512;

bool fixed_threads() {
  const char* v = std::getenv("GOVSIM_FIXED_THREADS");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

}  // namespace

void Simulation::run() {
  // A probe is four days on one thread, all threads, one, all (alternated, so both counts see alike days);
  // the rest use whichever count took less time. The gap to the next probe doubles each time the answer
  // stays the same and starts again from 32 days when it changes: a probe costs about two days at one
  // thread where all threads are faster, so on a steady machine the probes cost well under 1%.
  const int all = omp_get_max_threads();
  const bool probe = all > 1 && !fixed_threads();
  int use = all;
  std::int64_t gap = kFirstProbeGap, next_probe = 0;
  int probe_day = -1;              // 0-3 while probing
  double seconds[2] = {0.0, 0.0};  // this probe's days on one thread, on all
  for (std::int64_t n = 0; s_.day + 1 < s_.params.run.days; ++n) {
    if (probe && n == next_probe) probe_day = 0;
    omp_set_num_threads(probe_day < 0 ? use : probe_day % 2 == 0 ? 1 : all);
    const auto t0 = std::chrono::steady_clock::now();
    step();
    if (probe_day < 0) continue;
    seconds[probe_day % 2] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (++probe_day < 4) continue;
    const int faster = seconds[0] < seconds[1] ? 1 : all;
    gap = faster == use ? std::min(2 * gap, kLongestProbeGap) : kFirstProbeGap;
    use = faster;
    next_probe = n + 1 + gap;
    probe_day = -1;
    seconds[0] = seconds[1] = 0.0;
  }
  omp_set_num_threads(all);
  finalize();
}

void Simulation::finalize() {
  if (finalized_) return;
  finalized_ = true;
  for (auto& m : mechanisms_) m->finalize(api_);
}

RunSummary Simulation::summary() const {
  RunSummary s;
  const auto& r = recorder_;
  const int T = s_.day + 1;
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
  s.committee_good = r.at("share_committee_good", T - 1);
  s.gini_share_good = r.at("gini_share_good", T - 1);
  s.worst_decile_share_good = r.at("worst_decile_share_good", T - 1);
  // Resolution times between communities over the whole run, like the run's median and 90th percentile.
  std::vector<double> hours(run_hours_.size());
  for (std::size_t c = 0; c < hours.size(); ++c)
    hours[c] = run_resolved_[c] > 0 ? run_hours_[c] / run_resolved_[c] : std::nan("");
  s.gini_resolution_hours = gini(hours);
  s.worst_decile_resolution_hours = worst_decile(std::move(hours), /*low_is_worse=*/false);
  const double cohort = sum("new_hard_cohort");
  s.hard_closed_6m_share = cohort > 0 ? sum("new_hard_cohort_closed_6m") / cohort : std::nan("");
  const double cost = sum("new_cost_yuan");
  s.cost_myuan_year = cost * 365.0 / T / 1e6;
  s.added_cost_myuan_year = sum("new_added_cost_yuan") * 365.0 / T / 1e6;
  s.cost_per_resolved = s.resolved > 0 ? cost / s.resolved : std::nan("");
  return s;
}

}  // namespace govsim
