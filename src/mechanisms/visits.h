// Visits (联访 / 五必联 / 三下沉): scheduled door-to-door visiting. Fuyang's big committees visited
// "走訪群眾3萬余戶、召開座談會240余次" (30,000+ households and 240+ forums in one month, seed 000) under the
// "五必聯(lián)" rule (five kinds of household always visited), and Fuxing's community cadres go down every week
// ("社区党员领导干部每周定期深入基层调研", seed 003). The mechanism sets the core's visit levers:
//   scheduled visiting hours for every grid worker, done after administrative tasks and before cases
//     (so they cost case time and count as work);
//   weekly cadre visits, spread evenly over the community's grids and days as whole households per grid per
//     day (cumulative rounding, no random numbers);
//   awareness: a visited household's first resident learns of the big Party committee with a set chance.
// Visits find every unreported demand of the visited household (the core's rule for all visits). Costs: the
// workers' scheduled hours and the cadres' hours (docs/ODD.md, visits).
#pragma once

#include <vector>

#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_VISITS_PARAMS(X)                                                                               \
  X(scheduled_hours_per_worker_week, Real, 5, 0, 84, "hours/worker/week",                                    \
    "assumption (scale of seed 000's ~600 households per community in May 2019, visited by cadres)",         \
    "Scheduled visiting hours per grid worker per week, done after administrative tasks and before cases")  \
  X(cadres_per_community, Real, 4, 0, 1000, "cadres/community", "assumption (seed 003: weekly cadre visits)",  \
    "Community cadres going down to visit households each week (三下沉)")                                    \
  X(cadre_households_per_week, Real, 10, 0, 1000, "households/cadre/week",                                   \
    "assumption (seed 003: cadres go down every week)", "Households each cadre visits per week")           \
  X(cadre_hours_per_household, Real, 0.5, 0, 24, "hours/household",                                          \
    "assumption (= 1 / grid.households_per_visit_hour at its default)", "Cadre hours per household visited") \
  X(awareness_per_visit, Real, 0.3, 0, 1, "probability", "assumption (seed 000: 84.2% aware of the committee)", \
    "Chance that a visited household's first resident becomes aware of the big Party committee")

struct VisitsParams {
  GOVSIM_VISITS_PARAMS(GOVSIM_DECLARE_FIELD)
};

class Visits : public Mechanism {
 public:
  static constexpr const char* kName = "visits";
  explicit Visits(const VisitsParams& p) : p_(p) {}
  std::string name() const override { return kName; }
  // Cadre visits are planned for the day before the grids are worked in the handling phase.
  static constexpr PhaseMask kPhases = phase_mask(Phase::kAssignment);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;
  // Cadre household visits per grid per day on average.
  double cadre_visits_per_grid_day(std::uint32_t grids_in_community) const;

 private:
  VisitsParams p_;
  std::vector<double> due_;            // per grid: cadre visits due so far + 0.5, less those made
  std::vector<float> today_;           // per grid: cadre visits today (this mechanism's share of the lever)
  std::vector<double> cadre_visits_;   // per community: cadre visits today
};

}  // namespace govsim
