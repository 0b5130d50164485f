// The bookkeeping every verb shares, written once: enqueueing, closing, holding, returning and routing a
// case, and changing a resident's opinion or awareness, each keeping its community's tallies. The core's
// phases and the mechanisms' verbs (DayApi) both come here.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/opinion.h"
#include "model/state.h"

namespace govsim {

class Ledger {
 public:
  explicit Ledger(CoreState& s) : s_(s) {}

  // A reported demand joins its grid's queue, workable from `available_day`, and today's list of reports.
  void enqueue_at_grid(CommunityState& cs, std::uint32_t id, int available_day, double hour_reported);
  // Closes a case at `hour_done` of today; the opinion phase reaches its resident, the slot is recycled
  // later.
  void close_case(CommunityState& cs, std::uint32_t id, Outcome outcome, float hour_done);
  // Takes a queued case out of the ladder; it stays open and counts in n_open_* but at no level.
  void hold(std::uint32_t c, std::uint32_t id);
  // Puts a held case back in the queue of the level it was taken from, workable from `available_day`.
  void give_back(std::uint32_t c, std::uint32_t id, int available_day);
  // Moves a queued case to another level's queue, workable from `available_day`.
  void route(std::uint32_t c, std::uint32_t id, Level to, int available_day);
  // Resolves a held case at `hour` of today.
  void resolve_held(std::uint32_t c, std::uint32_t id, double hour);

  // --- opinion (model/opinion.h): values are read and set as of today, relaxation applied in closed form
  Relaxation relaxation() const {
    const double m = s_.params.opinion.memory_days;
    const double rate = m > 0 ? 1.0 / m : 0.0;
    if (rate == decay_rate_) return Relaxation{rate, decay_.data(), static_cast<std::int32_t>(decay_.size())};
    return Relaxation{rate};
  }
  // Tabulates the relaxation's daily decay for the run's days (called once, before the first day): most of
  // the opinion phase's exponentials.
  void start();
  // A resident's record: one cache line (32 bytes, aligned to 32).
  void prefetch_resident(std::uint32_t r) const { __builtin_prefetch(&s_.world.residents[r]); }
  // Starts loading what an experience of resident r reads, so that the misses of several events overlap.
  // Links in the records: stage 0 r's record, stage 1 the neighbours' records (stage 2 has nothing left).
  // Links in the matrix: stage 0 r's record and list offset, stage 1 r's list, stage 2 the neighbours'
  // records.
  void prefetch_experience(std::uint32_t r, int stage) const {
    const auto& w = s_.world;
    const auto& net = w.neighbours;
    if (w.links_inline) {
      if (stage == 0) {
        prefetch_resident(r);
      } else if (stage == 1) {
        for (const std::int16_t off : w.residents[r].link)
          if (off != 0) prefetch_resident(static_cast<std::uint32_t>(static_cast<std::int64_t>(r) + off));
      }
    } else if (stage == 0) {
      prefetch_resident(r);
      __builtin_prefetch(net.outerIndexPtr() + r);
    } else if (!net.isCompressed()) {
      return;
    } else if (stage == 1) {
      __builtin_prefetch(net.innerIndexPtr() + net.outerIndexPtr()[r]);
    } else {
      const std::int32_t* inner = net.innerIndexPtr();
      for (std::int32_t p = net.outerIndexPtr()[r], end = net.outerIndexPtr()[r + 1]; p < end; ++p)
        prefetch_resident(static_cast<std::uint32_t>(inner[p]));
    }
  }
  // In a loop at event i of n whose event j is resident_of(j)'s experience: the three stages 8, 4 and 2
  // events ahead.
  template <class ResidentOf>
  void prefetch_experiences_ahead(std::size_t i, std::size_t n, ResidentOf resident_of) const {
    if (i + 8 < n) prefetch_experience(resident_of(i + 8), 0);
    if (i + 4 < n) prefetch_experience(resident_of(i + 4), 1);
    if (i + 2 < n) prefetch_experience(resident_of(i + 2), 2);
  }
  // Before such a loop: the stages its first events get from no earlier event. A community has a few events
  // a day, so most loops are shorter than 8 and were left without their residents' records fetched.
  template <class ResidentOf>
  void prefetch_experiences_first(std::size_t n, ResidentOf resident_of) const {
    for (std::size_t j = 0; j < std::min<std::size_t>(n, 8); ++j) prefetch_experience(resident_of(j), 0);
    for (std::size_t j = 0; j < std::min<std::size_t>(n, 4); ++j) prefetch_experience(resident_of(j), 1);
    for (std::size_t j = 0; j < std::min<std::size_t>(n, 2); ++j) prefetch_experience(resident_of(j), 2);
  }
  // A resident's satisfaction and trust today.
  double satisfaction(std::uint32_t r) const {
    const auto& res = s_.world.residents;
    return relaxation().value(res[r].satisfaction, res[r].rest_satisfaction, s_.day - res[r].touched);
  }
  // Both at once (one relaxation factor): {satisfaction, trust}.
  std::pair<double, double> opinion(std::uint32_t r) const {
    const auto& rs = s_.world.residents[r];
    const Relaxation rx = relaxation();
    const std::int32_t since = s_.day - rs.touched;
    const double f = rx.factor(since);
    return {rx.value(rs.satisfaction, rs.rest_satisfaction, since, f),
            rx.value(rs.trust, rs.rest_trust, since, f)};
  }
  double trust(std::uint32_t r) const {
    const auto& res = s_.world.residents;
    return relaxation().value(res[r].trust, res[r].rest_trust, s_.day - res[r].touched);
  }
  // Moves one resident's satisfaction and trust (clamped to 0..1), keeping the community's sums, its good
  // count and committee rating, and their calendars. Returns the changes made (after clamping).
  std::pair<double, double> adjust_opinion(CommunityState& cs, std::uint32_t r, double d_sat, double d_trust);
  // An experience d of resident r: r's satisfaction moves by d and trust by trust_coupling * d; each
  // neighbour's by its link weight times that; `each_neighbour(j)` runs after neighbour j's change.
  template <class F>
  void experience(CommunityState& cs, std::uint32_t r, double d, F each_neighbour) {
    const double coupling = s_.params.opinion.trust_coupling;
    adjust_opinion(cs, r, d, coupling * d);
    s_.world.for_each_neighbour(r, [&](std::uint32_t j, float weight) {
      const double wd = static_cast<double>(weight) * d;
      adjust_opinion(cs, j, wd, coupling * wd);
      each_neighbour(j);
    });
  }
  // Makes a resident aware of the big Party committee (who then rates its work by their trust).
  void make_aware(CommunityState& cs, std::uint32_t r);
  // A resident moves out and a newcomer like them moves in: unaware of the committee, opinions at rest.
  void replace_resident(CommunityState& cs, std::uint32_t r);
  // A resident no longer knows of the big Party committee (and so no longer rates it).
  void forget_committee(CommunityState& cs, std::uint32_t r);
  // Satisfaction lost to a problem open from age a0 to a1 days: 1 - exp(-open_cost), a share of satisfaction.
  double open_loss(int kind, double a0_days, double a1_days) const {
    return 1.0 - std::exp(-open_cost(kind, a0_days, a1_days));
  }
  // Start of a day for a community's opinion stocks: crossings due today, sums relaxed by one day.
  void begin_opinion_day(CommunityState& cs);
  // Satisfaction a problem costs while open, integrated over its age from a0 to a1 days (rate
  // opinion.open_cost_per_day, growing from 0 at the expected time to full at twice it).
  double open_cost(int kind, double a0_days, double a1_days) const;

  // Expected arrivals of a kind of demand in grid g today (the demand phase's Poisson mean).
  double arrival_rate(std::uint32_t g, int kind, bool with_grid_lever) const {
    const auto& q = s_.params.demand;
    const double per_year[kKinds] = {q.household_rate, q.shared_rate, q.public_rate};
    const std::uint32_t H = s_.world.grids.first_household[g + 1] - s_.world.grids.first_household[g];
    double lambda = per_year[kind] / 365.0 * H * s_.levers.demand_multiplier[kind] *
                    s_.world.communities.demand_factor_of(s_.world.grids.community[g], kind);
    if (kind == static_cast<int>(DemandKind::kShared)) {
      if (s_.world.grids.old_neighbourhood[g]) lambda *= q.old_shared_multiplier;
      if (with_grid_lever && !s_.levers.shared_multiplier.empty()) lambda *= s_.levers.shared_multiplier[g];
    }
    return lambda;
  }
  // Days a case passed up to `to` waits before that level can work it.
  int transfer_delay(Level to) const;
  // Staff-hours a level above the grid works today (the community's, a street's, the departments').
  double level_capacity(Level level, std::uint32_t community) const;

  // --- cost accounting (docs/ODD.md §7.20)
  // Staff-hours `who` spent today on work, into tally t; and money spent today. Money is for hours on duty,
  // whether or not work fills them (the ladder's staff, social workers, members' offered hours), so the two
  // are recorded apart.
  void spend_hours(Tally& t, Payer who, double hours) const { t.hours[static_cast<int>(who)] += hours; }
  void spend_yuan(Tally& t, CostSource source, double yuan) const {
    t.yuan[static_cast<int>(source)] += yuan;
  }

 private:
  // Adds (+1) or removes (-1) an aware resident's trust in the committee rating and its calendar.
  void count_in_committee_rating(CommunityState& cs, std::uint32_t r, int sign);

  CoreState& s_;
  std::vector<double> decay_;  // decay_[n] = exp(-decay_rate_ * n)
  double decay_rate_ = -1.0;
};

}  // namespace govsim
