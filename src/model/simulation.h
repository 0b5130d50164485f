// One run: a world, the baseline day in a fixed order of named phases, the mechanisms subscribed to them,
// and the recorder. Describing the model (experiment/scenario.h) is separate from running it (Simulation) and from
// writing it out (io/).
#pragma once

#include <array>
#include <string>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/world.h"
#include "mechanisms/mechanism.h"
#include "model/cases.h"
#include "model/metrics.h"
#include "model/tally.h"
#include "params/params.h"

namespace govsim {

// Everything one community owns; phases update communities in parallel, each touching only its own.
struct CommunityState {
  CasePool pool;
  std::vector<std::vector<std::uint32_t>> grid_queue;   // per grid of the community, FIFO
  std::vector<std::vector<std::uint32_t>> grid_latent;  // unreported demands per grid
  std::vector<std::uint32_t> queue;                     // cases at the community level, FIFO
  std::vector<std::uint32_t> raised_today;
  std::vector<std::uint32_t> up_from_grid;       // escalated today: grid -> community
  std::vector<std::uint32_t> up_from_community;  // escalated today: community -> street
  std::vector<ClosedEvent> closed;               // closed today at any level, for the opinion phase
  std::vector<std::uint32_t> pending_release;    // closed slots, recycled after the next queue sweep
  std::vector<float> resolution_hours;           // today's resolutions, for quantiles
  Tally tally;
};

struct StreetState {
  std::vector<CaseRef> queue;
  std::vector<CaseRef> up;  // escalated today: street -> department
};

// Per-run totals that the daily series cannot give exactly (run-wide quantiles).
struct RunSummary {
  double demands = 0, reported = 0, resolved = 0, hard_raised = 0, hard_closed = 0, abandoned = 0;
  double median_resolution_hours = 0, p90_resolution_hours = 0;
  double mean_gw_utilisation = 0, share_good = 0, mean_trust = 0, share_aware = 0, quits = 0;
  double wall_seconds = 0;
};

// Settings that mechanisms may change to act on the core's rules (set in initialize or act). Defaults leave
// the baseline unchanged. Per-grid and per-community vectors are empty (no effect) until a mechanism sizes them.
struct Levers {
  // Staff hours per grid-worker post per day added by staff moved down with tasks; they work alongside the
  // post holder (in parallel), adding to its capacity and normal hours.
  double extra_worker_hours = 0.0;
  // Reporting: p' = p + (1 - p) * digital propensity * digital_uptake (a digital channel).
  double digital_uptake = 0.0;
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
  // Set by a shock mechanism while an epidemic or disaster lasts, so others (surge capacity) can react.
  bool shock_active = false;
  int shock_start_day = -1;
};

class Simulation {
 public:
  Simulation(const Params& params, World world, std::uint64_t seed);
  ~Simulation();

  void add_mechanism(std::unique_ptr<Mechanism> m);
  void add_metric(MetricSpec spec);  // before the first step
  void step();                       // one day, all phases in order
  void run();                        // params.run.days days, then finalize
  RunSummary summary() const;

  // Sets up the day and runs one phase; step() calls these in order. Tests use them to watch a phase.
  void begin_day();
  void run_phase(Phase p);

  int day() const { return day_; }
  std::uint64_t seed() const { return seed_; }
  Params& params() { return params_; }
  const Params& params() const { return params_; }
  World& world() { return world_; }
  const World& world() const { return world_; }
  CommunityState& community(std::uint32_t c) { return communities_[c]; }
  StreetState& street(std::uint32_t s) { return streets_[s]; }
  std::vector<CaseRef>& department_queue() { return department_; }
  const Recorder& recorder() const { return recorder_; }
  const std::vector<std::string>& phase_log() const { return phase_log_; }
  void log_phases(bool on) { log_phases_ = on; }

  Levers& levers() { return levers_; }

  // For mechanisms, between phases (not from inside a parallel loop):
  // takes a queued case out of the ladder; it stays open and counts in n_open_* but at no level.
  void hold_case(std::uint32_t c, std::uint32_t id);
  // puts a held case back in the queue of the level it was taken from, workable from `available_day`.
  void return_case(std::uint32_t c, std::uint32_t id, int available_day);
  // moves a queued case to another level's queue, workable from `available_day` (routing, triage).
  void route_case(std::uint32_t c, std::uint32_t id, Level to, int available_day);
  // resolves a held case at `hour` of today.
  void resolve_held(std::uint32_t c, std::uint32_t id, double hour);
  // moves one resident's satisfaction and trust (clamped to 0..1), keeping the community's sums.
  void nudge_resident(std::uint32_t c, std::uint32_t r, double d_sat, double d_trust);
  // makes a resident aware of the big Party committee.
  void make_aware(std::uint32_t c, std::uint32_t r);

  // Raises a demand by hand (tests, mechanisms); it enters the reporting phase like any other.
  std::uint32_t raise_demand(std::uint32_t grid, std::uint32_t household_offset, DemandKind kind, Level required,
                             float size_hours, float hour);

 private:
  void phase_demand();
  void phase_reporting();
  void phase_assignment();
  void phase_handling();
  void phase_escalation();
  void phase_opinion();
  void phase_recording();
  void finalize();

  void work_grids(std::uint32_t c);
  void work_community(std::uint32_t c);
  void work_street(std::uint32_t s);
  void work_department();
  void close_case(CommunityState& cs, std::uint32_t id, Outcome outcome, float hours_done);
  void enqueue_at_grid(CommunityState& cs, std::uint32_t id, int available_day, double hour_reported);
  void adjust_opinion(std::uint32_t r, double d_sat, double d_trust, Tally& t);

  Params params_;
  Levers levers_;
  World world_;
  std::uint64_t seed_;
  int day_ = -1;
  bool started_ = false, finalized_ = false;
  std::vector<CommunityState> communities_;
  std::vector<StreetState> streets_;
  std::vector<CaseRef> department_;
  std::vector<std::unique_ptr<Mechanism>> mechanisms_;
  std::vector<MetricSpec> extra_metrics_;
  Recorder recorder_;
  // Per-worker hours for today, set in assignment and used in handling.
  std::vector<float> admin_today_, free_today_, visit_today_;
  std::vector<double> hist_;  // run-wide histogram of log10(resolution hours)
  double run_work_hours_ = 0, run_normal_hours_ = 0;
  bool log_phases_ = false;
  std::vector<std::string> phase_log_;
};

}  // namespace govsim
