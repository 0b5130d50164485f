#include "model/metrics.h"

#include "util/json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace govsim {

const std::vector<HeadlineMetric>& headline_metrics() {
  // Counts, hours and cost: 5% of the baseline; shares and means on a 0-1 scale: 0.01 (one point); utilisation
  // (hours per normal hour): 0.01. Beside the backlog, always, the demands reported and those that lapsed
  // unreported: a mechanism that discourages reporting shrinks the backlog without serving anyone better.
  static const std::vector<HeadlineMetric> h = {
      {"cum_hard_problems_closed", "final", 0.05, true}, {"n_open_cases", "final", 0.05, true},
      {"new_reported", "sum", 0.05, true},               {"new_gave_up", "sum", 0.05, true},
      {"mean_resolution_hours", "mean", 0.05, true},     {"mean_satisfaction", "final", 0.01, false},
      {"mean_trust", "final", 0.01, false},              {"mean_gw_utilisation", "mean", 0.01, false},
      {"cum_cost_yuan", "final", 0.05, true},
  };
  return h;
}

std::string margin_text(const HeadlineMetric& h) {
  char buf[32];
  if (h.relative)
    std::snprintf(buf, sizeof buf, "%.4g%%", 100 * h.margin);
  else
    std::snprintf(buf, sizeof buf, "%.4g", h.margin);
  return buf;
}

std::string headline_metrics_json() {
  Json list = Json::array();
  for (const auto& h : headline_metrics())
    list.push_back({{"name", h.name}, {"how", h.how}, {"margin", h.margin}, {"relative", h.relative}});
  return json_text(list, {.spaces = true});
}

const char* metric_kind_name(MetricKind k) {
  switch (k) {
    case MetricKind::kStock: return "stock";
    case MetricKind::kFlow: return "flow";
    case MetricKind::kTotal: return "total";
    case MetricKind::kMean: return "mean";
    case MetricKind::kShare: return "share";
    case MetricKind::kQuantile: return "quantile";
  }
  return "?";
}

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }
double sum3(const std::array<double, 3>& a) { return a[0] + a[1] + a[2]; }
}  // namespace

std::vector<MetricSpec> core_metrics() {
  using K = MetricKind;
  std::vector<MetricSpec> m;
  auto add = [&](std::string name, K kind, std::string unit, std::string desc, bool by_c,
                 std::function<double(const Tally&)> f) {
    m.push_back({std::move(name), kind, std::move(unit), std::move(desc), by_c,
                 [f = std::move(f)](const Tally& t, int) { return f(t); }, ""});
  };
  auto total = [&](std::string name, std::string flow, std::string unit, std::string desc) {
    m.push_back({std::move(name), K::kTotal, std::move(unit), std::move(desc), false, nullptr, std::move(flow)});
  };
  const char* kinds[3] = {"household", "shared", "public"};
  const char* levels[4] = {"grid", "community", "street", "department"};
  const char* ages[3] = {"young", "working", "elderly"};

  // Stocks.
  add("n_residents", K::kStock, "residents", "Residents", false, [](const Tally& t) { return t.residents; });
  add("n_open_cases", K::kStock, "cases", "Reported demands not yet closed", true,
      [](const Tally& t) { return sum3(t.open); });
  for (int k = 0; k < 3; ++k)
    add(std::string("n_open_") + kinds[k], K::kStock, "cases", std::string("Open ") + kinds[k] + " affairs", false,
        [k](const Tally& t) { return t.open[k]; });
  for (int l = 0; l < 4; ++l)
    add(std::string("n_cases_at_") + levels[l], K::kStock, "cases",
        std::string("Open cases held at the ") + levels[l] + " level", false,
        [l](const Tally& t) { return t.open_at[l]; });
  add("n_open_hard", K::kStock, "cases", "Open hard problems (needing street or department)", true,
      [](const Tally& t) { return t.open_hard; });
  add("n_latent_demands", K::kStock, "demands", "Unreported demands still waiting", false,
      [](const Tally& t) { return t.latent; });
  add("n_workers_in_post", K::kStock, "workers", "Grid workers in post", false,
      [](const Tally& t) { return t.workers_in_post; });
  add("n_vacancies", K::kStock, "posts", "Grid-worker posts vacant", true, [](const Tally& t) { return t.vacancies; });

  // Flows.
  add("new_demands", K::kFlow, "demands/day", "Demands raised", false, [](const Tally& t) { return sum3(t.demands); });
  for (int k = 0; k < 3; ++k)
    add(std::string("new_demands_") + kinds[k], K::kFlow, "demands/day", std::string(kinds[k]) + " affairs raised",
        false, [k](const Tally& t) { return t.demands[k]; });
  add("new_reported", K::kFlow, "demands/day", "Demands reported (including found by visits)", false,
      [](const Tally& t) { return sum3(t.reported); });
  for (int a = 0; a < 3; ++a)
    add(std::string("new_reported_") + ages[a], K::kFlow, "demands/day",
        std::string("Demands reported by ") + ages[a] + " residents", false,
        [a](const Tally& t) { return t.reported_by_age[a]; });
  add("new_resolved", K::kFlow, "cases/day", "Cases resolved", true, [](const Tally& t) { return sum3(t.resolved); });
  for (int k = 0; k < 3; ++k)
    add(std::string("new_resolved_") + kinds[k], K::kFlow, "cases/day", std::string(kinds[k]) + " affairs resolved",
        false, [k](const Tally& t) { return t.resolved[k]; });
  for (int l = 0; l < 4; ++l)
    add(std::string("new_resolved_at_") + levels[l], K::kFlow, "cases/day",
        std::string("Cases resolved at the ") + levels[l] + " level", false,
        [l](const Tally& t) { return t.resolved_at[l]; });
  add("new_escalated", K::kFlow, "cases/day", "Cases passed up a level", false, [](const Tally& t) { return t.escalated; });
  add("new_hard_problems", K::kFlow, "cases/day", "Hard problems reported", false,
      [](const Tally& t) { return t.hard_raised; });
  add("new_hard_problems_closed", K::kFlow, "cases/day", "Hard problems resolved", false,
      [](const Tally& t) { return t.hard_closed; });
  add("new_abandoned", K::kFlow, "cases/day", "Cases abandoned unresolved after ladder.abandon_days", false,
      [](const Tally& t) { return t.abandoned; });
  add("new_gave_up", K::kFlow, "demands/day", "Unreported demands that lapsed", false,
      [](const Tally& t) { return t.gave_up; });
  add("new_found_by_visit", K::kFlow, "demands/day", "Unreported demands found on visits", false,
      [](const Tally& t) { return t.found_by_visit; });
  add("new_households_visited", K::kFlow, "households/day", "Households visited by grid workers", false,
      [](const Tally& t) { return t.households_visited; });
  add("new_admin_hours", K::kFlow, "hours/day", "Grid-worker hours on administrative tasks", false,
      [](const Tally& t) { return t.admin_hours; });
  add("new_case_hours", K::kFlow, "hours/day", "Grid-worker hours on cases", false,
      [](const Tally& t) { return t.case_hours; });
  add("new_visit_hours", K::kFlow, "hours/day", "Grid-worker hours on visits", false,
      [](const Tally& t) { return t.visit_hours; });
  add("new_overtime_hours", K::kFlow, "hours/day", "Grid-worker hours beyond normal hours", false,
      [](const Tally& t) { return t.overtime_hours; });
  add("new_volunteer_hours", K::kFlow, "hours/day", "Volunteer hours on household and shared affairs at the grid",
      false, [](const Tally& t) { return t.volunteer_hours; });
  add("n_coordinating", K::kStock, "cases", "Hard problems done at their level, waiting for their parties to act", true,
      [](const Tally& t) { return t.coordinating; });
  add("new_coordination_started", K::kFlow, "cases/day", "Hard problems whose parties accepted to act on them", false,
      [](const Tally& t) { return t.coordination_started; });
  add("new_hard_cohort", K::kFlow, "cases/day",
      "Hard problems reported today, if the run goes on for 180 days more (the six-month cohort)", false,
      [](const Tally& t) { return t.hard_cohort; });
  add("new_hard_cohort_closed_6m", K::kFlow, "cases/day",
      "Hard problems of the six-month cohort resolved today, within 180 days of their report", false,
      [](const Tally& t) { return t.hard_cohort_closed_6m; });
  add("new_passed_back", K::kFlow, "cases/day", "Hard problems passed back down to the community by a party (推诿)",
      false, [](const Tally& t) { return t.passed_back; });
  add("new_breach_escalations", K::kFlow, "cases/day", "Cases moved up after missing the grid's deadline", false,
      [](const Tally& t) { return t.breached; });
  add("new_quits", K::kFlow, "workers/day", "Grid workers quitting", false, [](const Tally& t) { return t.quits; });
  add("new_hires", K::kFlow, "workers/day", "Replacement grid workers starting", false,
      [](const Tally& t) { return t.hires; });

  // Cost accounting (docs/ODD.md §7.20): hours spent by who spent them, money by source.
  const char* payers[kPayers] = {"grid",  "community", "street",  "department",
                                 "units", "cadres",    "members", "social_workers"};
  const char* payer_text[kPayers] = {
      "grid workers (tasks, cases, visits; the staffed variant's staff included)",
      "community staff on cases (their share of the community level's hours)",
      "street staff on cases",
      "district department staff on cases (summoned teams included)",
      "co-building units' staff on listed problems",
      "cadres and district leaders (joint meetings, led items, household visits)",
      "in-service Party members (volunteering, tasks taken over)",
      "community social workers on cases (their share of the community level's hours)"};
  for (int i = 0; i < kPayers; ++i)
    add(std::string("new_hours_") + payers[i], K::kFlow, "staff-hours/day",
        std::string("Hours spent by ") + payer_text[i], false, [i](const Tally& t) { return t.hours[i]; });
  const char* sources[kCostSources] = {"pay",    "staffed", "social_workers", "co_building",
                                       "cadres", "members", "property"};
  const char* source_text[kCostSources] = {
      "Pay of the ladder's own staff for their hours on duty: grid workers in post, community, street and "
      "department "
      "staff (the baseline's running cost)",
      "Pay of the staff the staffed down-shifting variant moves down with the tasks (its funds)",
      "Community social workers' pay",
      "Co-building units' staff time on listed problems, at cost.wage_unit_per_hour",
      "Cadres' and district leaders' time, at cost.wage_cadre_per_hour",
      "In-service members' volunteer time, at cost.wage_member_per_hour",
      "Property service fees of the old neighbourhoods' households"};
  for (int i = 0; i < kCostSources; ++i)
    add(std::string("new_cost_yuan_") + sources[i], K::kFlow, "yuan/day", source_text[i], false,
        [i](const Tally& t) { return t.yuan[i]; });
  add("new_cost_yuan", K::kFlow, "yuan/day", "Cost of the day, every source", false, [](const Tally& t) {
    double s = 0;
    for (double y : t.yuan) s += y;
    return s;
  });
  add("new_added_cost_yuan", K::kFlow, "yuan/day",
      "Cost the mechanisms add: every source but the ladder's own pay (new_cost_yuan - new_cost_yuan_pay)",
      false, [](const Tally& t) {
        double s = 0;
        for (int i = 1; i < kCostSources; ++i) s += t.yuan[i];
        return s;
      });

  // Totals.
  total("cum_resolved", "new_resolved", "cases", "Cases resolved since day 0");
  total("cum_hard_problems_closed", "new_hard_problems_closed", "cases", "Hard problems resolved since day 0");
  total("cum_abandoned", "new_abandoned", "cases", "Cases abandoned since day 0");
  total("cum_quits", "new_quits", "workers", "Grid workers who quit since day 0");
  for (int i = 0; i < kPayers; ++i)
    total(std::string("cum_hours_") + payers[i], std::string("new_hours_") + payers[i], "staff-hours",
          std::string("Hours spent by ") + payer_text[i] + " since day 0");
  total("cum_cost_yuan", "new_cost_yuan", "yuan", "Cost since day 0, every source");
  total("cum_added_cost_yuan", "new_added_cost_yuan", "yuan", "Cost the mechanisms added since day 0");

  // State summaries.
  add("mean_resolution_hours", K::kMean, "h", "Mean hours from raising to resolution, cases resolved today",
      true, [](const Tally& t) { return ratio(t.resolution_hours_sum, sum3(t.resolved)); });
  add("p90_resolution_hours", K::kQuantile, "h", "90th percentile of resolution hours, cases resolved today",
      true, [](const Tally& t) { return sum3(t.resolved) > 0 ? t.p90_resolution_hours : kNaN; });
  add("mean_hard_resolution_hours", K::kMean, "h",
      "Mean hours from report to resolution, hard problems resolved today", false,
      [](const Tally& t) { return ratio(t.hard_resolution_hours_sum, t.hard_closed); });
  add("share_resolved_in_time", K::kShare, "share", "Share of today's resolutions within the expected hours", false,
      [](const Tally& t) { return ratio(t.resolved_in_time, sum3(t.resolved)); });
  add("mean_gw_utilisation", K::kMean, "hours/normal hour",
      "Grid-worker hours on tasks, cases and scheduled visits per normal hour, workers who worked that day", true,
      [](const Tally& t) { return ratio(t.admin_hours + t.case_hours + t.scheduled_visit_hours, t.normal_hours); });
  add("mean_gw_fatigue", K::kMean, "0-1", "Mean grid-worker fatigue, workers in post", false,
      [](const Tally& t) { return ratio(t.fatigue_sum, t.workers_in_post); });
  add("mean_gw_willingness", K::kMean, "0-1",
      "Mean grid-worker willingness (share of the hours left after tasks given to residents), workers in "
      "post",
      true, [](const Tally& t) { return ratio(t.willingness_sum, t.workers_in_post); });
  add("mean_satisfaction", K::kMean, "0-1", "Mean resident satisfaction", true,
      [](const Tally& t) { return ratio(t.satisfaction_sum, t.residents); });
  add("share_good", K::kShare, "share", "Share of residents rating good or very good", true,
      [](const Tally& t) { return ratio(t.good, t.residents); });
  for (int a = 0; a < 3; ++a)
    add(std::string("share_good_") + ages[a], K::kShare, "share",
        std::string("Share of ") + (a == 1 ? "working-age" : ages[a]) + " residents rating good or very good",
        false, [a](const Tally& t) { return ratio(t.good_by_age[a], t.residents_by_age[a]); });
  add("mean_trust", K::kMean, "0-1", "Mean trust in the community Party organisation", true,
      [](const Tally& t) { return ratio(t.trust_sum, t.residents); });
  add("share_aware", K::kShare, "share", "Share of residents aware of the big Party committee", true,
      [](const Tally& t) { return ratio(t.aware, t.residents); });
  // Seed 000's survey question: residents rating the big Party committee's work good or very good.
  add("share_committee_good", K::kShare, "share",
      "Share of residents who are aware of the big Party committee and rate its work good or very good", true,
      [](const Tally& t) { return ratio(t.committee_good, t.residents); });
  add("share_committee_good_aware", K::kShare, "share",
      "Share of the residents aware of the big Party committee who rate its work good or very good", false,
      [](const Tally& t) { return ratio(t.committee_good, t.aware); });
  // Participation by age band per head, so bands of different sizes compare (seed 004: mostly the elderly).
  for (int a : {0, 1, 2})
    add(std::string("mean_reports_per_1000_") + ages[a], K::kMean, "reports/1000 residents/day",
        std::string("Demands reported today (including found by visits) per 1000 ") +
            (a == 1 ? "working-age" : ages[a]) + " residents",
        false, [a](const Tally& t) { return 1000.0 * ratio(t.reported_by_age[a], t.residents_by_age[a]); });
  add("share_reports_young", K::kShare, "share", "Share of today's reports (including found by visits) made by young residents",
      true, [](const Tally& t) { return ratio(t.reported_by_age[0], sum3(t.reported_by_age)); });
  add("mean_report_ratio_young_elderly", K::kMean, "x",
      "Today's reports per young resident divided by reports per elderly resident", false, [](const Tally& t) {
        return ratio(ratio(t.reported_by_age[0], t.residents_by_age[0]), ratio(t.reported_by_age[2], t.residents_by_age[2]));
      });
  // Inequality between communities (the "Model 2"; seed 003: uneven service between communities).
  add("gini_share_good", K::kMean, "0-1",
      "Gini coefficient across communities of the share rating good or very good", false,
      [](const Tally& t) { return t.gini_share_good; });
  add("worst_decile_share_good", K::kShare, "share",
      "Mean share rating good or very good of the worst tenth of communities (lowest shares)", false,
      [](const Tally& t) { return t.worst_decile_share_good; });
  add("gini_resolution_hours", K::kMean, "0-1",
      "Gini coefficient across communities of their mean resolution hours over the last 30 days", false,
      [](const Tally& t) { return t.gini_resolution_hours; });
  add("worst_decile_resolution_hours", K::kMean, "h",
      "Mean resolution hours over the last 30 days of the worst tenth of communities (longest)", false,
      [](const Tally& t) { return t.worst_decile_resolution_hours; });
  return m;
}

void Recorder::start(std::vector<MetricSpec> specs, int days, int communities) {
  specs_ = std::move(specs);
  days_ = days;
  communities_ = communities;
  series_.assign(specs_.size(), std::vector<double>(static_cast<std::size_t>(days), kNaN));
  by_community_.assign(specs_.size(), {});
  cum_source_.assign(specs_.size(), -1);
  by_community_index_.clear();
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].kind == MetricKind::kTotal) cum_source_[i] = static_cast<int>(index(specs_[i].cumulates));
    if (specs_[i].by_community && specs_[i].kind != MetricKind::kTotal) by_community_index_.push_back(i);
    if (specs_[i].by_community)
      by_community_[i].assign(static_cast<std::size_t>(days) * static_cast<std::size_t>(communities),
                              std::numeric_limits<float>::quiet_NaN());
  }
}

void Recorder::keep_only(const std::vector<std::string>& names, bool by_community) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    if (std::find(names.begin(), names.end(), specs_[i].name) == names.end()) continue;
    if (k != i) {
      specs_[k] = std::move(specs_[i]);
      series_[k] = std::move(series_[i]);
      by_community_[k] = std::move(by_community_[i]);
    }
    if (!by_community) {
      specs_[k].by_community = false;
      by_community_[k].clear();
    }
    ++k;
  }
  specs_.resize(k);
  series_.resize(k);
  by_community_.resize(k);
  cum_source_.clear();  // indices into the old list: recording is over
  by_community_index_.clear();
  for (std::size_t i = 0; i < k; ++i)
    if (specs_[i].by_community && specs_[i].kind != MetricKind::kTotal) by_community_index_.push_back(i);
}

std::size_t Recorder::index(const std::string& name) const {
  for (std::size_t i = 0; i < specs_.size(); ++i)
    if (specs_[i].name == name) return i;
  throw std::out_of_range("unknown metric '" + name + "'");
}

double Recorder::at(const std::string& name, int day) const { return series_[index(name)][day]; }

void Recorder::record_district(int day, const Tally& district) {
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const auto& s = specs_[i];
    if (s.kind == MetricKind::kTotal) {
      const double prev = day > 0 ? series_[i][day - 1] : 0.0;
      series_[i][day] = prev + series_[cum_source_[i]][day];
      continue;
    }
    series_[i][day] = s.value(district, -1);
  }
}

}  // namespace govsim
