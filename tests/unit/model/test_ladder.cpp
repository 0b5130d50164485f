// The escalation ladder on a hand-built world; every expected number is worked out in the comments.
#include <gtest/gtest.h>

#include <cmath>

#include "../tiny_world.h"
#include "model/simulation.h"

namespace govsim {
namespace {

using testing::quiet_params;
using testing::tiny_world;

double series(const Simulation& sim, const char* name, int day) { return sim.recorder().at(name, day); }

TEST(Ladder, HandWorkedThreeCasesThroughEveryLevel) {
  Simulation sim(quiet_params(14), tiny_world({1}, 3), 7);
  // Day 0: three demands in one grid, in this order.
  sim.begin_day();
  // A: grid-level, 3 h of work, raised at 10:00.
  sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 3.0f, 10.0f);
  // B: street-level, 10 h of work, raised at 12:00.
  sim.raise_demand(0, 1, DemandKind::kShared, Level::kStreet, 10.0f, 12.0f);
  // C: department-level, 6 h of work, raised at 00:00.
  sim.raise_demand(0, 2, DemandKind::kPublic, Level::kDepartment, 6.0f, 0.0f);
  testing::finish_day(sim);
  for (int d = 1; d < 14; ++d) sim.step();

  // Day 0: all reported (participation 1, trust 1), none workable before day 1.
  EXPECT_EQ(series(sim, "new_reported", 0), 3);
  EXPECT_EQ(series(sim, "n_cases_at_grid", 0), 3);
  EXPECT_EQ(series(sim, "new_hard_problems", 0), 2);
  // Day 1: the worker's 8 h: A takes 3 h and closes at 08:00 + 3 h = 11:00, i.e. 24 + 11 - 10 = 25 h.
  // B and C are assessed (0.25 h each) and passed to the community.
  EXPECT_EQ(series(sim, "new_resolved", 1), 1);
  EXPECT_DOUBLE_EQ(series(sim, "mean_resolution_hours", 1), 25.0);
  EXPECT_EQ(series(sim, "new_escalated", 1), 2);
  EXPECT_EQ(series(sim, "n_cases_at_community", 1), 2);
  // Day 2 (community delay 1): both assessed (0.5 h each of 4 h), passed to the street (delay 2: day 4).
  EXPECT_EQ(series(sim, "new_escalated", 2), 2);
  EXPECT_EQ(series(sim, "n_cases_at_street", 2), 2);
  // Days 4-6: the street has 4 h/day. B needs 10 h: 4 + 4 + 2; FIFO holds C behind it.
  EXPECT_EQ(series(sim, "new_resolved", 4), 0);
  EXPECT_EQ(series(sim, "new_resolved", 5), 0);
  // Day 6: B done after 2 h of the street's 4 h day: 08:00 + 4 h * 2/4 = 10:00; 6*24 + 10 - 12 = 142 h.
  EXPECT_EQ(series(sim, "new_resolved", 6), 1);
  EXPECT_DOUBLE_EQ(series(sim, "mean_resolution_hours", 6), 142.0);
  EXPECT_EQ(series(sim, "new_hard_problems_closed", 6), 1);
  // C is assessed on day 6 (0.5 h) and reaches the department on day 6 + 5 = 11.
  EXPECT_EQ(series(sim, "n_cases_at_department", 6), 1);
  for (int d = 7; d <= 10; ++d) EXPECT_EQ(series(sim, "new_resolved", d), 0) << "day " << d;
  // Day 11: the department (1 staff x 1 street x 6 h) does C's 6 h: 08:00 + 6 = 14:00; 11*24 + 14 = 278 h.
  EXPECT_EQ(series(sim, "new_resolved", 11), 1);
  EXPECT_DOUBLE_EQ(series(sim, "mean_resolution_hours", 11), 278.0);
  EXPECT_EQ(series(sim, "cum_resolved", 13), 3);
  EXPECT_EQ(series(sim, "cum_hard_problems_closed", 13), 2);
  EXPECT_EQ(series(sim, "n_open_cases", 13), 0);
}

TEST(Ladder, AdministrativeTasksPreemptCases) {
  Simulation sim(quiet_params(4), tiny_world({1}, 1), 7);
  sim.world().workers.admin_backlog[0] = 7.0f;  // 7 h of tasks waiting on day 1
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 3.0f, 10.0f);
  testing::finish_day(sim);
  sim.step();  // days 1 to 3
  sim.step();
  sim.step();
  // Day 0: the 7 h of tasks are done first (no case is workable on day 0 anyway).
  EXPECT_DOUBLE_EQ(series(sim, "new_admin_hours", 0), 7.0);
  // Day 1: no tasks left, the case's 3 h close it at 08:00 + 3 h = 11:00: 24 + 11 - 10 = 25 h.
  EXPECT_DOUBLE_EQ(series(sim, "mean_resolution_hours", 1), 25.0);
}

TEST(Ladder, TasksArrivingTheSameDayLeaveOneHourForCases) {
  Params p = quiet_params(4);
  Simulation sim(p, tiny_world({1}, 1), 7);
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 3.0f, 10.0f);
  testing::finish_day(sim);
  // Day 1: 7 h of tasks land before the assignment phase; 1 h is left for the case (2 h remain).
  sim.begin_day();
  sim.run_phase(Phase::kDemand);
  sim.run_phase(Phase::kReporting);
  sim.world().workers.admin_backlog[0] = 7.0f;
  for (int ph = static_cast<int>(Phase::kAssignment); ph < kPhases; ++ph) sim.run_phase(static_cast<Phase>(ph));
  EXPECT_EQ(series(sim, "new_resolved", 1), 0);
  EXPECT_DOUBLE_EQ(series(sim, "new_admin_hours", 1), 7.0);
  EXPECT_DOUBLE_EQ(series(sim, "new_case_hours", 1), 1.0);
  EXPECT_DOUBLE_EQ(series(sim, "mean_gw_utilisation", 1), 1.0);
  // Day 2: the remaining 2 h close it at 10:00: 2*24 + 10 - 10 = 48 h.
  sim.step();
  EXPECT_EQ(series(sim, "new_resolved", 2), 1);
  EXPECT_DOUBLE_EQ(series(sim, "mean_resolution_hours", 2), 48.0);
}

TEST(Ladder, CasesOpenTooLongAreAbandoned) {
  Params p = quiet_params(10);
  p.ladder.abandon_days = 3;
  p.ladder.street_staff = 0;  // the street never works: the case can only be abandoned
  Simulation sim(p, tiny_world({1}, 1), 7);
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kShared, Level::kStreet, 5.0f, 9.0f);
  testing::finish_day(sim);
  for (int d = 1; d < 10; ++d) sim.step();
  // Raised day 0; at the escalation sweep of day 3 it has been open 3 days.
  EXPECT_EQ(series(sim, "new_abandoned", 2), 0);
  EXPECT_EQ(series(sim, "new_abandoned", 3), 1);
  EXPECT_EQ(series(sim, "cum_abandoned", 9), 1);
  EXPECT_EQ(series(sim, "n_open_cases", 3), 0);
  EXPECT_EQ(series(sim, "cum_resolved", 9), 0);
  // An abandoned case costs the resident loss_abandoned of their satisfaction: 0.5 * (1 - 0.3) = 0.35.
  EXPECT_NEAR(sim.world().residents[0].satisfaction, 0.35f, 1e-6);
}

TEST(Ladder, QuitLeavesAVacancyUntilTheReplacementStarts) {
  Params p = quiet_params(6);
  p.grid.quit_base_per_year = 1.0;  // certain to quit on day 0
  p.grid.replace_delay_days = 3;
  Simulation sim(p, tiny_world({1}, 1), 7);
  sim.step();
  sim.params().grid.quit_base_per_year = 0.0;  // the replacement stays
  for (int d = 1; d < 6; ++d) sim.step();
  EXPECT_EQ(series(sim, "new_quits", 0), 1);
  EXPECT_EQ(series(sim, "n_workers_in_post", 0), 0);
  EXPECT_EQ(series(sim, "n_vacancies", 1), 1);
  EXPECT_EQ(series(sim, "n_vacancies", 2), 1);
  EXPECT_EQ(series(sim, "new_hires", 3), 1);  // vacant until day 0 + 3
  EXPECT_EQ(series(sim, "n_workers_in_post", 4), 1);
  EXPECT_EQ(series(sim, "cum_quits", 5), 1);
  // The replacement is new: tenure counts from the day after hiring.
  EXPECT_FLOAT_EQ(sim.world().workers.tenure_days[0], 2.0f);
}

TEST(Opinion, AProblemResolvedInTimeGivesItsGrievanceBackAndNoMore) {
  Params p = quiet_params(3);
  p.opinion.grievance = 0.2;
  p.opinion.trust_coupling = 1.0;
  World w = tiny_world({1}, 2);
  w.residents[0].trust = w.residents[1].trust = w.residents[0].rest_trust = w.residents[1].rest_trust = 0.5f;
  w.residents[0].participation = 255;
  Simulation sim(p, std::move(w), 7);
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 1.0f, 10.0f);
  testing::finish_day(sim);
  const auto& r = sim.world().residents;
  // Raised: the problem takes 0.2 of satisfaction at once (0.5 -> 0.4) and as much of trust (coupling 1).
  EXPECT_FLOAT_EQ(r[0].satisfaction, 0.4f);
  EXPECT_FLOAT_EQ(r[0].trust, 0.4f);
  EXPECT_NEAR(series(sim, "mean_satisfaction", 0), 0.45, 1e-7);
  sim.step();  // resolved on day 1 after 23 h < 72 h expected
  // In time: the grievance comes back, and nothing more (a problem met in time is as if it never were).
  EXPECT_FLOAT_EQ(r[0].satisfaction, 0.5f);
  EXPECT_FLOAT_EQ(r[0].trust, 0.5f);
  EXPECT_FLOAT_EQ(r[1].satisfaction, 0.5f);
  EXPECT_NEAR(series(sim, "mean_satisfaction", 1), 0.5, 1e-7);
  EXPECT_DOUBLE_EQ(series(sim, "share_resolved_in_time", 1), 1.0);
}

TEST(Opinion, RelaxationIsCountedWithoutTouchingResidents) {
  // A resident pushed above the good threshold relaxes back below it; the share good follows on the day the
  // calendar says, with no experience on that day.
  Params p = quiet_params(40);
  p.opinion.memory_days = 10;
  World w = tiny_world({1}, 1);
  w.residents[0].rest_satisfaction = w.residents[0].satisfaction = 0.5f;
  Simulation sim(p, std::move(w), 7);
  sim.begin_day();
  sim.api().change_opinion(0, 0, 0.3, 0.0);  // 0.8 on day 0; below 0.6 once 0.3 e^{-n/10} < 0.1: n > 10.99
  testing::finish_day(sim);
  for (int d = 1; d < 40; ++d) sim.step();
  EXPECT_DOUBLE_EQ(series(sim, "share_good", 10), 1.0);
  EXPECT_DOUBLE_EQ(series(sim, "share_good", 11), 0.0);
  EXPECT_NEAR(series(sim, "mean_satisfaction", 20), 0.5 + 0.3 * std::exp(-2.0), 1e-6);
  EXPECT_NEAR(sim.api().satisfaction(0), 0.5 + 0.3 * std::exp(-3.9), 1e-6);
}

TEST(Opinion, AnOpenProblemCostsMoreTheLongerItStaysOpen) {
  // Open past its expected time, a problem costs satisfaction at each weekly review; closed late it costs less
  // than left open (common random numbers: the same world and demand, two endings).
  auto run = [](bool close_on_day_30) {
    Params p = quiet_params(60);
    p.opinion.open_cost_per_day = 0.01;
    p.opinion.expect_household_hours = 48;  // two days
    p.ladder.street_staff = 0;               // nobody can resolve it
    p.ladder.abandon_days = 1000;
    Simulation sim(p, tiny_world({1}, 1), 7);
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kStreet, 1.0f, 10.0f);
    testing::finish_day(sim);
    for (int d = 1; d < 60; ++d) {
      if (close_on_day_30 && d == 30) sim.params().ladder.street_staff = 10;
      sim.step();
    }
    return sim.api().satisfaction(0);
  };
  const double open_for_good = run(false), closed_late = run(true);
  EXPECT_LT(open_for_good, 0.5);
  EXPECT_LT(closed_late, 0.5);
  EXPECT_LT(open_for_good, closed_late);
}

TEST(Opinion, ReviewsDoubleTheirSpacingAndEveryDayIsChargedOnce) {
  // Reviews at 7, 14, 28, 56, ... days of age.
  EXPECT_TRUE(is_review_age(7));
  EXPECT_TRUE(is_review_age(14));
  EXPECT_FALSE(is_review_age(21));
  EXPECT_TRUE(is_review_age(28));
  EXPECT_FALSE(is_review_age(35));
  EXPECT_TRUE(is_review_age(448));
  EXPECT_FALSE(is_review_age(0));
  EXPECT_FALSE(is_review_age(3));
  // Charged intervals tile the age: every review (and a closing on any day) starts where the last review
  // ended, so a problem's cost is charged once however its reviews are spaced.
  for (int close = 1; close <= 1000; ++close) {
    int covered = 0;
    for (int a = 1; a < close; ++a)
      if (is_review_age(a)) {
        ASSERT_EQ(last_review_before(a), covered) << a;
        covered = a;
      }
    ASSERT_EQ(last_review_before(close), covered) << close;
    ASSERT_GE(first_review_age_from(close), close);
    ASSERT_TRUE(is_review_age(first_review_age_from(close)));
  }
}

TEST(Opinion, LateResolutionCostsMoreThanTheOverrunCap) {
  Params p = quiet_params(3);
  p.opinion.expect_household_hours = 10;  // resolved after 25 h: overrun 1.5 expectations
  p.opinion.loss_missed = 0.2;
  p.opinion.miss_cap = 1.0;  // capped at 1
  World w = tiny_world({1}, 1);
  Simulation sim(p, std::move(w), 7);
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 3.0f, 10.0f);
  testing::finish_day(sim);
  sim.step();
  // s = 0.5 - 0.2 * min(1.5, 1) * 0.5 = 0.4 (no grievance, no open cost in quiet_params).
  EXPECT_FLOAT_EQ(sim.world().residents[0].satisfaction, 0.4f);
  EXPECT_DOUBLE_EQ(series(sim, "share_resolved_in_time", 1), 0.0);
}

// Willingness (seed 003: top-down tasks weaken the willingness to respond to residents). Every day 6 h of
// tasks land in an 8 h day (no overtime): the load is 6 / 8 = 0.75, smoothed with time constant 30 days, so
// after n days it is 0.75 (1 - (29/30)^n) and willingness is 1 - (load - 0.5). Then the tasks stop and it
// recovers.
TEST(Ladder, WillingnessFallsUnderSustainedTasksAndRecovers) {
  const int days = 200;
  Simulation sim(quiet_params(days), tiny_world({1}, 1), 7);
  auto& wk = sim.world().workers;
  // Plenty of grid work waiting, so the hours the worker gives to cases are all used.
  sim.begin_day();
  for (int i = 0; i < 40; ++i) sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 10.0f, 9.0f);
  wk.admin_backlog[0] = 6.0f;
  testing::finish_day(sim);
  auto day_with_tasks = [&](double hours) {
    sim.begin_day();
    sim.run_phase(Phase::kDemand);
    sim.api().add_task_hours(0, hours);
    for (int ph = static_cast<int>(Phase::kReporting); ph < kPhases; ++ph)
      sim.run_phase(static_cast<Phase>(ph));
  };
  for (int d = 1; d < 60; ++d) day_with_tasks(6.0);
  const double load = 0.75 * (1.0 - std::pow(29.0 / 30.0, 60));
  EXPECT_NEAR(wk.task_load[0], load, 1e-5);
  EXPECT_NEAR(wk.willingness[0], 1.0 - (load - 0.5), 1e-5);
  EXPECT_NEAR(series(sim, "mean_gw_willingness", 59), 1.0 - (load - 0.5), 1e-5);
  // Falling once the load has passed the threshold (after day 32: 0.75 (1 - (29/30)^33) > 0.5).
  EXPECT_EQ(series(sim, "mean_gw_willingness", 20), 1.0);
  EXPECT_LT(series(sim, "mean_gw_willingness", 59), series(sim, "mean_gw_willingness", 40));
  EXPECT_LT(series(sim, "mean_gw_willingness", 40), 1.0);
  // Day 59's case hours: the 2 h left after tasks, times yesterday's willingness.
  const double w58 = series(sim, "mean_gw_willingness", 58);
  EXPECT_NEAR(series(sim, "new_case_hours", 59), 2.0 * w58, 1e-5);
  EXPECT_NEAR(series(sim, "mean_gw_utilisation", 59), (6.0 + 2.0 * w58) / 8.0, 1e-5);
  // The tasks stop: the load decays as load (29/30)^n and willingness is back to 1 once it is under 0.5.
  for (int d = 60; d < days; ++d) day_with_tasks(0.0);
  EXPECT_GT(series(sim, "mean_gw_willingness", 65), series(sim, "mean_gw_willingness", 59));
  const int back = 59 + static_cast<int>(std::ceil(std::log(0.5 / load) / std::log(29.0 / 30.0)));
  EXPECT_LT(series(sim, "mean_gw_willingness", back - 1), 1.0);
  EXPECT_EQ(series(sim, "mean_gw_willingness", back), 1.0);
  EXPECT_EQ(series(sim, "mean_gw_willingness", days - 1), 1.0);
}

}  // namespace
}  // namespace govsim
