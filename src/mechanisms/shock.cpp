#include "mechanisms/shock.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.h"
#include "model/day_api.h"

namespace govsim {

bool Shock::active_on(int day) const { return day >= p_.start_day && day < end_day(); }

void Shock::initialize(DayApi& api) {
  const World& w = api.world();
  task_hours_.assign(w.communities.size(), 0.0);
  worker_hours_.assign(w.workers.size(), 0.0);
  backlog_.clear();
  backlog_.reserve(static_cast<std::size_t>(std::max<Int>(0, api.params().run.days)));
  using K = MetricKind;
  api.add_metric({"n_shock_active", K::kStock, "0/1", "1 on the days of the shock, else 0", false,
                  [this](const Tally&, int) { return active_ ? 1.0 : 0.0; }, ""});
  api.add_metric({"new_shock_task_hours", K::kFlow, "hours/day",
                  "Urgent task hours the shock added to grid workers' administrative backlogs", true,
                  [this](const Tally&, int c) {
                    return c >= 0 ? task_hours_[c] : std::accumulate(task_hours_.begin(), task_hours_.end(), 0.0);
                  },
                  ""});
  api.add_metric({"cum_shock_task_hours", K::kTotal, "hours", "Urgent task hours added since day 0", false, nullptr,
                  "new_shock_task_hours"});
  // A shock from day 0 is in force for the first day's arrivals.
  if (active_on(0)) set_active(api, true);
}

void Shock::set_active(DayApi& api, bool on) {
  Levers& lv = api.levers();
  DayConditions& now = api.conditions();
  const double m[kKinds] = {p_.demand_multiplier_household, p_.demand_multiplier_shared, p_.demand_multiplier_public};
  if (on) {
    for (int k = 0; k < kKinds; ++k) {
      saved_[k] = lv.demand_multiplier[k];
      lv.demand_multiplier[k] *= m[k];
      applied_[k] = lv.demand_multiplier[k];
    }
    saved_start_day_ = now.emergency_start_day;
    now.emergency = true;
    now.emergency_start_day = static_cast<int>(p_.start_day);
  } else {
    // Restore the rates; if another mechanism changed a multiplier meanwhile, take only the shock's factor out.
    for (int k = 0; k < kKinds; ++k)
      lv.demand_multiplier[k] =
          lv.demand_multiplier[k] == applied_[k] || m[k] == 0 ? saved_[k] : lv.demand_multiplier[k] / m[k];
    now.emergency = false;
    now.emergency_start_day = saved_start_day_;
  }
  active_ = on;
}

void Shock::act(Phase phase, DayApi& api) {
  if (phase == Phase::kDemand) {
    if (active_) urgent_tasks(api);
    return;
  }
  // Recording: today's flows have been recorded; track the backlog and set the state for tomorrow.
  std::fill(task_hours_.begin(), task_hours_.end(), 0.0);
  track(api);
  const bool tomorrow = active_on(api.day() + 1);
  if (tomorrow != active_) set_active(api, tomorrow);
}

void Shock::urgent_tasks(DayApi& api) {
  // Like the core's administrative tasks: Poisson in number, exponential in size (grid.admin_task_hours), one
  // stream per worker and day.
  const World& w = api.world();
  const auto& wk = w.workers;
  const double size = api.params().grid.admin_task_hours;
  if (size <= 0 || p_.urgent_task_hours <= 0) return;
  const double rate = p_.urgent_task_hours / size;
  const auto day = static_cast<std::uint32_t>(api.day());
  const auto W = static_cast<std::int64_t>(wk.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t wi = 0; wi < W; ++wi) {
    const auto i = static_cast<std::uint32_t>(wi);
    worker_hours_[i] = 0.0;
    if (!api.in_post(i)) continue;
    Rng rng(api.seed(), Purpose::kShock, i, day);
    const std::uint32_t n = rng.poisson(rate);
    double hours = 0;
    for (std::uint32_t j = 0; j < n; ++j) hours += rng.exponential(size);
    api.add_task_hours(i, hours);
    worker_hours_[i] = hours;
  }
  for (std::size_t i = 0; i < wk.size(); ++i)  // serial, in worker order: independent of the thread count
    task_hours_[w.grids.community[wk.grid[i]]] += worker_hours_[i];
}

void Shock::track(DayApi& api) {
  const int day = api.day();
  double b = 0;
  const auto C = static_cast<std::uint32_t>(api.world().communities.size());
  for (std::uint32_t c = 0; c < C; ++c) {
    const auto& open = api.tally(c).open;
    b += std::accumulate(open.begin(), open.end(), 0.0);
  }
  backlog_.push_back(b);
  if (day == p_.start_day - 1) pre_ = b;
  if (day < p_.start_day) return;
  excess_ += std::max(0.0, b - pre_);
  if (b > peak_) {
    peak_ = b;
    peak_day_ = day;
  }
  if (day >= end_day() - 1 && recovered_day_ < 0 && b <= (1.0 + p_.recovery_tolerance) * pre_) recovered_day_ = day;
}

void Shock::describe(AttributeSink& out) const {
  GOVSIM_SHOCK_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.text("summary", "Shock (epidemic or disaster): demands multiplied and urgent tasks added for a while");
}

void Shock::outcomes(std::vector<std::pair<std::string, double>>& out) const {
  const double nan = std::nan("");
  const bool started = peak_day_ >= 0;
  out.emplace_back("shock_pre_backlog", started ? pre_ : nan);
  out.emplace_back("shock_peak_backlog", started ? peak_ : nan);
  out.emplace_back("shock_peak_day", started ? static_cast<double>(peak_day_) : nan);
  out.emplace_back("shock_excess_backlog_days", started ? excess_ : nan);
  out.emplace_back("shock_days_to_recover", recovered_day_ >= 0 ? static_cast<double>(days_to_recover()) : nan);
}

}  // namespace govsim
