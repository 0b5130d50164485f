#include "mechanisms/downshift.h"

#include <stdexcept>

#include "core/rng.h"
#include "model/day_api.h"

namespace govsim {

Downshift::Downshift(const DownshiftParams& p) : p_(p) {
  if (p.variant == "tasks")
    variant_ = Variant::kTasks;
  else if (p.variant == "staffed")
    variant_ = Variant::kStaffed;
  else if (p.variant == "capped")
    variant_ = Variant::kCapped;
  else
    throw std::invalid_argument("downshift.variant: '" + p.variant + "' is not one of tasks, staffed, capped");
}

double Downshift::task_hours_per_worker() const {
  return p_.extra_task_hours * (variant_ == Variant::kCapped ? p_.duty_list_share : 1.0);
}

void Downshift::initialize(DayApi& api) {
  // Staff moved down with the tasks add to every worker's normal hours (and so to utilisation's denominator).
  if (variant_ == Variant::kStaffed) api.levers().extra_worker_hours += p_.staff_coverage * p_.extra_task_hours;
}

void Downshift::act(Phase, DayApi& api) {
  // Tasks arrive like the core's own: Poisson in number, exponential in size (grid.admin_task_hours).
  const auto& wk = api.world().workers;
  const double size = api.params().grid.admin_task_hours;
  if (size <= 0) return;
  const double rate = task_hours_per_worker() / size;
  const auto day = static_cast<std::uint32_t>(api.day());
  const auto W = static_cast<std::int64_t>(wk.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t wi = 0; wi < W; ++wi) {
    const auto w = static_cast<std::uint32_t>(wi);
    if (!api.in_post(w)) continue;
    Rng rng(api.seed(), Purpose::kDownshift, w, day);
    const std::uint32_t n = rng.poisson(rate);
    double hours = 0;
    for (std::uint32_t i = 0; i < n; ++i) hours += rng.exponential(size);
    api.add_task_hours(w, hours);
  }
}

void Downshift::describe(AttributeSink& out) const {
  GOVSIM_DOWNSHIFT_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.number("task_hours_per_worker_day", task_hours_per_worker());
  out.text("summary", "Workload down-shifting (事务下沉): administrative tasks pushed down to grid workers");
}

}  // namespace govsim
