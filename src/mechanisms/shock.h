// A shock: an epidemic or a disaster (MODEL.md mechanism 10; seed 001: "突发疫情时1400余名在职党员3小时内就地转岗",
// the epidemic in which Runzhou redeployed its in-service members). For `duration_days` from `start_day` every
// kind of demand arrives at a multiple of its usual rate and every grid worker in post receives urgent tasks on
// top of the usual administrative ones. While it lasts the mechanism announces an emergency in the day's
// conditions (DayConditions), so that other mechanisms (dual registration's surge) can react. Resilience is measured as
// run-level outcomes: the peak of the open backlog from the shock's start, and the days from the shock's end
// until the backlog is back within a tolerance of its level on the day before the shock.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/world.h"
#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_SHOCK_PARAMS(X)                                                                                  \
  X(start_day, Int, 200, 0, 36500, "day", "assumption", "First day of the shock (days from the start of the run)") \
  X(duration_days, Int, 60, 1, 36500, "days", "assumption", "Days the shock lasts")                             \
  X(demand_multiplier_household, Real, 2.0, 0, 100, "x", "assumption",                                          \
    "Household affairs (家事) arrive at this multiple of their usual rate during the shock")                     \
  X(demand_multiplier_shared, Real, 2.0, 0, 100, "x", "assumption",                                             \
    "Shared affairs (共事) arrive at this multiple of their usual rate during the shock")                        \
  X(demand_multiplier_public, Real, 2.0, 0, 100, "x", "assumption",                                             \
    "Public affairs (公事) arrive at this multiple of their usual rate during the shock")                        \
  X(urgent_task_hours, Real, 2.0, 0, 24, "hours/worker/day", "assumption",                                      \
    "Urgent task hours added to each grid worker's administrative backlog per day during the shock")          \
  X(recovery_tolerance, Real, 0.05, 0, 10, "share", "assumption",                                               \
    "Recovered when the open backlog is at most (1 + tolerance) times its level on the day before the shock")

struct ShockParams {
  GOVSIM_SHOCK_PARAMS(GOVSIM_DECLARE_FIELD)
};

class Shock : public Mechanism {
 public:
  static constexpr const char* kName = "shock";
  explicit Shock(const ShockParams& p) : p_(p) {}
  std::string name() const override { return kName; }
  static constexpr PhaseMask kPhases = phase_mask(Phase::kDemand, Phase::kRecording);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;
  void outcomes(std::vector<std::pair<std::string, double>>& out) const override;

  // Whether day d lies in the shock: start_day <= d < start_day + duration_days.
  bool active_on(int day) const;
  // The district's open backlog (reported cases not closed, all kinds) at the end of each recorded day.
  const std::vector<double>& backlog() const { return backlog_; }
  double pre_backlog() const { return pre_; }
  double peak_backlog() const { return peak_; }
  int peak_day() const { return peak_day_; }
  // Days from the shock's last day until the backlog is back within tolerance; -1 if not (yet).
  int days_to_recover() const { return recovered_day_ < 0 ? -1 : recovered_day_ - end_day() + 1; }

 private:
  int end_day() const { return static_cast<int>(p_.start_day + p_.duration_days); }  // first day after
  void set_active(DayApi& api, bool on);
  void urgent_tasks(DayApi& api);
  void track(DayApi& api);

  ShockParams p_;
  bool active_ = false;
  std::array<double, kKinds> saved_{}, applied_{};  // demand multipliers before and after the shock's
  int saved_start_day_ = -1;
  std::vector<double> task_hours_;  // per community, today
  std::vector<double> worker_hours_;  // per worker, today (summed serially)
  std::vector<double> backlog_;
  double pre_ = 0.0;  // the backlog at the end of the day before the shock (0, the empty start, if it starts on day 0)
  double peak_ = -1.0;
  int peak_day_ = -1;
  double excess_ = 0.0;  // backlog-days above the pre-shock level, from the first day of the shock
  int recovered_day_ = -1;
};

}  // namespace govsim
