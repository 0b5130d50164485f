#include "mechanisms/dual_registration.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.h"
#include "model/day_api.h"

namespace govsim {

namespace {
constexpr double kMonthsPerDay = 12.0 / 365.0;
}

double DualRegistration::surge_fraction(int day, int start, double delay, double working_hours) {
  // The shock starts at work_start_hour of day `start`; day `day`'s working window is
  // [24 (day - start), 24 (day - start) + L] hours after that moment, and the members arrive at `delay`.
  const double after = 24.0 * (day - start) + working_hours - delay;
  return std::clamp(after / working_hours, 0.0, 1.0);
}

void DualRegistration::initialize(DayApi& api) {
  const World& w = api.world();
  const auto C = static_cast<std::uint32_t>(w.communities.size());
  const auto G = w.grids.size();
  active_.assign(C, 0.0);
  surge_.assign(C, 0.0);
  delay_.assign(C, 0.0);
  hours_today_.assign(C, 0.0);
  surge_today_.assign(C, 0.0);
  task_today_.assign(C, 0.0);
  mobilised_today_.assign(C, 0.0);
  mine_.assign(G, 0.0f);
  grid_weight_.assign(G, 0.0);
  // Which registered members are active: one draw each, once (stream (member, 0, 0)). A member's workload
  // takes part of the chance away (they are in service, so mostly of working age); a digital way to claim
  // posts gives some of it back (DayApi::time_to_take_part).
  total_members_ = static_cast<double>(w.members.size());
  active_by_age_.assign(C, {0.0, 0.0, 0.0});
  for (std::uint32_t m = 0; m < w.members.size(); ++m) {
    Rng rng(api.seed(), Purpose::kDualRegistration, m, 0, 0);
    const std::uint32_t r = w.members.resident[m];
    if (rng.bernoulli(p_.share_active * api.time_to_take_part(r))) {
      active_[w.members.community[m]] += 1;
      active_by_age_[w.members.community[m]][w.residents[r].age] += 1;
    }
  }
  for (std::uint32_t c = 0; c < C; ++c) {
    surge_[c] = std::floor(p_.surge_share * active_[c] + 0.5);
    const std::uint32_t g0 = w.communities.first_grid[c], g1 = w.communities.first_grid[c + 1];
    const double H = w.grids.first_household[g1] - w.grids.first_household[g0];
    for (std::uint32_t g = g0; g < g1; ++g)
      grid_weight_[g] = H > 0 ? (w.grids.first_household[g + 1] - w.grids.first_household[g]) / H
                              : 1.0 / static_cast<double>(g1 - g0);
  }

  using K = MetricKind;
  auto sum_or = [](const std::vector<double>& v) {
    return [&v](const Tally&, int c) { return c >= 0 ? v[c] : std::accumulate(v.begin(), v.end(), 0.0); };
  };
  api.add_metric({"n_dr_members_active", K::kStock, "members",
                  "Registered in-service members who volunteer routinely (the active pool)", false, sum_or(active_), ""});
  api.add_metric({"n_dr_members_mobilised", K::kStock, "members",
                  "Members mobilised as surge capacity today (0 outside a shock or before the response delay)", false,
                  sum_or(mobilised_today_), ""});
  api.add_metric({"new_dr_volunteer_hours", K::kFlow, "hours/day",
                  "Volunteer hours registered members offered to the grids today (routine and surge)", true,
                  sum_or(hours_today_), ""});
  api.add_metric({"new_dr_surge_hours", K::kFlow, "hours/day", "Of which surge hours in a shock", false,
                  sum_or(surge_today_), ""});
  api.add_metric({"new_dr_task_hours", K::kFlow, "hours/day",
                  "Of the surge hours, those spent on the grid workers' waiting (urgent) tasks", false,
                  sum_or(task_today_), ""});
  api.add_metric({"cum_dr_volunteer_hours", K::kTotal, "hours", "Volunteer hours offered since day 0", false, nullptr,
                  "new_dr_volunteer_hours"});
  // Volunteering by age band: each community's hours shared among its active members, by their band (surge
  // members are the active pool scaled, so they share its bands).
  const char* bands[kAgeBands] = {"young", "working", "elderly"};
  for (int a = 0; a < kAgeBands; ++a)
    api.add_metric(
        {std::string("new_dr_volunteer_hours_") + bands[a], K::kFlow, "hours/day",
         std::string("Volunteer hours offered today by ") + (a == 1 ? "working-age" : bands[a]) + " members",
         false,
         [this, a](const Tally&, int c) {
           auto of = [&](std::size_t k) {
             return active_[k] > 0 ? hours_today_[k] * active_by_age_[k][a] / active_[k] : 0.0;
           };
           if (c >= 0) return of(static_cast<std::size_t>(c));
           double s = 0;
           for (std::size_t k = 0; k < active_.size(); ++k) s += of(k);
           return s;
         },
         ""});
}

void DualRegistration::draw_delays(DayApi& api, int start) {
  // One delay per community and shock: stream (community, shock start day, 1). D * U^k with k = (1 - m) / m
  // has mean m * D and never exceeds D (seed 001's "within 3 hours"); m = 0.5 is uniform on [0, D].
  const double D = p_.mobilisation_max_hours, m = p_.mobilisation_mean_share;
  for (std::uint32_t c = 0; c < delay_.size(); ++c) {
    Rng rng(api.seed(), Purpose::kDualRegistration, c, static_cast<std::uint32_t>(start), 1);
    delay_[c] = m > 0 ? D * std::pow(rng.uniform(), (1 - m) / m) : 0.0;
    if (surge_[c] > 0) all_delays_.push_back(delay_[c]);
  }
  delays_for_ = start;
}

void DualRegistration::act(Phase, DayApi& api) {
  const World& w = api.world();
  Levers& lv = api.levers();
  if (lv.volunteer_hours.empty()) lv.volunteer_hours.assign(w.grids.size(), 0.0f);
  const DayConditions& now = api.conditions();
  const bool shock = now.emergency && now.emergency_start_day >= 0;
  if (shock && delays_for_ != now.emergency_start_day) draw_delays(api, now.emergency_start_day);
  const double L = api.params().grid.hours_per_day;
  const double routine = p_.hours_per_active_member_month * kMonthsPerDay;
  const auto C = static_cast<std::uint32_t>(w.communities.size());
  for (std::uint32_t c = 0; c < C; ++c) {
    const double f = shock ? surge_fraction(api.day(), now.emergency_start_day, delay_[c], L) : 0.0;
    surge_today_[c] = f * surge_[c] * p_.surge_hours_per_member_day;
    mobilised_today_[c] = f > 0 ? surge_[c] : 0.0;
    hours_today_[c] = active_[c] * routine + surge_today_[c];
    task_today_[c] = 0.0;
    // Spread over the community's grids by households; only this mechanism's own share of the lever changes.
    for (std::uint32_t g = w.communities.first_grid[c]; g < w.communities.first_grid[c + 1]; ++g) {
      // Seed 001: mobilised members switch posts to the emergency's tasks (就地转岗) first: the surge takes the
      // grid workers' waiting tasks off them; what is left of it, and the routine hours, go to cases.
      double surge = surge_today_[c] * grid_weight_[g];
      for (std::uint32_t k = w.grids.first_worker[g]; k < w.grids.first_worker[g + 1] && surge > 0; ++k) {
        if (!api.in_post(k)) continue;
        const double taken = api.take_task_hours(k, surge);
        surge -= taken;
        task_today_[c] += taken;
      }
      const auto h = static_cast<float>((active_[c] * routine) * grid_weight_[g] + surge);
      lv.volunteer_hours[g] = lv.volunteer_hours[g] - mine_[g] + h;
      mine_[g] = h;
    }
    // Members' hours on tasks; their hours on cases are counted where the grid spends them (the core). Their
    // time is valued for the hours they give, used or not (their organs release them for it).
    api.spend_hours(Payer::kMembers, c, task_today_[c]);
    api.spend_yuan(CostSource::kMembers, c, hours_today_[c] * api.params().cost.wage_member_per_hour);
  }
}

void DualRegistration::describe(AttributeSink& out) const {
  GOVSIM_DUAL_REGISTRATION_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.number("registered_members", total_members_);
  out.number("active_members", std::accumulate(active_.begin(), active_.end(), 0.0));
  out.number("surge_members", std::accumulate(surge_.begin(), surge_.end(), 0.0));
  out.text("summary", "Dual registration (双报到): in-service members volunteer at the grids and surge in a shock");
}

void DualRegistration::outcomes(std::vector<std::pair<std::string, double>>& out) const {
  const double nan = std::nan("");
  const auto n = static_cast<double>(all_delays_.size());
  out.emplace_back("dr_mean_mobilisation_hours",
                   all_delays_.empty() ? nan : std::accumulate(all_delays_.begin(), all_delays_.end(), 0.0) / n);
  out.emplace_back("dr_max_mobilisation_hours",
                   all_delays_.empty() ? nan : *std::max_element(all_delays_.begin(), all_delays_.end()));
}

}  // namespace govsim
