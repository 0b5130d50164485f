#include "mechanisms/downshift.h"

#include <stdexcept>

#include "core/rng.h"
#include "mechanisms/metric_helpers.h"
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

double Downshift::stuck_share() const {
  // Staffed moves the responsibility and resources with the tasks; the duty list lets only its share through.
  switch (variant_) {
    case Variant::kTasks:
      return p_.beyond_authority_share;
    case Variant::kStaffed:
      return 0.0;
    case Variant::kCapped:
      return p_.beyond_authority_share * p_.duty_list_share;
  }
  return 0.0;
}

void Downshift::initialize(DayApi& api) {
  // Staff moved down with the tasks add to every worker's normal hours (and so to utilisation's denominator).
  if (variant_ == Variant::kStaffed) api.levers().extra_worker_hours += p_.staff_coverage * p_.extra_task_hours;
  const auto C = api.world().communities.size();
  stuck_.assign(C, {});
  flows_.assign(C, {});
  using K = MetricKind;
  MetricDeclarer md(api);
  md.add("n_ds_stuck", K::kStock, "cases",
         "Hard problems moved down to a community without the authority to settle them, held there", false,
         [this](const Tally&, int c) {
           if (c >= 0) return static_cast<double>(stuck_[static_cast<std::size_t>(c)].size());
           double n = 0;
           for (const auto& v : stuck_) n += static_cast<double>(v.size());
           return n;
         });
  md.add(
      "new_ds_stuck", K::kFlow, "cases/day",
      "Hard problems reaching the community that were moved down to it without the authority to settle them",
      false, MetricDeclarer::flow(flows_, &Flows::stuck));
  md.add("new_ds_bounced", K::kFlow, "cases/day",
         "Hard problems the community, powerless, sent back up the ladder after holding them", true,
         MetricDeclarer::flow(flows_, &Flows::bounced));
  md.total("cum_ds_bounced", "new_ds_bounced", "cases", "Hard problems bounced back up since day 0");
}

void Downshift::act(Phase phase, DayApi& api) {
  if (phase == Phase::kDemand) {
    std::fill(flows_.begin(), flows_.end(), Flows{});  // yesterday's flows have been recorded
    add_tasks(api);
    return;
  }
  const auto C = static_cast<std::uint32_t>(api.world().communities.size());
  for (std::uint32_t c = 0; c < C; ++c) {
    hold_arrivals(api, c);
    bounce_due(api, c);
  }
}

void Downshift::add_tasks(DayApi& api) {
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

// Hard problems passed up from the grid today (queued at the community, joined at the end of today) are
// drawn once each, from their own stream, so common random numbers hold across variants.
void Downshift::hold_arrivals(DayApi& api, std::uint32_t c) {
  const double share = stuck_share();
  if (share <= 0) return;
  const int day = api.day();
  const CasePool& pool = api.cases(c);
  std::vector<CaseHandle> found;
  for (const std::uint32_t id : api.community_queue(c)) {
    const Case& k = pool[id];
    // Only the core's grid -> community moves set the end-of-day hour; returns and routes start the day.
    if (k.state != CaseState::kQueued || k.level != static_cast<std::uint8_t>(Level::kCommunity) ||
        !k.hard() || k.day_queued != day || k.hour_queued < 24.0f)
      continue;
    Rng rng(api.seed(), Purpose::kDownshiftAuthority, k.grid, static_cast<std::uint32_t>(k.day_raised),
            k.seq);
    if (rng.uniform() < share) found.push_back(api.handle(c, id));
  }
  for (const CaseHandle& h : found) {
    flows_[c].stuck += 1;
    total_stuck_ += 1;
    if (p_.stuck_days <= 0) {  // bounced at once: it goes on up as it would have
      flows_[c].bounced += 1;
      total_bounced_ += 1;
      continue;
    }
    api.hold(h);
    stuck_[c].push_back({h, day + static_cast<std::int32_t>(p_.stuck_days)});
  }
}

// A problem held stuck_days goes back to the community's queue, which assesses it again and passes it up.
// Held cases escape the ladder's abandonment, so one as old as the ladder waits is given back too (the sweep
// abandons it).
void Downshift::bounce_due(DayApi& api, std::uint32_t c) {
  const int day = api.day();
  const int abandon = static_cast<int>(api.params().ladder.abandon_days);
  auto& held = stuck_[c];
  std::size_t keep = 0;
  for (const Stuck& s : held) {
    const Case* k = api.find(s.handle, CaseState::kHeld);
    if (!k) continue;
    if (day >= s.due || day - k->day_reported >= abandon) {
      api.give_back(s.handle, day + 1);  // the community has worked today already
      flows_[c].bounced += 1;
      total_bounced_ += 1;
      continue;
    }
    held[keep++] = s;
  }
  held.resize(keep);
}

void Downshift::describe(AttributeSink& out) const {
  GOVSIM_DOWNSHIFT_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.number("task_hours_per_worker_day", task_hours_per_worker());
  out.number("stuck_share", stuck_share());
  out.text("summary",
           "Workload down-shifting (事务下沉): administrative tasks pushed down to grid workers; without the "
           "authority, hard problems moved down to the community are stuck there and bounced back up");
}

void Downshift::outcomes(std::vector<std::pair<std::string, double>>& out) const {
  out.emplace_back("ds_stuck", total_stuck_);
  out.emplace_back("ds_bounced", total_bounced_);
}

}  // namespace govsim
