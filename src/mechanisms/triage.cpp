#include "mechanisms/triage.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>

#include "core/rng.h"
#include "mechanisms/metric_helpers.h"
#include "model/day_api.h"

namespace govsim {

namespace {
// Sub-stream of a council's quorum draw; never a case's arrival number (those are below 2^26 or at least
// 2^31).
constexpr std::uint32_t kQuorumStream = 0x40000000u;
}  // namespace

Triage::Triage(const TriageParams& p) : p_(p) {
  if (p.public_scope == "all")
    public_all_ = true;
  else if (p.public_scope == "hard")
    public_all_ = false;
  else
    throw std::invalid_argument("triage.public_scope: '" + p.public_scope + "' is not one of all, hard");
}

Triage::Channel Triage::channel_of(std::uint8_t kind, std::uint8_t required) const {
  switch (static_cast<DemandKind>(kind)) {
    case DemandKind::kHousehold:
      return required == static_cast<std::uint8_t>(Level::kGrid) ? kResidents : kNone;
    case DemandKind::kShared:
      return kCouncil;
    case DemandKind::kPublic:
      return public_all_ || required >= static_cast<std::uint8_t>(Level::kStreet) ? kGovernment : kNone;
  }
  return kNone;
}

void Triage::initialize(DayApi& api) {
  const World& w = api.world();
  const auto C = w.communities.size();
  participation_.assign(C, 0.0);
  for (std::uint32_t c = 0; c < C; ++c) {
    const std::uint32_t r0 = w.community_first_resident(c), r1 = w.community_end_resident(c);
    double s = 0;
    for (std::uint32_t r = r0; r < r1; ++r) s += w.residents[r].participation / 255.0;
    participation_[c] = r1 > r0 ? s / static_cast<double>(r1 - r0) : 0.0;
  }
  with_residents_.assign(C, {});
  on_agenda_.assign(C, {});
  misrouted_.assign(C, {});
  flows_.assign(C, {});
  sorted_.assign(C, 0);
  to_government_.assign(C, {});

  using K = MetricKind;
  MetricDeclarer md(api);
  auto flow = [this](double Flows::*f) { return MetricDeclarer::flow(flows_, f); };
  auto add = [&md](auto&&... a) { md.add(std::forward<decltype(a)>(a)...); };
  auto total = [&md](auto&&... a) { md.total(std::forward<decltype(a)>(a)...); };
  auto held = [](const std::vector<std::vector<Held>>& v) {
    return [&v](const Tally&, int c) {
      if (c >= 0) return static_cast<double>(v[c].size());
      double n = 0;
      for (const auto& q : v) n += static_cast<double>(q.size());
      return n;
    };
  };
  add("n_tr_with_residents", K::kStock, "cases", "Household affairs held by residents and members", false,
      held(with_residents_));
  add("n_tr_on_agenda", K::kStock, "cases", "Shared affairs waiting for a consultation council", true,
      held(on_agenda_));
  add("n_tr_misrouted", K::kStock, "cases", "Misrouted cases in a wrong channel, not yet in their right one",
      false, held(misrouted_));
  add("new_tr_triaged", K::kFlow, "cases/day", "Reports sorted into a channel (misrouted included)", false,
      flow(&Flows::triaged));
  add("new_tr_to_residents", K::kFlow, "cases/day",
      "Household affairs entering the residents' channel (misrouted ones after their delay)", false,
      flow(&Flows::residents));
  add("new_tr_to_council", K::kFlow, "cases/day",
      "Shared affairs put on a council's agenda (misrouted ones after their delay)", false,
      flow(&Flows::council));
  add("new_tr_to_government", K::kFlow, "cases/day",
      "Public affairs routed straight to the street or a department (misrouted ones after their delay)",
      false, flow(&Flows::government));
  add("new_tr_misrouted", K::kFlow, "cases/day", "Reports sent to a wrong channel first", false,
      flow(&Flows::misrouted));
  add("new_tr_misroute_redirected", K::kFlow, "cases/day",
      "Misrouted cases entering their right channel after the delay", false,
      flow(&Flows::misroute_redirected));
  add("new_tr_self_resolved", K::kFlow, "cases/day", "Household affairs settled by residents and members",
      true, flow(&Flows::self_resolved));
  add("new_tr_self_returned", K::kFlow, "cases/day", "Household affairs handed back to the grid queue", false,
      flow(&Flows::self_returned));
  add("new_tr_council_meetings", K::kFlow, "meetings/day",
      "Consultation council meetings held (quorum reached)", false, flow(&Flows::meetings));
  add("new_tr_council_no_quorum", K::kFlow, "meetings/day",
      "Council meetings that failed for want of a quorum", false, flow(&Flows::meetings_failed));
  add("new_tr_settled", K::kFlow, "cases/day", "Shared affairs settled at a council meeting", true,
      flow(&Flows::settled));
  add("new_tr_council_returned", K::kFlow, "cases/day",
      "Shared affairs a council meeting sent to the community level", false, flow(&Flows::council_returned));
  // Participation by age band (seed 004: those who take part are mostly a few elderly residents).
  add("new_tr_council_participants_young", K::kFlow, "residents/day",
      "Young residents attending council meetings held today", false, flow(&Flows::participants_young));
  add("new_tr_council_participants_working", K::kFlow, "residents/day",
      "Working-age residents attending council meetings held today", false,
      flow(&Flows::participants_working));
  add("new_tr_council_participants_elderly", K::kFlow, "residents/day",
      "Elderly residents attending council meetings held today", false, flow(&Flows::participants_elderly));
  total("cum_tr_triaged", "new_tr_triaged", "cases", "Reports triaged since day 0");
  total("cum_tr_misrouted", "new_tr_misrouted", "cases", "Reports misrouted since day 0");
  total("cum_tr_self_resolved", "new_tr_self_resolved", "cases",
        "Household affairs settled by residents since day 0");
  total("cum_tr_council_meetings", "new_tr_council_meetings", "meetings",
        "Council meetings held since day 0");
  total("cum_tr_settled", "new_tr_settled", "cases", "Shared affairs settled by councils since day 0");
}

void Triage::act(Phase phase, DayApi& api) {
  const auto C = static_cast<std::int64_t>(api.world().communities.size());
  // Each community's channels touch only its own cases and queues, so communities run in parallel; what
  // goes to the shared street and department queues waits for route_to_government, in community order.
  if (phase == Phase::kReporting) {
    std::fill(flows_.begin(), flows_.end(), Flows{});  // yesterday's flows have been recorded
    std::fill(sorted_.begin(), sorted_.end(), 0);      // the core has started today's list of reports
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t ci = 0; ci < C; ++ci) {
      const auto c = static_cast<std::uint32_t>(ci);
      sort_reports(api, c);
      come_back(api, c);
      council(api, c);
    }
    route_to_government(api);
    return;
  }
  // Handling: the demands today's visits found are reports too; they are workable from tomorrow, like the
  // reporting phase's.
#pragma omp parallel for schedule(dynamic, 16)
  for (std::int64_t ci = 0; ci < C; ++ci) sort_reports(api, static_cast<std::uint32_t>(ci));
  route_to_government(api);
  // The last act of the day: today's flows are complete.
  for (const auto& f : flows_) {
    totals_.triaged += f.triaged;
    totals_.misrouted += f.misrouted;
    totals_.self_resolved += f.self_resolved;
    totals_.self_returned += f.self_returned;
    totals_.meetings += f.meetings;
    totals_.meetings_failed += f.meetings_failed;
    totals_.settled += f.settled;
    totals_.council_returned += f.council_returned;
    for (int i = 0; i < 3; ++i) totals_.misrouted_to[i] += f.misrouted_to[i];
  }
}

// Today's reports not yet sorted (in the order they reached the grid) go to their channel, or by mistake to
// another. Each report is on the list once, so no case is sorted twice.
void Triage::sort_reports(DayApi& api, std::uint32_t c) {
  const CasePool& pool = api.cases(c);
  const int day = api.day();
  auto& f = flows_[c];
  const auto& reported = api.reported_today(c);
  // Holding and routing leave the grid queues as they are (the next sweep drops the entries).
  // Each case is a cache miss: start them eight ahead (the first eight before the loop).
  for (std::size_t i = sorted_[c]; i < std::min<std::size_t>(reported.size(), sorted_[c] + 8); ++i)
    pool.prefetch(reported[i]);
  for (std::size_t i = sorted_[c]; i < reported.size(); ++i) {
    if (i + 8 < reported.size()) pool.prefetch(reported[i + 8]);
    const std::uint32_t id = reported[i];
    const Case& k = pool[id];
    // Taken by a mechanism acting before triage (red property, in the reporting phase) or closed since.
    if (k.state != CaseState::kQueued || k.level != static_cast<std::uint8_t>(Level::kGrid) ||
        k.day_reported != day)
      continue;
    const Channel right = channel_of(k.kind, k.required);
    if (right == kNone) continue;  // household affairs beyond the grid's remit stay on the ladder
    // The case's own stream: three draws, always, so each case's fate is fixed by its identity.
    Rng rng(api.seed(), Purpose::kTriage, k.grid, static_cast<std::uint32_t>(k.day_raised), k.seq);
    const double u_mis = rng.uniform(), u_which = rng.uniform(), u_ok = rng.uniform();
    f.triaged += 1;
    // Whether it settles is fixed now, whichever way it reaches its channel.
    const bool success =
        right == kResidents ? u_ok < p_.self_success : right == kCouncil && u_ok < p_.settle_share;
    Held h{api.handle(c, id), day, success, right};
    if (u_mis < p_.misroute_rate) {
      // One of the two wrong channels (which one only matters for the record: each bounces it on to the right
      // one after the same delay).
      const int wrong = (right + 1 + (u_which < 0.5 ? 0 : 1)) % 3;
      f.misrouted_to[wrong] += 1;
      f.misrouted += 1;
      if (p_.misroute_delay_days > 0) {
        h.due = day + static_cast<std::int32_t>(p_.misroute_delay_days);
        api.hold(h.handle);
        misrouted_[c].push_back(h);
        continue;
      }
      f.misroute_redirected += 1;  // bounced on the spot
    }
    enter(api, c, h, false);
  }
  sorted_[c] = reported.size();
}

// Into the right channel on day t, as a case sorted correctly on day t: residents until t + self_days, the
// agenda of the first meeting after t, or the street (department) after the street's transfer delay.
void Triage::enter(DayApi& api, std::uint32_t c, Held h, bool held) {
  const int day = api.day();
  auto& f = flows_[c];
  switch (h.right) {
    case kResidents:
      if (!held) api.hold(h.handle);
      h.due = day + static_cast<std::int32_t>(p_.self_days);
      with_residents_[c].push_back(h);
      f.residents += 1;
      break;
    case kCouncil:
      if (!held) api.hold(h.handle);
      h.due = day;
      on_agenda_[c].push_back(h);
      f.council += 1;
      break;
    case kGovernment:
      to_government_[c].push_back({h.handle, held});
      f.government += 1;
      break;
    case kNone:
      break;
  }
}

// Straight to the street, after its transfer delay (at least a day); a department's affair skips the street's
// assessment too. In community order and, within a community, in the order the cases were entered, as if each
// had been routed when it was entered: the routing moves no other case of the community.
void Triage::route_to_government(DayApi& api) {
  const int from = api.day() + std::max(1, api.transfer_delay(Level::kStreet));
  for (auto& list : to_government_) {
    for (const ToGovernment& g : list) {
      if (g.held) api.give_back(g.handle, from);  // into the grid queue it was taken from, then routed on
      const bool dept = api.find(g.handle)->required == static_cast<std::uint8_t>(Level::kDepartment);
      api.route(g.handle, dept ? Level::kDepartment : Level::kStreet, from);
    }
    list.clear();
  }
}

// Misrouted cases due enter their right channel; household affairs the residents could not settle come back
// to the grid queue, settled ones are resolved.
void Triage::come_back(DayApi& api, std::uint32_t c) {
  const int day = api.day();
  auto& f = flows_[c];
  std::size_t keep = 0;
  auto& mis = misrouted_[c];
  for (const Held& h : mis) {
    if (!api.find(h.handle, CaseState::kHeld)) continue;
    if (h.due > day) {
      mis[keep++] = h;
      continue;
    }
    enter(api, c, h, true);
    f.misroute_redirected += 1;
  }
  mis.resize(keep);
  keep = 0;
  auto& res = with_residents_[c];
  for (const Held& h : res) {
    if (!api.find(h.handle, CaseState::kHeld)) continue;
    if (h.due > day) {
      res[keep++] = h;
      continue;
    }
    if (h.success) {
      // Settled self_days after it reached the residents, at the hour of the report.
      api.resolve(h.handle, api.find(h.handle)->hour_reported);
      f.self_resolved += 1;
    } else {
      // Workable today, but never before the day after the report.
      api.give_back(h.handle, std::max(day, api.find(h.handle)->day_reported + 1));
      f.self_returned += 1;
    }
  }
  res.resize(keep);
}

// The council meets every council_interval_days if a quorum attends; it settles a share of the shared affairs
// put on its agenda before today, and sends the rest to the community level.
void Triage::council(DayApi& api, std::uint32_t c) {
  const int day = api.day();
  auto& agenda = on_agenda_[c];
  auto& f = flows_[c];
  const auto& lp = api.params().ladder;
  // Held cases escape the ladder's abandonment; one held as long as the ladder waits is returned to the grid,
  // whose queue sweep abandons it today.
  std::size_t keep = 0;
  for (const Held& h : agenda) {
    if (!api.find(h.handle, CaseState::kHeld)) continue;
    if (day - api.find(h.handle)->day_reported >= lp.abandon_days) {
      api.give_back(h.handle, day);
      continue;
    }
    agenda[keep++] = h;
  }
  agenda.resize(keep);
  const int every = static_cast<int>(p_.council_interval_days);
  if (day % every != every - 1) return;
  // Invitees are residents of the community drawn at random; each comes with their participation propensity
  // times the time their workload leaves them (seed 003: 居民平时工作生活较忙; the digital platform gives
  // some back).
  Rng rng(api.seed(), Purpose::kTriage, c, static_cast<std::uint32_t>(day), kQuorumStream);
  const World& w = api.world();
  const std::uint32_t r0 = w.community_first_resident(c), n = w.community_end_resident(c) - r0;
  Int attendees = 0;
  double by_age[kAgeBands] = {0, 0, 0};
  for (Int i = 0; i < p_.council_invitees && n > 0; ++i) {
    const std::uint32_t r = r0 + rng.below(n);
    if (rng.bernoulli(w.residents[r].participation / 255.0 * api.time_to_take_part(r))) {
      attendees += 1;
      by_age[w.residents[r].age] += 1;
    }
  }
  if (attendees < p_.council_quorum) {
    f.meetings_failed += 1;  // the agenda waits for the next meeting
    return;
  }
  f.meetings += 1;
  f.participants_young += by_age[0];
  f.participants_working += by_age[1];
  f.participants_elderly += by_age[2];
  // Settled at the meeting, held at the end of the working day.
  const double hour = lp.work_start_hour + api.params().grid.hours_per_day;
  keep = 0;
  for (const Held& h : agenda) {
    if (h.due >= day) {  // put on the agenda today: the next meeting
      agenda[keep++] = h;
      continue;
    }
    if (h.success) {
      api.resolve(h.handle, hour);
      f.settled += 1;
    } else {
      api.give_back(h.handle, day + 1);
      api.route(h.handle, Level::kCommunity, day + 1);
      f.council_returned += 1;
    }
  }
  agenda.resize(keep);
}

void Triage::describe(AttributeSink& out) const {
  GOVSIM_TRIAGE_PARAMS(GOVSIM_DESCRIBE_FIELD)
  const double mean = participation_.empty()
                          ? 0.0
                          : std::accumulate(participation_.begin(), participation_.end(), 0.0) /
                                static_cast<double>(participation_.size());
  out.number("mean_council_participation", mean);
  out.text(
      "summary",
      "Three-affairs triage (三会解三事): household affairs to residents, shared affairs to consultation "
      "councils, public affairs to government; misrouting costs days");
}

void Triage::outcomes(std::vector<std::pair<std::string, double>>& out) const {
  out.emplace_back("tr_triaged", totals_.triaged);
  out.emplace_back("tr_misrouted", totals_.misrouted);
  out.emplace_back("tr_misrouted_to_residents", totals_.misrouted_to[kResidents]);
  out.emplace_back("tr_misrouted_to_council", totals_.misrouted_to[kCouncil]);
  out.emplace_back("tr_misrouted_to_government", totals_.misrouted_to[kGovernment]);
  out.emplace_back("tr_self_resolved", totals_.self_resolved);
  out.emplace_back("tr_council_meetings", totals_.meetings);
  out.emplace_back("tr_council_no_quorum", totals_.meetings_failed);
  out.emplace_back("tr_settled", totals_.settled);
  const double discussed = totals_.settled + totals_.council_returned;
  out.emplace_back("tr_share_settled", discussed > 0 ? totals_.settled / discussed : std::nan(""));
}

}  // namespace govsim
