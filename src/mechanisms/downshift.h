// Workload down-shifting (事务下沉, seeds 002 and 003): administrative duties pushed from government down to
// communities and their grid workers, in three variants:
//   tasks    - the tasks alone ("tasks moved down but responsibility and resources not", seed 003);
//   staffed  - the tasks with the staff and funds to do them (extra staff hours for every grid worker);
//   capped   - the tasks filtered by a duty list: only listed duties reach the workers. Seed 003 proposes the
//              list ("梳理工作职责清单", for grid workers), seed 004 the burden reduction ("社區(qū)減負(fù)").
// The mechanism adds tasks to the workers' in-trays; their effects (less time for residents, overtime,
// fatigue, turnover, and the workers' willingness) follow from the core's time budget, not from a penalty of
// its own. Its failure mode is its own. Seed 003: 一些下沉至社区的事项超出了基层的承担能力 …
// “事务下沉,但责任没有下沉” … 常常有“无能为力”的感觉. Without the authority (tasks; capped for the listed
// share), some of the hard problems that reach the community are the community's on paper: it holds them,
// powerless, for stuck_days, then bounces them back up the ladder. With responsibility and resources moved
// too (staffed) nothing is stuck.
#pragma once

#include <cstdint>
#include <vector>

#include "model/cases.h"
#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_DOWNSHIFT_PARAMS(X)                                                                            \
  X(variant, Str, "tasks", 0, 0, "-", "seeds 002, 003, 004", "tasks, staffed or capped")                     \
  X(extra_task_hours, Real, 2.5, 0, 24, "hours/worker/day", "assumption (seed 002: 212 major / 312 minor duties)", \
    "Administrative hours pushed down per grid worker per day")                                             \
  X(staff_coverage, Real, 1.0, 0, 10, "x", "assumption",                                                     \
    "staffed: staff hours moved down per hour of tasks moved down")                                         \
  X(duty_list_share, Real, 0.4, 0, 1, "share",                                                              \
    "assumption (seed 003: a duty list, 职责清单; seed 004: burden reduction, 減負; no share given)",        \
    "capped: share of the pushed-down task hours that are on the community's duty list")                    \
  X(beyond_authority_share, Real, 0.25, 0, 1, "share",                                                       \
    "assumption (seed 003: 一些下沉至社区的事项超出了基层的承担能力 … 时有发生; 'some', no share given)",     \
    "tasks, capped: share of the hard problems reaching the community moved down to it without the "      \
    "authority to settle them (capped: times duty_list_share)")                                             \
  X(stuck_days, Int, 14, 0, 3650, "days",                                                                    \
    "assumption (seed 003: 常常有“无能为力”的感觉; no duration given)",                                         \
    "Days the community holds such a problem, powerless, before it bounces it back up the ladder")

struct DownshiftParams {
  GOVSIM_DOWNSHIFT_PARAMS(GOVSIM_DECLARE_FIELD)
};

class Downshift : public Mechanism {
 public:
  static constexpr const char* kName = "downshift";
  enum class Variant { kTasks, kStaffed, kCapped };
  explicit Downshift(const DownshiftParams& p);
  std::string name() const override { return kName; }
  // Demand: tasks into the in-trays; escalation: hard problems reaching the community, stuck or bounced.
  static constexpr PhaseMask kPhases = phase_mask(Phase::kDemand, Phase::kEscalation);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;
  void outcomes(std::vector<std::pair<std::string, double>>& out) const override;
  Variant variant() const { return variant_; }
  // Task hours reaching each worker per day on average, after the duty list.
  double task_hours_per_worker() const;
  // Chance that a hard problem reaching the community is one moved down without the authority to settle it.
  double stuck_share() const;

 private:
  struct Stuck {
    CaseHandle handle;
    std::int32_t due;  // the day it is bounced back up
  };
  struct Flows {  // per community, today
    double stuck = 0, bounced = 0;
  };
  void add_tasks(DayApi& api);
  void hold_arrivals(DayApi& api, std::uint32_t c);
  void bounce_due(DayApi& api, std::uint32_t c);

  DownshiftParams p_;
  Variant variant_;
  std::vector<std::vector<Stuck>> stuck_;  // per community: held, powerless
  std::vector<Flows> flows_;
  double total_stuck_ = 0, total_bounced_ = 0;
};

}  // namespace govsim
