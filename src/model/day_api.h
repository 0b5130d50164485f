// What a mechanism may see and do, and nothing more (as FLAME GPU 2's HostAPI is a host function's whole
// world): read-only views of the world, the queues and the day's tallies; verbs for cases (enqueue, hold,
// give back, route, resolve) through generation-checked handles; verbs for residents (change opinion, make
// aware, spread an experience to neighbours); the core's own formulas (arrival rates, transfer delays,
// level capacities), so no mechanism re-derives them; the levers and the day's conditions; and metric
// declarations. Every verb keeps the core's bookkeeping (model/ledger.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "core/world.h"
#include "model/cases.h"
#include "model/ledger.h"
#include "model/levers.h"
#include "model/metrics.h"
#include "model/state.h"
#include "params/params.h"

namespace govsim {

class DayApi {
 public:
  DayApi(CoreState& s, Ledger& ledger, std::vector<MetricSpec>& metrics, const bool& started)
      : s_(s), ledger_(ledger), metrics_(metrics), started_(started) {}

  // --- the day and the run
  int day() const { return s_.day; }
  std::uint64_t seed() const { return s_.seed; }
  const Params& params() const { return s_.params; }
  const World& world() const { return s_.world; }

  // --- what mechanisms set for the core, and tell each other
  Levers& levers() { return s_.levers; }
  DayConditions& conditions() { return s_.conditions; }

  // --- read-only views of the queues and the day
  const CasePool& cases(std::uint32_t c) const { return s_.communities[c].pool; }
  const Case& at(const CaseRef& r) const { return s_.communities[r.community].pool[r.id]; }
  // The community's grid queues (one per grid of the community, FIFO), and its own queue.
  const std::vector<std::vector<std::uint32_t>>& grid_queues(std::uint32_t c) const {
    return s_.communities[c].grid_queue;
  }
  // Cases that joined a grid queue as new reports today, in the order they joined: the reporting phase's,
  // then (after the handling phase) the demands found on visits. Ids only: check each case's state.
  const std::vector<std::uint32_t>& reported_today(std::uint32_t c) const {
    return s_.communities[c].reported_today;
  }
  // The community level's own queue (FIFO): ids into the community's pool; check each case's state and level.
  const std::vector<std::uint32_t>& community_queue(std::uint32_t c) const { return s_.communities[c].queue; }
  const std::vector<CaseRef>& street_queue(std::uint32_t s) const { return s_.streets[s].queue; }
  const std::vector<CaseRef>& department_queue() const { return s_.department; }
  // Demands closed today (any outcome, any level), until the opinion phase has reached their residents.
  const std::vector<ClosedEvent>& closed_today(std::uint32_t c) const { return s_.communities[c].closed; }
  // The community's tally: today's flows so far and its stocks.
  const Tally& tally(std::uint32_t c) const { return s_.communities[c].tally; }

  // --- cases, through handles
  CaseHandle handle(std::uint32_t c, std::uint32_t id) const {
    return {c, id, s_.communities[c].pool.generation(id)};
  }
  CaseHandle handle(const CaseRef& r) const { return handle(r.community, r.id); }
  // The handle's case, or nullptr if it has closed and its slot was recycled since the handle was taken.
  const Case* find(const CaseHandle& h) const {
    return s_.communities[h.community].pool.find(h.id, h.generation);
  }
  // The handle's case if it still occupies its slot and is in `state` (e.g. still held by the caller).
  const Case* find(const CaseHandle& h, CaseState state) const {
    return s_.communities[h.community].pool.find(h.id, h.generation, state);
  }
  // Raises a demand in household `household_offset` of grid g; it enters the reporting phase like any other.
  std::uint32_t raise_demand(std::uint32_t g, std::uint32_t household_offset, DemandKind kind, Level required,
                             float size_hours, float hour);
  // Takes a queued case out of the ladder (it stays open, at no level).
  void hold(const CaseHandle& h) { ledger_.hold(h.community, live(h)); }
  // Puts a held case back in its level's queue, workable from `available_day`.
  void give_back(const CaseHandle& h, int available_day) {
    ledger_.give_back(h.community, live(h), available_day);
  }
  // Moves a queued case to another level's queue, workable from `available_day`.
  void route(const CaseHandle& h, Level to, int available_day) {
    ledger_.route(h.community, live(h), to, available_day);
  }
  // Resolves a held case at `hour` of today.
  void resolve(const CaseHandle& h, double hour) { ledger_.resolve_held(h.community, live(h), hour); }

  // --- residents (community c is the resident's, whose tallies change)
  // A resident's satisfaction and trust today (stored values relax between touches: model/opinion.h).
  double satisfaction(std::uint32_t r) const { return ledger_.satisfaction(r); }
  double trust(std::uint32_t r) const { return ledger_.trust(r); }
  void change_opinion(std::uint32_t c, std::uint32_t r, double d_sat, double d_trust) {
    ledger_.adjust_opinion(s_.communities[c], r, d_sat, d_trust);
  }
  void make_aware(std::uint32_t c, std::uint32_t r) { ledger_.make_aware(s_.communities[c], r); }
  // An experience as good as a demand resolved in time, `multiple` times over, by the core's opinion rule:
  // the resident's satisfaction and trust move, and the experience passes to the network neighbours.
  void experience_met(std::uint32_t c, std::uint32_t r, double multiple);

  // --- grid workers and co-building units
  // Adds hours of administrative tasks to a worker's backlog (the assignment phase works them first).
  // Safe to call for distinct workers from a parallel loop.
  void add_task_hours(std::uint32_t w, double hours) {
    s_.world.workers.admin_backlog[w] += static_cast<float>(hours);
  }
  // Takes up to `hours` of a worker's waiting administrative tasks off them (others do them); returns the
  // hours taken. Safe for distinct workers from a parallel loop.
  double take_task_hours(std::uint32_t w, double hours) {
    auto& b = s_.world.workers.admin_backlog[w];
    const double taken = std::clamp(hours, 0.0, static_cast<double>(b));
    b = static_cast<float>(b - taken);
    return taken;
  }
  bool in_post(std::uint32_t w) const { return s_.world.workers.vacant_until[w] < 0; }
  // Co-building units' engagement (0..1), which the mechanisms that ask units for help move.
  std::vector<float>& unit_engagement() { return s_.world.units.engagement; }

  // --- cost accounting (docs/ODD.md §7.20): staff-hours the people a mechanism brings (or a ladder level's
  // staff working for it) spent today on community c's cases, and money the mechanism spent there today.
  // Safe for distinct communities from a parallel loop.
  void spend_hours(Payer who, std::uint32_t c, double hours) {
    ledger_.spend_hours(s_.communities[c].tally, who, hours);
  }
  void spend_yuan(CostSource source, std::uint32_t c, double yuan) {
    ledger_.spend_yuan(s_.communities[c].tally, source, yuan);
  }

  // --- the core's formulas
  // Expected arrivals of a kind of demand in grid g today: the grid's households times the kind's daily rate
  // and multipliers; with or without the per-grid shared-affair lever.
  double arrival_rate(std::uint32_t g, DemandKind kind, bool with_grid_lever = true) const;
  int transfer_delay(Level to) const { return ledger_.transfer_delay(to); }
  // The share of a resident's chance of taking part (a council, volunteering) that their workload leaves:
  // 1 - workload_<band> * (1 - digital propensity * lever digital_participation). Multiplies the mechanism's
  // own chance (e.g. participation propensity for a council).
  double time_to_take_part(std::uint32_t r) const {
    const auto& o = s_.params.opinion;
    const double load[kAgeBands] = {o.workload_young, o.workload_working, o.workload_elderly};
    const double digital = s_.world.residents[r].digital / 255.0;
    return 1.0 - load[s_.world.residents[r].age] * (1.0 - digital * s_.levers.digital_participation);
  }
  double level_capacity(Level level, std::uint32_t community = 0) const {
    return ledger_.level_capacity(level, community);
  }

  // --- recording: a mechanism's own metrics, declared in initialize
  void add_metric(MetricSpec spec) {
    if (started_) throw std::logic_error("metrics must be added before the first day");
    metrics_.push_back(std::move(spec));
  }

 private:
  std::uint32_t live(const CaseHandle& h) const {
    if (!find(h)) throw std::logic_error("case handle of a closed case whose slot was reused");
    return h.id;
  }
  CoreState& s_;
  Ledger& ledger_;
  std::vector<MetricSpec>& metrics_;
  const bool& started_;
};

}  // namespace govsim
