#include "model/simulation.h"

#include <algorithm>

#include "core/rng.h"

namespace govsim {

// assignment: administrative tasks arrive and pre-empt; what is left of each worker's day goes to cases.

// Per community: its grids' workers, who are numbered grid by grid.
void Simulation::assignment_community(std::uint32_t c) {
  const auto& gp = s_.params.grid;
  auto& wk = s_.world.workers;
  const auto& gr = s_.world.grids;
  const auto& cm = s_.world.communities;
  const auto day = static_cast<std::uint32_t>(s_.day);
  const double capacity = gp.hours_per_day + s_.levers.extra_worker_hours + gp.max_overtime_hours;
  const std::uint32_t w_end = gr.first_worker[cm.first_grid[c + 1]];
  for (std::uint32_t w = gr.first_worker[cm.first_grid[c]]; w < w_end; ++w) {
    admin_today_[w] = 0.0f;
    free_today_[w] = 0.0f;
    visit_today_[w] = 0.0f;
    // The tasks of a vacant post go elsewhere (assumption): a replacement starts with an empty in-tray.
    if (wk.vacant_until[w] >= 0) continue;
    Rng rng(s_.seed, Purpose::kAdminTasks, w, day);
    const std::uint32_t n = rng.poisson(gp.admin_tasks_per_day);
    double arrived = 0;
    for (std::uint32_t i = 0; i < n; ++i) arrived += rng.exponential(gp.admin_task_hours);
    wk.admin_backlog[w] += static_cast<float>(arrived);
    const double admin = std::min<double>(wk.admin_backlog[w], capacity);
    wk.admin_backlog[w] -= static_cast<float>(admin);
    // Scheduled visits come after the tasks and before cases.
    const double visits = std::min(s_.levers.scheduled_visit_hours, capacity - admin);
    admin_today_[w] = static_cast<float>(admin);
    visit_today_[w] = static_cast<float>(visits);
    free_today_[w] = static_cast<float>(capacity - admin - visits);
  }
}

}  // namespace govsim
