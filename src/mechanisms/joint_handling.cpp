#include "mechanisms/joint_handling.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.h"
#include "mechanisms/metric_helpers.h"
#include "model/day_api.h"

namespace govsim {

void JointHandling::initialize(DayApi& api) {
  const World& w = api.world();
  const auto C = w.communities.size();
  const auto U = w.units.size();
  budget_left_.resize(U);
  for (std::size_t u = 0; u < U; ++u) budget_left_[u] = w.units.budget_staff_days[u] * static_cast<float>(p_.staff_day_hours);
  active_items_.assign(U, 0);
  flows_.assign(C, {});
  pending_.assign(C, {});
  open_items_.assign(C, 0);
  committee_size_.resize(C);
  units_of_.assign(C, {});
  // The committee: secretary, deputy (from the lead organ) and 7-15 members. Members from co-building units
  // are the community's linked units, topped up from other communities' units when the committee is larger.
  std::vector<std::vector<std::uint32_t>> linked(C);
  for (std::uint32_t u = 0; u < U; ++u) linked[w.units.community[u]].push_back(u);
  for (std::uint32_t c = 0; c < C; ++c) {
    Rng rng(api.seed(), Purpose::kJointHandling, c, 0, 0);
    const auto span = static_cast<std::uint32_t>(std::max<Int>(0, p_.committee_max - p_.committee_min) + 1);
    committee_size_[c] = static_cast<int>(p_.committee_min + rng.below(span));
    auto& members = units_of_[c];
    members = linked[c];
    const std::size_t want = static_cast<std::size_t>(std::max(0, committee_size_[c] - 2));
    for (int tries = 0; members.size() < want && U > members.size() && tries < 64; ++tries) {
      const std::uint32_t u = rng.below(static_cast<std::uint32_t>(U));
      if (std::find(members.begin(), members.end(), u) == members.end()) members.push_back(u);
    }
    if (members.size() > want) members.resize(want);  // committee seats are limited
  }

  using K = MetricKind;
  MetricDeclarer md(api);
  auto flow = [this](double Flows::*f) { return MetricDeclarer::flow(flows_, f); };
  auto add = [&md](auto&&... a) { md.add(std::forward<decltype(a)>(a)...); };
  auto total = [&md](auto&&... a) { md.total(std::forward<decltype(a)>(a)...); };
  add("n_jh_items_open", K::kStock, "items", "Listed hard problems assigned to units and not yet closed", true,
      [this](const Tally&, int c) {
        return c >= 0 ? open_items_[c] : std::accumulate(open_items_.begin(), open_items_.end(), 0.0);
      });
  add("n_jh_items_pending", K::kStock, "items", "Listed hard problems still waiting for a unit", false,
      [this](const Tally&, int c) {
        if (c >= 0) return static_cast<double>(pending_[c].size());
        double n = 0;
        for (const auto& q : pending_) n += static_cast<double>(q.size());
        return n;
      });
  add("new_jh_listed", K::kFlow, "items/day", "Hard problems put on a demand list at a joint meeting", false,
      flow(&Flows::listed));
  add("new_jh_assigned", K::kFlow, "items/day", "Listed problems accepted by a lead unit", false,
      flow(&Flows::assigned));
  add("new_jh_refused", K::kFlow, "items/day", "Offers of a listed problem that no unit accepted (asked again next meeting)", false,
      flow(&Flows::refused));
  add("new_jh_closed", K::kFlow, "items/day", "Listed problems closed by joint handling", true, flow(&Flows::closed));
  add("new_jh_returned", K::kFlow, "items/day",
      "Items no unit finished by ladder.abandon_days, returned to the ladder (which abandons them)", false,
      flow(&Flows::returned));
  add("new_jh_deadlines_met", K::kFlow, "items/day", "Items closed by their published deadline", false,
      flow(&Flows::met));
  add("new_jh_deadlines_missed", K::kFlow, "items/day", "Items whose published deadline passed", false,
      flow(&Flows::missed));
  add("new_jh_unit_hours", K::kFlow, "staff-hours/day", "Co-building units' staff time spent on items", false,
      flow(&Flows::unit_hours));
  total("cum_jh_closed", "new_jh_closed", "items", "Items closed by joint handling since day 0");
  total("cum_jh_deadlines_met", "new_jh_deadlines_met", "items", "Published deadlines met since day 0");
  total("cum_jh_deadlines_missed", "new_jh_deadlines_missed", "items", "Published deadlines missed since day 0");
  total("cum_jh_unit_hours", "new_jh_unit_hours", "staff-hours", "Units' staff time spent since day 0");
  add("new_jh_cadre_hours", K::kFlow, "hours/day",
      "Cadres' and leaders' hours: committee members at joint meetings, leaders on the items they lead",
      false, flow(&Flows::cadre_hours));
  total("cum_jh_cadre_hours", "new_jh_cadre_hours", "hours", "Cadres' and leaders' hours since day 0");
  add("mean_unit_engagement", K::kMean, "0-1", "Mean engagement of co-building units (of the community's committee)",
      true, [this, &api](const Tally&, int c) {
        const auto& e = api.world().units.engagement;
        if (c < 0) return e.empty() ? std::nan("") : std::accumulate(e.begin(), e.end(), 0.0) / static_cast<double>(e.size());
        const auto& m = units_of_[c];
        double s = 0;
        for (auto u : m) s += e[u];
        return m.empty() ? std::nan("") : s / static_cast<double>(m.size());
      });
}

void JointHandling::act(Phase phase, DayApi& api) {
  if (phase == Phase::kRecording) {  // the day's flows have been recorded
    std::fill(flows_.begin(), flows_.end(), Flows{});
    return;
  }
  const int day = api.day();
  const auto& units = api.world().units;
  if (day > 0 && day % 365 == 0)
    for (std::size_t u = 0; u < units.size(); ++u)
      budget_left_[u] = units.budget_staff_days[u] * static_cast<float>(p_.staff_day_hours);
  // Reciprocal projects and recognition pull engagement back up.
  const double rec = p_.recovery_rate * p_.reciprocity;
  for (auto& e : api.unit_engagement()) e = static_cast<float>(e + rec * (1.0 - e));
  if (day % p_.meeting_interval_days == p_.meeting_interval_days - 1) meeting(api);
  work(api);
}

void JointHandling::meeting(DayApi& api) {
  const World& w = api.world();
  const auto& units = w.units;
  auto& engagement = api.unit_engagement();
  const int day = api.day();
  const auto C = static_cast<std::uint32_t>(w.communities.size());
  // Each district leader leads 2-3 items per meeting across the communities linked to them.
  std::vector<int> leader_left(w.leaders.count);
  for (std::uint32_t l = 0; l < leader_left.size(); ++l) {
    Rng rng(api.seed(), Purpose::kJointHandling, l, static_cast<std::uint32_t>(day), 3);
    const auto span = static_cast<std::uint32_t>(std::max<Int>(0, p_.leader_items_max - p_.leader_items_min) + 1);
    leader_left[l] = static_cast<int>(p_.leader_items_min + rng.below(span));
  }
  std::vector<int> taken_this_meeting(units.size(), 0);
  // The demand list is compiled at the first meeting of each year's campaign ("campaign"), or at every
  // meeting ("monthly"); every meeting offers the listed problems still without a unit.
  const int year = day / 365;
  const bool listing = p_.listing == "monthly" || (day % 365 >= p_.campaign_start_day && year != last_listing_year_);
  if (listing) last_listing_year_ = year;
  for (std::uint32_t c = 0; c < C; ++c) {
    const CasePool& pool = api.cases(c);
    Rng rng(api.seed(), Purpose::kJointHandling, c, static_cast<std::uint32_t>(day), 1);
    auto& pending = pending_[c];
    // Listed problems that the ladder closed (or abandoned) meanwhile leave the list.
    pending.erase(std::remove_if(pending.begin(), pending.end(),
                                 [&](const Pending& p) { return !api.find(p.handle, CaseState::kQueued); }),
                  pending.end());
    if (listing) {
      const auto span = static_cast<std::uint32_t>(std::max<Int>(0, p_.list_max - p_.list_min) + 1);
      const auto n_list = static_cast<std::size_t>(p_.list_min + rng.below(span));
      // The community's oldest open hard problems still on the ladder and not yet listed.
      std::vector<std::uint32_t> open;
      for (std::uint32_t id = 0; id < pool.capacity(); ++id) {
        const Case& k = pool[id];
        // Only problems reported before today: a report is not workable on its own day.
        if (k.state != CaseState::kQueued || !k.hard() || k.day_reported >= day) continue;
        bool listed = false;
        for (const auto& q : pending) listed |= q.handle.id == id;
        if (!listed) open.push_back(id);
      }
      std::sort(open.begin(), open.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::pair(pool[a].day_raised, a) < std::pair(pool[b].day_raised, b);
      });
      if (open.size() > n_list) open.resize(n_list);
      for (const std::uint32_t id : open) {
        pending.push_back({api.handle(c, id), day});
        flows_[c].listed += 1;
        const auto T = api.params().run.days;
        totals_.listed += 1;
        if (day + kSixMonthsDays < T) totals_.cohort_6m += 1;
        if (day + p_.deadline_days < T) totals_.cohort_deadline += 1;
      }
    }
    // The committee meets, whatever is on its list (cost accounting only).
    const double meeting = committee_size_[c] * p_.meeting_hours;
    flows_[c].cadre_hours += meeting;
    api.spend_hours(Payer::kCadres, c, meeting);
    api.spend_yuan(CostSource::kCadres, c, meeting * api.params().cost.wage_cadre_per_hour);
    const std::int32_t leader = w.communities.leader[c];
    std::size_t keep = 0;
    for (const Pending& pq : pending) {
      const CaseHandle& q = pq.handle;
      const Case& k = *api.find(q);
      const bool led = leader >= 0 && leader_left[leader] > 0;
      // Committee units ranked by capability for this kind of problem, engagement and budget left.
      std::vector<std::uint32_t> ranked;
      for (auto u : units_of_[c])
        if (budget_left_[u] > 0 && taken_this_meeting[u] < p_.unit_items_max) ranked.push_back(u);
      auto score = [&](std::uint32_t u) { return units.capability[u * kKinds + k.kind] * units.engagement[u]; };
      std::stable_sort(ranked.begin(), ranked.end(), [&](auto a, auto b) { return score(a) > score(b); });
      Item item{q, pq.day_listed, day + static_cast<std::int32_t>(p_.deadline_days), {-1, -1, -1, -1},
                static_cast<float>(k.size * p_.work_factor), led, false};
      int taken = 0;
      const int want = 1 + static_cast<int>(p_.cohandlers);
      for (auto u : ranked) {
        if (taken == want) break;
        // Every ask is one-way until reciprocity pays it back.
        const double e = engagement[u];
        engagement[u] = static_cast<float>(std::max(0.0, e - p_.ask_cost));
        const double refuse = p_.refusal_scale * (1.0 - e) * (led ? p_.leader_refusal_factor : 1.0);
        if (rng.bernoulli(refuse)) continue;
        item.units[taken++] = static_cast<std::int32_t>(u);
      }
      if (taken == 0) {  // stays listed; the next meeting asks again
        flows_[c].refused += 1;
        pending[keep++] = pq;
        continue;
      }
      for (int i = 0; i < taken; ++i) {
        ++taken_this_meeting[item.units[i]];
        ++active_items_[item.units[i]];
      }
      if (led) {
        --leader_left[leader];
        flows_[c].cadre_hours += p_.leader_hours_per_item;
        api.spend_hours(Payer::kCadres, c, p_.leader_hours_per_item);
        api.spend_yuan(CostSource::kCadres, c,
                       p_.leader_hours_per_item * api.params().cost.wage_cadre_per_hour);
      }
      api.hold(q);
      items_.push_back(item);
      flows_[c].assigned += 1;
      open_items_[c] += 1;
    }
    pending.resize(keep);
  }
}

void JointHandling::work(DayApi& api) {
  const auto& units = api.world().units;
  auto& engagement = api.unit_engagement();
  const int day = api.day();
  const int doy = day % 365;
  const bool campaign =
      ((doy - static_cast<int>(p_.campaign_start_day)) % 365 + 365) % 365 < static_cast<int>(p_.campaign_days);
  // Each unit's staff time today, shared equally among its open items.
  std::vector<double> share(units.size(), 0.0);
  for (std::size_t u = 0; u < units.size(); ++u) {
    if (active_items_[u] == 0) continue;
    double h = units.budget_staff_days[u] * p_.staff_day_hours / 365.0 * (campaign ? p_.campaign_multiplier : 1.0) *
               units.engagement[u];
    h = std::min<double>(h, std::max(0.0f, budget_left_[u]));
    share[u] = h / active_items_[u];
  }
  const double start = api.params().ladder.work_start_hour;
  std::size_t keep = 0;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    Item it = items_[i];
    // An item no unit has finished by the ladder's abandonment age goes back to the ladder, which abandons it
    // (units with no engagement or budget left would otherwise hold it for ever).
    const std::uint32_t c = it.handle.community;
    if (day - api.find(it.handle)->day_reported >= api.params().ladder.abandon_days) {
      api.give_back(it.handle, day);
      open_items_[c] -= 1;
      flows_[c].returned += 1;
      for (int j = 0; j < 4 && it.units[j] >= 0; ++j) --active_items_[static_cast<std::uint32_t>(it.units[j])];
      continue;
    }
    double hours = 0;
    for (int j = 0; j < 4 && it.units[j] >= 0; ++j) {
      const auto u = static_cast<std::uint32_t>(it.units[j]);
      hours += share[u];
      budget_left_[u] -= static_cast<float>(share[u]);
    }
    flows_[c].unit_hours += hours;
    api.spend_hours(Payer::kUnits, c, hours);
    api.spend_yuan(CostSource::kCoBuilding, c, hours * api.params().cost.wage_unit_per_hour);
    const double before = it.work_left;
    it.work_left = static_cast<float>(before - hours);
    // A deadline passes at the end of its day; a missed one is published once, even if the item closes now.
    if (day > it.deadline && !it.missed) {
      it.missed = true;
      flows_[c].missed += 1;
      publicise(api, c, false, it.handle.id);
    }
    if (it.work_left <= 0) {
      // Closed during the working day, in proportion to the time it needed.
      api.resolve(it.handle, start + p_.staff_day_hours * (hours > 0 ? before / hours : 1.0));
      flows_[c].closed += 1;
      open_items_[c] -= 1;
      const auto T = api.params().run.days;
      totals_.closed += 1;
      if (it.day_listed + kSixMonthsDays < T && day - it.day_listed <= kSixMonthsDays) totals_.closed_6m += 1;
      if (it.day_listed + p_.deadline_days < T && !it.missed) totals_.closed_by_deadline += 1;
      for (int j = 0; j < 4 && it.units[j] >= 0; ++j) {
        const auto u = static_cast<std::uint32_t>(it.units[j]);
        --active_items_[u];
        engagement[u] = static_cast<float>(std::min(1.0, engagement[u] + p_.recognition_gain));
      }
      if (!it.missed) {
        flows_[c].met += 1;
        publicise(api, c, true, it.handle.id);
      }
      continue;
    }
    items_[keep++] = it;
  }
  items_.resize(keep);
}

void JointHandling::publicise(DayApi& api, std::uint32_t c, bool met, std::uint32_t salt) {
  const World& w = api.world();
  const std::uint32_t r0 = w.community_first_resident(c);
  const std::uint32_t n = w.community_end_resident(c) - r0;
  const auto hearers = static_cast<std::uint32_t>(std::lround(p_.publicity_reach * n));
  Rng rng(api.seed(), Purpose::kJointHandling, c, static_cast<std::uint32_t>(api.day()), 16 + salt);
  for (std::uint32_t i = 0; i < hearers; ++i) {
    const std::uint32_t r = r0 + rng.below(n);
    const double s = api.satisfaction(r), t = api.trust(r);
    if (met) {
      api.change_opinion(c, r, p_.satisfaction_gain_met * (1.0 - s), p_.trust_gain_met * (1.0 - t));
      api.make_aware(c, r);
    } else {
      api.change_opinion(c, r, -p_.satisfaction_loss_missed * s, -p_.trust_loss_missed * t);
    }
  }
}

void JointHandling::finalize(DayApi&) {}

void JointHandling::outcomes(std::vector<std::pair<std::string, double>>& out) const {
  auto share = [](double a, double b) { return b > 0 ? a / b : std::nan(""); };
  out.emplace_back("jh_listed", totals_.listed);
  out.emplace_back("jh_closed", totals_.closed);
  out.emplace_back("jh_share_closed_6m", share(totals_.closed_6m, totals_.cohort_6m));
  out.emplace_back("jh_share_closed_by_deadline", share(totals_.closed_by_deadline, totals_.cohort_deadline));
}

void JointHandling::describe(AttributeSink& out) const {
  GOVSIM_JOINT_PARAMS(GOVSIM_DESCRIBE_FIELD)
  double mean = 0;
  for (int s : committee_size_) mean += s;
  out.number("mean_committee_size", committee_size_.empty() ? 0.0 : mean / static_cast<double>(committee_size_.size()));
  out.text("summary",
           "Joint handling of hard problems (难题联办): a demand list per community (listing), meetings every "
           "meeting_interval_days assign, follow and re-offer its problems");
}

}  // namespace govsim
