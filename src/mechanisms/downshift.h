// Workload down-shifting (事务下沉, seeds 002 and 003): administrative duties pushed from government down to
// communities and their grid workers, in three variants:
//   tasks    - the tasks alone ("tasks moved down but responsibility and resources not", seed 003);
//   staffed  - the tasks with the staff and funds to do them (extra staff hours for every grid worker);
//   capped   - the tasks filtered by a duty list: only listed duties reach the workers. Seed 003 proposes the
//              list ("梳理工作职责清单", for grid workers), seed 004 the burden reduction ("社區(qū)減負(fù)").
// The mechanism adds tasks to the workers' in-trays; its effects (less time for residents, overtime,
// fatigue, turnover) follow from the core's time budget, not from a penalty of its own.
#pragma once

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
    "capped: share of the pushed-down task hours that are on the community's duty list")

struct DownshiftParams {
  GOVSIM_DOWNSHIFT_PARAMS(GOVSIM_DECLARE_FIELD)
};

class Downshift : public Mechanism {
 public:
  static constexpr const char* kName = "downshift";
  enum class Variant { kTasks, kStaffed, kCapped };
  explicit Downshift(const DownshiftParams& p);
  std::string name() const override { return kName; }
  static constexpr PhaseMask kPhases = phase_mask(Phase::kDemand);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;
  Variant variant() const { return variant_; }
  // Task hours reaching each worker per day on average, after the duty list.
  double task_hours_per_worker() const;

 private:
  DownshiftParams p_;
  Variant variant_;
};

}  // namespace govsim
