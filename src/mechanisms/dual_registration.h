// Dual registration (双报到): in-service Party members, who work in organs and state-owned enterprises,
// register with the community they live in and give it volunteer time (seed 000:
// "已有8400多名在職黨員到所在社區(qū)報到"; seed 001: "1200余名在职党员认岗领责、组团服务"). Routinely,
// the active share of them give a few hours a month; in a shock they are mobilised, after a response delay,
// as surge capacity (seed 001: "突发疫情时1400余名在职党员3小时内就地转岗"). Their hours reach the grids
// of their community as volunteer hours, which the core spends on household and shared affairs at the grid
// before the grid workers' own time (docs/ODD.md §7.4). The response delay is drawn per community for each
// shock and reported as a run-level outcome. The seed's "within 3 hours" bounds it: no community's delay
// exceeds mobilisation_max_hours; how the delays spread below it is our assumption.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/world.h"

#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_DUAL_REGISTRATION_PARAMS(X)                                                                     \
  X(share_active, Real, 0.5, 0, 1, "share",                                                                    \
    "assumption (seed 001: 1,200+ members claim posts; no Runzhou member total is given)",                     \
    "Share of registered in-service members who volunteer routinely (the active pool)")                       \
  X(hours_per_active_member_month, Real, 4, 0, 744, "hours/member/month", "assumption",                        \
    "Routine volunteer hours of an active member per month (a month is 365/12 days)")                         \
  X(mobilisation_max_hours, Real, 3, 0, 8760, "hours",                                                         \
    "seed 001: 1,400+ members redeployed within 3 hours (3小时内), read as the longest delay",                 \
    "Longest delay from a shock's start (ladder.work_start_hour of its first day) to a community's surge")     \
  X(mobilisation_mean_share, Real, 0.5, 0, 1, "share of the longest",                                          \
    "assumption (seed 001 gives only the bound; 0.5: delays uniform below it)",                                \
    "Mean mobilisation delay as a share of the longest: delay = longest * U^((1 - m) / m), U uniform")         \
  X(surge_share, Real, 1.17, 0, 100, "x",                                                                      \
    "derived from seed 001: 1,400 redeployed / 1,200 claiming posts",                                          \
    "Members mobilised in a shock, as a multiple of the community's active pool")                             \
  X(surge_hours_per_member_day, Real, 4, 0, 24, "hours/member/day", "assumption",                              \
    "Volunteer hours of a mobilised member per day of the shock, on top of routine hours")

struct DualRegistrationParams {
  GOVSIM_DUAL_REGISTRATION_PARAMS(GOVSIM_DECLARE_FIELD)
};

class DualRegistration : public Mechanism {
 public:
  static constexpr const char* kName = "dual_registration";
  explicit DualRegistration(const DualRegistrationParams& p) : p_(p) {}
  std::string name() const override { return kName; }
  static constexpr PhaseMask kPhases = phase_mask(Phase::kAssignment);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;
  void outcomes(std::vector<std::pair<std::string, double>>& out) const override;

  // Per community: active members, members mobilised in a shock, and the delay drawn for the current shock.
  const std::vector<double>& active_members() const { return active_; }
  const std::vector<double>& surge_members() const { return surge_; }
  const std::vector<double>& delay_hours() const { return delay_; }
  // Share of day `day`'s working window after a mobilisation `delay` hours past the start of shock day `start`.
  static double surge_fraction(int day, int start, double delay, double working_hours);

 private:
  void draw_delays(DayApi& api, int start);

  DualRegistrationParams p_;
  std::vector<double> active_;        // per community: active members (routine pool)
  std::vector<std::array<double, kAgeBands>> active_by_age_;  // per community: of which by age band
  std::vector<double> surge_;         // per community: members mobilised in a shock
  std::vector<double> grid_weight_;   // per grid: its share of its community's households
  std::vector<float> mine_;           // per grid: hours this mechanism put into levers.volunteer_hours today
  std::vector<double> delay_;         // per community: mobilisation delay for the current shock (hours)
  std::vector<double> hours_today_;   // per community: volunteer hours offered today (routine + surge)
  std::vector<double> surge_today_;   // per community: of which surge
  std::vector<double> task_today_;    // per community: of the surge, hours on the grid workers' task backlog
  std::vector<double> mobilised_today_;  // per community: members mobilised today
  int delays_for_ = -1;               // the shock start the delays were drawn for
  std::vector<double> all_delays_;    // every community's delay of every shock (for the outcomes)
  double total_members_ = 0;
};

}  // namespace govsim
