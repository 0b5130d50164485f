// Professional community social workers (社工), Runzhou district, Zhenjiang (seed 001): 18.4 social workers
// per 10,000 resident population (每万名常住人口社工拥有量达18.4人), average monthly pay up 40% or more
// (社工月平均待遇涨幅40%以上) with six positive incentive measures (明确6项正向激励举措). The social workers add
// case hours to the community level of the ladder, in proportion to each community's residents, and the pay
// rise lowers turnover. The core has no separate social-worker workforce with turnover of its own, so the pay
// rise acts on the grid workers' quit probability: our reading, since the seed's rise is for community social
// workers, not grid workers (SEED_FIGURES.md, section D). The social workers' pay is the mechanism's cost.
#pragma once

#include <vector>

#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_SOCIAL_WORKERS_PARAMS(X)                                                                      \
  X(per_10k_residents, Real, 18.4, 0, 10000, "staff/10,000 residents",                                     \
    "seed 001: 18.4 social workers per 10,000 residents (Runzhou)",                                          \
    "Community social workers per 10,000 residents")                                                         \
  X(hours_per_worker_day, Real, 6, 0, 24, "hours/staff/day", "assumption",                                   \
    "Case hours a social worker gives to the community level's queue per day")                               \
  X(pay_rise, Real, 0.4, 0, 10, "share", "seed 001: social workers' average monthly pay up 40%+ (Runzhou)",   \
    "Rise in pay, as a share of the pay before it")                                                          \
  X(pay_elasticity, Real, 1.5, 0, 10, "-", "assumption",                                                     \
    "Elasticity of the daily quit probability to pay: quit x (1 + pay_rise)^(-pay_elasticity); applied to grid workers") \
  X(monthly_pay_yuan, Real, 6000, 0, 1.0e6, "yuan/staff/month", "assumption",                                \
    "A social worker's monthly pay before the rise")

struct SocialWorkersParams {
  GOVSIM_SOCIAL_WORKERS_PARAMS(GOVSIM_DECLARE_FIELD)
};

class SocialWorkers : public Mechanism {
 public:
  static constexpr const char* kName = "social_workers";
  explicit SocialWorkers(const SocialWorkersParams& p) : p_(p) {}
  std::string name() const override { return kName; }
  // Levers set once, in initialize; each day's pay is recorded in the mechanisms phase (cost accounting).
  static constexpr PhaseMask kPhases = phase_mask(Phase::kMechanisms);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;

  // (1 + pay_rise)^(-pay_elasticity), the factor on every grid worker's daily quit probability.
  double quit_factor() const;
  double staff() const;          // social workers in the district (fractional)
  double cost_per_day() const;   // yuan/day

 private:
  SocialWorkersParams p_;
  std::vector<double> staff_;  // per community
};

}  // namespace govsim
