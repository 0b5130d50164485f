#include "mechanisms/visits.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/day_api.h"

namespace govsim {

double Visits::cadre_visits_per_grid_day(std::uint32_t grids_in_community) const {
  if (grids_in_community == 0) return 0.0;
  return p_.cadres_per_community * p_.cadre_households_per_week / 7.0 / grids_in_community;
}

void Visits::initialize(DayApi& api) {
  const World& w = api.world();
  const auto G = w.grids.size();
  Levers& lv = api.levers();
  lv.scheduled_visit_hours += p_.scheduled_hours_per_worker_week / 7.0;
  // Combined with any other source of awareness on visits as independent chances.
  lv.visit_awareness = 1.0 - (1.0 - lv.visit_awareness) * (1.0 - p_.awareness_per_visit);
  if (lv.extra_visits.empty()) lv.extra_visits.assign(G, 0.0f);
  due_.assign(G, 0.5);  // rounds the cumulative number of visits due to the nearest whole household
  today_.assign(G, 0.0f);
  cadre_visits_.assign(w.communities.size(), 0.0);

  using K = MetricKind;
  auto cadre_visits = [this](const Tally&, int c) {
    return c >= 0 ? cadre_visits_[c] : std::accumulate(cadre_visits_.begin(), cadre_visits_.end(), 0.0);
  };
  const double hours = p_.cadre_hours_per_household;
  api.add_metric({"new_vi_cadre_visits", K::kFlow, "households/day", "Households visited by community cadres (三下沉)",
                  false, cadre_visits, ""});
  api.add_metric({"new_vi_cadre_hours", K::kFlow, "hours/day", "Cadre hours spent on household visits", false,
                  [cadre_visits, hours](const Tally& t, int c) { return hours * cadre_visits(t, c); }, ""});
  api.add_metric({"new_vi_scheduled_hours", K::kFlow, "hours/day",
                  "Grid-worker hours on scheduled visits (before cases; part of new_visit_hours)", false,
                  [](const Tally& t, int) { return t.scheduled_visit_hours; }, ""});
  api.add_metric({"cum_vi_cadre_hours", K::kTotal, "hours", "Cadre hours on household visits since day 0", false,
                  nullptr, "new_vi_cadre_hours"});
  api.add_metric({"cum_vi_scheduled_hours", K::kTotal, "hours", "Grid-worker hours on scheduled visits since day 0",
                  false, nullptr, "new_vi_scheduled_hours"});
}

void Visits::act(Phase, DayApi& api) {
  const World& w = api.world();
  auto& extra = api.levers().extra_visits;
  const auto C = static_cast<std::uint32_t>(w.communities.size());
  for (std::uint32_t c = 0; c < C; ++c) {
    const std::uint32_t g0 = w.communities.first_grid[c], g1 = w.communities.first_grid[c + 1];
    const double rate = cadre_visits_per_grid_day(g1 - g0);
    double n = 0;
    for (std::uint32_t g = g0; g < g1; ++g) {
      const std::uint32_t H = w.grids.first_household[g + 1] - w.grids.first_household[g];
      due_[g] += rate;
      const double made = std::floor(due_[g]);
      due_[g] -= made;
      const auto v = static_cast<float>(std::min<double>(made, H));  // never more than the grid's households
      extra[g] += v - today_[g];
      today_[g] = v;
      n += v;
    }
    cadre_visits_[c] = n;
    api.spend_hours(Payer::kCadres, c, n * p_.cadre_hours_per_household);
    api.spend_yuan(CostSource::kCadres, c,
                   n * p_.cadre_hours_per_household * api.params().cost.wage_cadre_per_hour);
  }
}

void Visits::describe(AttributeSink& out) const {
  GOVSIM_VISITS_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.number("scheduled_hours_per_worker_day", p_.scheduled_hours_per_worker_week / 7.0);
  out.number("cadre_visits_per_community_week", p_.cadres_per_community * p_.cadre_households_per_week);
  out.text("summary", "Visits (联访 / 三下沉): scheduled grid-worker visits, weekly cadre visits, awareness on visits");
}

}  // namespace govsim
