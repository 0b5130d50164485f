#include "mechanisms/whistle.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>

#include "mechanisms/metric_helpers.h"
#include "model/day_api.h"

namespace govsim {

namespace {
bool is_public(const Case& k) { return k.kind == static_cast<std::uint8_t>(DemandKind::kPublic); }
}  // namespace

void Whistle::initialize(DayApi& api) {
  summons_.assign(api.world().streets.size(), {});
  const auto C = api.world().communities.size();
  public_hours_.assign(C, 0.0);
  public_resolved_.assign(C, 0.0);

  using K = MetricKind;
  MetricDeclarer md(api);
  auto add = [&md](auto&&... a) { md.add(std::forward<decltype(a)>(a)...); };
  auto total = [&md](auto&&... a) { md.total(std::forward<decltype(a)>(a)...); };
  auto flow = [this](double Flows::*f) { return [this, f](const Tally&, int) { return flows_.*f; }; };
  add("n_wr_summons_active", K::kStock, "streets", "Streets whose summoned departments are still at work", false,
      [this](const Tally&, int) {
        double n = 0;
        for (const auto& m : summons_) n += m.active ? 1 : 0;
        return n;
      });
  add("n_wr_cases_held", K::kStock, "cases", "Public affairs in the summoned teams' hands, not yet closed", false,
      [this](const Tally&, int) {
        double n = 0;
        for (const auto& m : summons_) n += static_cast<double>(m.in_hand.size());
        return n;
      });
  add("new_wr_summons", K::kFlow, "summons/day", "Whistles blown: streets summoning the departments", false,
      flow(&Flows::summons));
  add("new_wr_department_hours", K::kFlow, "staff-hours/day",
      "Department staff-hours worked at the streets on summoned cases (taken from the departments' queue)", false,
      flow(&Flows::department_hours));
  add("new_wr_cases_taken", K::kFlow, "cases/day", "Public affairs the summoned teams took out of the ladder", false,
      flow(&Flows::taken));
  add("new_wr_resolved", K::kFlow, "cases/day", "Public affairs resolved by the summoned teams", false,
      flow(&Flows::resolved));
  total("cum_wr_summons", "new_wr_summons", "summons", "Whistles blown since day 0");
  total("cum_wr_department_hours", "new_wr_department_hours", "staff-hours",
        "Department staff-hours worked on summoned cases since day 0");
  total("cum_wr_resolved", "new_wr_resolved", "cases", "Public affairs resolved by summoned teams since day 0");
  add("new_wr_public_resolved", K::kFlow, "cases/day", "Public affairs resolved today, by any level or mechanism",
      true, [this](const Tally&, int c) {
        if (c >= 0) return public_resolved_[c];
        double n = 0;
        for (double x : public_resolved_) n += x;
        return n;
      });
  add("mean_wr_public_resolution_hours", K::kMean, "h",
      "Mean hours from report to resolution, public affairs resolved today (by any level or mechanism)", true,
      [this](const Tally&, int c) {
        if (c >= 0) return public_resolved_[c] > 0 ? public_hours_[c] / public_resolved_[c] : std::nan("");
        double h = 0, n = 0;  // the district: O(communities) once, not once per community
        for (std::size_t i = 0; i < public_hours_.size(); ++i) {
          h += public_hours_[i];
          n += public_resolved_[i];
        }
        return n > 0 ? h / n : std::nan("");
      });
}

bool Whistle::listed_and_queued(const DayApi& api, const Target& t) const {
  const Case* k = api.find(t, CaseState::kQueued);
  return k && (k->level == static_cast<std::uint8_t>(Level::kStreet) ||
               k->level == static_cast<std::uint8_t>(Level::kDepartment));
}

// Per street, the public affairs of its communities queued at the street or at the departments, oldest report
// first (a case listed twice in a queue counts once).
std::vector<std::vector<Whistle::Target>> Whistle::candidates(const DayApi& api) const {
  const World& w = api.world();
  const auto S = static_cast<std::uint32_t>(w.streets.size());
  std::vector<std::vector<Target>> out(S);
  auto consider = [&](const CaseRef& r, std::uint8_t level) {
    const Case& k = api.at(r);
    if (k.state != CaseState::kQueued || k.level != level || !is_public(k)) return;
    out[w.communities.street[r.community]].push_back(api.handle(r));
  };
  for (std::uint32_t s = 0; s < S; ++s)
    for (const CaseRef& r : api.street_queue(s)) consider(r, static_cast<std::uint8_t>(Level::kStreet));
  for (const CaseRef& r : api.department_queue()) consider(r, static_cast<std::uint8_t>(Level::kDepartment));
  for (auto& v : out) {
    auto key = [&](const Target& t) {
      const Case& k = api.at(t.ref());
      return std::tuple(k.day_reported, k.hour_reported, t.community, t.id);
    };
    std::sort(v.begin(), v.end(), [&](const Target& a, const Target& b) { return key(a) < key(b); });
    v.erase(std::unique(v.begin(), v.end(),
                        [](const Target& a, const Target& b) {
                          return a.community == b.community && a.id == b.id;
                        }),
            v.end());
  }
  return out;
}

void Whistle::act(Phase phase, DayApi& api) {
  if (phase == Phase::kMechanisms) {
    // Public affairs resolved today so far (the opinion phase clears the list of closed cases next).
    const auto C = static_cast<std::uint32_t>(public_hours_.size());
    for (std::uint32_t c = 0; c < C; ++c)
      for (const ClosedEvent& e : api.closed_today(c))
        if (e.outcome == Outcome::kResolved && e.kind == static_cast<std::uint8_t>(DemandKind::kPublic)) {
          public_hours_[c] += e.hours;
          public_resolved_[c] += 1;
          run_public_hours_ += e.hours;
          run_public_resolved_ += 1;
        }
    return;
  }
  // Escalation phase: yesterday's flows have been recorded.
  flows_ = Flows{};
  std::fill(public_hours_.begin(), public_hours_.end(), 0.0);
  std::fill(public_resolved_.begin(), public_resolved_.end(), 0.0);
  auto& lv = api.levers();
  lv.department_extra_hours += charged_;  // yesterday's teams are back
  charged_ = 0;
  const auto S = summons_.size();
  // The departments' capacity today, before the teams: what the teams can take.
  double left = api.level_capacity(Level::kDepartment);
  const int day = api.day();
  const auto cand = candidates(api);
  for (std::size_t s = 0; s < S; ++s) {
    Summons& m = summons_[s];
    if (!m.active && static_cast<Int>(cand[s].size()) >= p_.threshold) {
      m.active = true;
      m.report_day = day + static_cast<std::int32_t>(p_.report_delay_days);
      m.list = cand[s];
      m.next = 0;
      m.in_hand.clear();
      flows_.summons += 1;
    }
    if (!m.active || day < m.report_day) continue;
    const double used = work(api, m, std::min<double>(p_.summoned_hours, left));
    left -= used;
    charged_ += used;
    // Listed cases the ladder closed (or another mechanism took) meanwhile are skipped.
    while (m.next < m.list.size() && !listed_and_queued(api, m.list[m.next])) ++m.next;
    if (m.in_hand.empty() && m.next == m.list.size()) {
      m.active = false;
      m.list.clear();
      m.next = 0;
    }
  }
  // The hours worked at the streets today are missing from the departments' own queue tomorrow.
  lv.department_extra_hours -= charged_;
  flows_.department_hours = charged_;
  run_summons_ += flows_.summons;
  run_hours_ += charged_;
  run_taken_ += flows_.taken;
  run_resolved_ += flows_.resolved;
}

// The team's day: first the cases already in hand, then the next listed ones, first in first out; a case is
// resolved when its work is done, at h0 + department_hours * used / hours (a team of hours / department_hours
// staff working the departments' day).
double Whistle::work(DayApi& api, Summons& m, double hours) {
  if (hours <= 0) return 0.0;
  const auto& lp = api.params().ladder;
  const double start = lp.work_start_hour, span = lp.department_hours;
  double used = 0;
  auto finish = [&](InHand& h) {  // works on h; true when done
    if (used + h.work_left <= hours) {
      api.spend_hours(Payer::kDepartment, h.t.community, h.work_left);
      used += h.work_left;
      h.work_left = 0;
      api.resolve(h.t, start + span * used / hours);
      flows_.resolved += 1;
      return true;
    }
    api.spend_hours(Payer::kDepartment, h.t.community, hours - used);
    h.work_left -= hours - used;
    used = hours;
    return false;
  };
  std::size_t keep = 0;
  for (std::size_t i = 0; i < m.in_hand.size(); ++i) {
    InHand h = m.in_hand[i];
    if (used >= hours || !finish(h)) m.in_hand[keep++] = h;
  }
  m.in_hand.resize(keep);
  while (used < hours && m.next < m.list.size()) {
    const Target t = m.list[m.next++];
    if (!listed_and_queued(api, t)) continue;
    const Case& k = *api.find(t);
    // The departments do the whole job at the street: no assessment, no transfer.
    InHand h{t, k.required <= k.level ? static_cast<double>(k.work_left) : static_cast<double>(k.size)};
    api.hold(t);
    flows_.taken += 1;
    if (!finish(h)) m.in_hand.push_back(h);
  }
  return used;
}

void Whistle::describe(AttributeSink& out) const {
  GOVSIM_WHISTLE_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.text("summary",
           "Whistle-and-report (街乡吹哨、部门报到): a street with public affairs piling up summons the departments, "
           "who work them at the street with hours taken from their own queue");
}

void Whistle::outcomes(std::vector<std::pair<std::string, double>>& out) const {
  out.emplace_back("wr_summons", run_summons_);
  out.emplace_back("wr_department_hours", run_hours_);
  out.emplace_back("wr_cases_taken", run_taken_);
  out.emplace_back("wr_resolved", run_resolved_);
  out.emplace_back("wr_public_resolved", run_public_resolved_);
  out.emplace_back("wr_mean_public_resolution_hours",
                   run_public_resolved_ > 0 ? run_public_hours_ / run_public_resolved_ : std::nan(""));
}

}  // namespace govsim
