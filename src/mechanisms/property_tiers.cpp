#include "mechanisms/property_tiers.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/rng.h"
#include "mechanisms/metric_helpers.h"
#include "model/day_api.h"

namespace govsim {

namespace {
constexpr double kDaysPerMonth = 30.0;  // a month's fee spread over 30 days (assumption)
}

PropertyTiers::PropertyTiers(const PropertyTiersParams& p) : p_(p) {
  if (p.tier == "standard")
    fixed_ = kStandard;
  else if (p.tier == "basic")
    fixed_ = kBasic;
  else if (p.tier == "guaranteed")
    fixed_ = kGuaranteed;
  else if (p.tier == "mixed")
    mixed_ = true;
  else
    throw std::invalid_argument("property_tiers.tier: '" + p.tier +
                                "' is not one of standard, basic, guaranteed, mixed");
}

double PropertyTiers::multiplier(Tier t) const {
  switch (t) {
    case kStandard: return p_.shared_multiplier_standard;
    case kBasic: return p_.shared_multiplier_basic;
    case kGuaranteed: return p_.shared_multiplier_guaranteed;
    case kNone: break;
  }
  return 1.0;
}

double PropertyTiers::fee(Tier t) const {
  switch (t) {
    case kStandard: return p_.fee_standard;
    case kBasic: return p_.fee_basic;
    case kGuaranteed: return p_.fee_guaranteed;
    case kNone: break;
  }
  return 0.0;
}

double PropertyTiers::cost_per_day() const { return std::accumulate(cost_.begin(), cost_.end(), 0.0); }

void PropertyTiers::initialize(DayApi& api) {
  const World& w = api.world();
  const auto G = w.grids.size();
  const auto C = w.communities.size();
  tier_.assign(G, kNone);
  cost_.assign(C, 0.0);
  flows_.assign(C, {});
  held_count_.assign(C, 0.0);
  // Old grids get a tier: the one named, or (mixed) one drawn per grid from stream (grid, 0, 0).
  for (std::uint32_t g = 0; g < G; ++g) {
    if (!w.grids.old_neighbourhood[g]) continue;
    Tier t = fixed_;
    if (mixed_) {
      Rng rng(api.seed(), Purpose::kProperty, g, 0, 0);
      const double u = rng.uniform();
      t = u < p_.share_standard ? kStandard : u < p_.share_standard + p_.share_basic ? kBasic : kGuaranteed;
    }
    tier_[g] = t;
    const std::uint32_t H = w.grids.first_household[g + 1] - w.grids.first_household[g];
    ++old_grids_;
    ++grids_of_[t];
    old_households_ += H;
    cost_[w.grids.community[g]] += H * fee(t) / kDaysPerMonth;
  }
  // Better service, fewer shared affairs: on top of the core's old-neighbourhood multiplier and of any other
  // mechanism's per-grid multiplier.
  auto& m = api.levers().shared_multiplier;
  if (m.empty()) m.assign(G, 1.0f);
  other_ = m;
  for (std::uint32_t g = 0; g < G; ++g)
    if (tier_[g] != kNone) m[g] = static_cast<float>(m[g] * multiplier(tier_[g]));

  using K = MetricKind;
  MetricDeclarer md(api);
  auto flow = [this](double Flows::*f) { return MetricDeclarer::flow(flows_, f); };
  auto add = [&md](auto&&... a) { md.add(std::forward<decltype(a)>(a)...); };
  auto total = [&md](auto&&... a) { md.total(std::forward<decltype(a)>(a)...); };
  add("n_pr_cases_held", K::kStock, "cases", "Shared affairs taken on by the property company, not yet resolved",
      false, [this](const Tally&, int c) {
        return c >= 0 ? held_count_[c] : std::accumulate(held_count_.begin(), held_count_.end(), 0.0);
      });
  add("new_pr_taken", K::kFlow, "cases/day", "Shared affairs at grid level in old grids taken on by the property company",
      false, flow(&Flows::taken));
  add("new_pr_resolved", K::kFlow, "cases/day", "Shared affairs resolved by the property company", true,
      flow(&Flows::resolved));
  total("cum_pr_resolved", "new_pr_resolved", "cases", "Shared affairs resolved by the property company since day 0");
  add("new_pr_prevented", K::kFlow, "demands/day", "Shared affairs in old grids prevented by the property service",
      false, flow(&Flows::prevented));
  total("cum_pr_prevented", "new_pr_prevented", "demands", "Shared affairs prevented since day 0");
  add("new_pr_cost_yuan", K::kFlow, "yuan/day", "Property service fees of the old grids' households", false,
      [this](const Tally&, int c) { return c >= 0 ? cost_[c] : cost_per_day(); });
  total("cum_pr_cost_yuan", "new_pr_cost_yuan", "yuan", "Property service fees since day 0");
}

void PropertyTiers::act(Phase phase, DayApi& api) {
  if (phase == Phase::kRecording) {  // the day's flows have been recorded
    std::fill(flows_.begin(), flows_.end(), Flows{});
    return;
  }
  // The day's fees (cost accounting, docs/ODD.md §7.20).
  for (std::uint32_t c = 0; c < cost_.size(); ++c) api.spend_yuan(CostSource::kProperty, c, cost_[c]);
  resolve_due(api);
  prevent(api);
  if (p_.red_property && p_.red_property_share > 0) take_new(api);
}

void PropertyTiers::resolve_due(DayApi& api) {
  const int day = api.day();
  std::size_t done = 0;
  for (; done < held_.size() && held_[done].due <= day; ++done) {
    const Held& h = held_[done];
    const Case* k = api.find(h.handle, CaseState::kHeld);
    const std::uint32_t c = h.handle.community;
    held_count_[c] -= 1;
    if (!k) continue;  // not ours now
    // Resolved property_days after the report, at the hour it was reported.
    api.resolve(h.handle, k->hour_reported);
    flows_[c].resolved += 1;
  }
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(done));
}

void PropertyTiers::take_new(DayApi& api) {
  const World& w = api.world();
  const int day = api.day();
  const auto C = static_cast<std::uint32_t>(w.communities.size());
  for (std::uint32_t c = 0; c < C; ++c) {
    const auto& queues = api.grid_queues(c);
    const CasePool& pool = api.cases(c);
    const std::uint32_t g0 = w.communities.first_grid[c];
    for (std::uint32_t g = g0; g < w.communities.first_grid[c + 1]; ++g) {
      if (tier_[g] == kNone) continue;
      const auto& q = queues[g - g0];
      // Today's reports are the queue's tail (appended by the reporting phase; triage may have held some).
      std::size_t start = q.size();
      while (start > 0 && pool[q[start - 1]].day_reported == day) --start;
      for (std::size_t i = start; i < q.size(); ++i) {
        const std::uint32_t id = q[i];
        const Case& k = pool[id];
        // Today's reports of shared affairs that the grid can resolve, still queued at the grid.
        if (k.state != CaseState::kQueued || k.level != static_cast<std::uint8_t>(Level::kGrid) ||
            k.day_reported != day || k.kind != static_cast<std::uint8_t>(DemandKind::kShared) ||
            k.required != static_cast<std::uint8_t>(Level::kGrid))
          continue;
        // One draw per demand (grid, day raised, seq), so common random numbers hold across arms.
        Rng rng(api.seed(), Purpose::kProperty, g, static_cast<std::uint32_t>(k.day_raised), k.seq);
        if (!rng.bernoulli(p_.red_property_share)) continue;
        const CaseHandle h = api.handle(c, id);
        held_.push_back({h, day + static_cast<std::int32_t>(p_.property_days)});
        api.hold(h);
        held_count_[c] += 1;
        flows_[c].taken += 1;
      }
    }
  }
}

void PropertyTiers::prevent(DayApi& api) {
  // The shared affairs that the tier's multiplier keeps from arising: Poisson with the difference of the rates.
  const World& w = api.world();
  const auto day = static_cast<std::uint32_t>(api.day());
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    if (tier_[g] == kNone) continue;
    const std::uint32_t h0 = w.grids.first_household[g];
    const std::uint32_t H = w.grids.first_household[g + 1] - h0;
    // The core's rate before any per-grid lever, times the other mechanisms' levers (this one's factor out).
    const double rate = api.arrival_rate(g, DemandKind::kShared, /*with_grid_lever=*/false) * other_[g] *
                        std::max(0.0, 1.0 - multiplier(tier_[g]));
    if (rate <= 0 || H == 0) continue;
    const std::uint32_t c = w.grids.community[g];
    Rng rng(api.seed(), Purpose::kProperty, g, day, 1);
    const std::uint32_t n = rng.poisson(rate);
    for (std::uint32_t i = 0; i < n; ++i) {
      // Whose affair it would have been: a household of the grid, then a resident of the household.
      const std::uint32_t h = h0 + rng.below(H);
      const std::uint32_t r0 = w.households.first_resident[h];
      const std::uint32_t r = r0 + rng.below(w.households.first_resident[h + 1] - r0);
      if (p_.prevented_satisfaction <= 0) continue;
      // Like a resolution in time (§7.8): the resident, then each network neighbour by its weight.
      api.experience_met(c, r, p_.prevented_satisfaction);
    }
    flows_[c].prevented += n;
  }
}

void PropertyTiers::finalize(DayApi& api) {
  // Satisfaction of the old neighbourhoods' residents at the end of the run (once, not every day).
  const World& w = api.world();
  const float good = static_cast<float>(api.params().opinion.good_threshold);
  double n = 0, s = 0, ng = 0;
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    if (tier_[g] == kNone) continue;
    for (std::uint32_t r = w.grid_first_resident(g); r < w.grid_end_resident(g); ++r) {
      n += 1;
      const double v = api.satisfaction(r);
      s += v;
      ng += v >= good ? 1 : 0;
    }
  }
  old_satisfaction_ = n > 0 ? s / n : std::nan("");
  old_share_good_ = n > 0 ? ng / n : std::nan("");
}

void PropertyTiers::outcomes(std::vector<std::pair<std::string, double>>& out) const {
  out.emplace_back("mean_pr_old_satisfaction_end", old_satisfaction_);
  out.emplace_back("share_pr_old_good_end", old_share_good_);
}

void PropertyTiers::describe(AttributeSink& out) const {
  GOVSIM_PROPERTY_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.number("old_grids", static_cast<double>(old_grids_));
  out.number("old_households", static_cast<double>(old_households_));
  out.number("grids_standard", static_cast<double>(grids_of_[kStandard]));
  out.number("grids_basic", static_cast<double>(grids_of_[kBasic]));
  out.number("grids_guaranteed", static_cast<double>(grids_of_[kGuaranteed]));
  out.number("cost_yuan_per_day", cost_per_day());
  out.text("summary",
           "Property service tiers and red property (红色物业): tiered service cuts old grids' shared affairs; "
           "the property company resolves part of them");
}

}  // namespace govsim
