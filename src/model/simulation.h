// One run: a world, the day as an outline of named phases (each in its own file under model/phases/), the
// mechanisms subscribed to them, and the recorder. Describing the model (parameters) is separate from
// running it (Simulation) and from writing it out (io/).
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/world.h"
#include "model/day_api.h"
#include "model/ledger.h"
#include "model/mechanism.h"
#include "model/metrics.h"
#include "model/phase.h"
#include "model/state.h"
#include "params/params.h"

namespace govsim {

// Per-run totals that the daily series cannot give exactly (run-wide quantiles).
struct RunSummary {
  double demands = 0, reported = 0, resolved = 0, hard_raised = 0, hard_closed = 0, abandoned = 0;
  double median_resolution_hours = 0, p90_resolution_hours = 0;
  double mean_gw_utilisation = 0, share_good = 0, mean_trust = 0, share_aware = 0, quits = 0;
  double committee_good = 0;
  // Between communities: share good at the end; mean resolution hours over the run (docs/ODD.md §7.9).
  double gini_share_good = 0, worst_decile_share_good = 0;
  double gini_resolution_hours = 0, worst_decile_resolution_hours = 0;
  double hard_closed_6m_share = 0;  // of hard problems reported 180+ days before the end, resolved within 180
  // The seed's headline (seed 000: 百日解百难), of problems a mechanism listed with a published deadline: the
  // share closed within 6 months and by the deadline (joint handling's outcomes; NaN in an arm that lists
  // none).
  double listed_closed_6m_share = NAN, listed_closed_by_deadline_share = NAN;
  // Cost (docs/ODD.md §7.20): every source, and the mechanisms' added cost, in million yuan a year (the run's
  // total over its days, times 365); and yuan per case resolved over the run (NaN if none).
  double cost_myuan_year = 0, added_cost_myuan_year = 0, cost_per_resolved = 0;
  double wall_seconds = 0;
};

class Simulation {
 public:
  Simulation(const Params& params, World world, std::uint64_t seed);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  void add_mechanism(std::unique_ptr<Mechanism> m);  // before the first day; acts in the order added
  void add_metric(MetricSpec spec) { api_.add_metric(std::move(spec)); }  // before the first day
  void step();                                                            // one day, all phases in order
  // params.run.days days, then finalize. With several threads it probes now and then whether one thread
  // is faster (on a machine whose cores other processes hold, barriers wait for a core), and uses the
  // faster count until the next probe (the same bits either way); GOVSIM_FIXED_THREADS=1 keeps every thread.
  void run();
  // For a caller that steps the days itself (govsim serve): whether run.days days have been stepped, and
  // the end of the run that run() does after them (mechanisms' finalize; idempotent).
  bool days_done() const { return s_.day + 1 >= s_.params.run.days; }
  void finish() { finalize(); }
  RunSummary summary() const;

  // Sets up the day and runs one phase, each its own pass over the communities; step() does the same work
  // with passes fused (the same bits). Tests use them to watch a phase.
  void begin_day();
  void run_phase(Phase p);

  int day() const { return s_.day; }
  std::uint64_t seed() const { return s_.seed; }
  Params& params() { return s_.params; }  // tests change a rule mid-run
  const Params& params() const { return s_.params; }
  World& world() { return s_.world; }
  const World& world() const { return s_.world; }
  Levers& levers() { return s_.levers; }
  CommunityState& community(std::uint32_t c) { return s_.communities[c]; }
  StreetState& street(std::uint32_t s) { return s_.streets[s]; }
  std::vector<CaseRef>& department_queue() { return s_.department; }
  // What the mechanisms see (tests drive a mechanism by hand through it).
  DayApi& api() { return api_; }
  const Recorder& recorder() const { return recorder_; }
  // Hands the recorder over after the run (its per-community series are hundreds of MB at city scale); the
  // simulation keeps an empty one.
  Recorder take_recorder() { return std::exchange(recorder_, Recorder{}); }
  const std::vector<std::string>& phase_log() const { return phase_log_; }
  void log_phases(bool on) { log_phases_ = on; }

  // Raises a demand by hand (tests); it enters the reporting phase like any other.
  std::uint32_t raise_demand(std::uint32_t grid, std::uint32_t household_offset, DemandKind kind,
                             Level required, float size_hours, float hour) {
    return api_.raise_demand(grid, household_offset, kind, required, size_hours, hour);
  }

 private:
  // The phases, one file each (model/phases/), as parts: work on one community that touches only that
  // community's state (its residents, grids, workers, cases and tallies), or district work run alone. A
  // phase is its parts in order (kPhaseParts in simulation.cpp); step() runs consecutive community parts in
  // one parallel pass, each community taking them in order, unless a mechanism acts in between.
  using CommunityWork = void (Simulation::*)(std::uint32_t c);
  using DistrictWork = void (Simulation::*)();
  struct Part {
    CommunityWork community = nullptr;  // one of the two
    DistrictWork district = nullptr;
  };
  static constexpr int kMaxParts = 3;
  // Streets are worked in parallel only when there are this many: a parallel loop costs a barrier (tens of
  // microseconds with sleeping threads), more than a few streets' work (the default district has 7).
  static constexpr std::int64_t kParallelStreets = 64;
  struct PhaseParts {
    Part parts[kMaxParts];
  };
  static const PhaseParts kPhaseParts[kPhases];
  // Community parts waiting for the next parallel pass, in the order they run on each community.
  struct Pending {
    CommunityWork work[1 + kPhases * kMaxParts];
    int n = 0;
    void add(CommunityWork w) { work[n++] = w; }
  };
  void start_day();  // the day's district set-up, before any community's work
  void run_phase(Phase p, Pending& pending);
  void run_pending(Pending& pending);
  void begin_community(std::uint32_t c);
  void demand_community(std::uint32_t c);
  void reporting_community(std::uint32_t c);
  void assignment_community(std::uint32_t c);
  void handling_community(std::uint32_t c);
  void handling_district();
  void escalation_community(std::uint32_t c);
  void escalation_district();
  void release_community(std::uint32_t c);
  void opinion_community(std::uint32_t c);
  void recording_community(std::uint32_t c);
  void recording_district();
  void inequality_community(std::uint32_t c);
  void finalize();

  // Handling, per level (model/phases/handling.cpp).
  void work_grids(std::uint32_t c);
  void work_community(std::uint32_t c);
  void work_street(std::uint32_t s);
  void work_department();
  void finish_at_level(CommunityState& cs, std::uint32_t c, std::uint32_t id, double hour);
  void settle_coordinated(std::uint32_t c);

  CoreState s_;
  Ledger ledger_{s_};
  std::vector<MetricSpec> extra_metrics_;
  bool started_ = false, finalized_ = false;
  PhaseMask acting_ = 0;  // the phases some mechanism acts in
  DayApi api_{s_, ledger_, extra_metrics_, started_};
  std::vector<std::unique_ptr<Mechanism>> mechanisms_;
  Recorder recorder_;
  // Per-worker hours for today, set in assignment and used in handling.
  std::vector<float> admin_today_, free_today_, visit_today_;
  std::vector<double> hist_;    // run-wide histogram of log10(resolution hours)
  std::vector<Tally> tallies_;  // the day's community tallies, kept between days (no daily allocation)
  // Per community: resolution hours and resolutions of the last kInequalityWindowDays days ([c * W + day %
  // W]), and over the run, for the inequality of resolution times between communities; today's share good
  // and mean resolution hours over the window.
  std::vector<double> window_hours_, window_resolved_;
  std::vector<double> run_hours_, run_resolved_, good_, mean_hours_;
  double run_work_hours_ = 0, run_normal_hours_ = 0;
  bool log_phases_ = false;
  std::vector<std::string> phase_log_;
};

}  // namespace govsim
