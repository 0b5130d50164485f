// Joint handling on hand-built worlds: one community, one grid, one resident, one co-building unit.
#include <gtest/gtest.h>

#include "../tiny_world.h"
#include "mechanisms/joint_handling.h"
#include "model/simulation.h"

namespace govsim {
namespace {

// A unit with capability 1, full engagement and 365 staff-days a year: 8 staff-hours a day.
World world_with_unit(float engagement) {
  World w = testing::tiny_world({1}, 1);
  w.residents[0].trust = 0.5f;
  w.units.type = {0};
  w.units.community = {0};
  w.units.engagement = {engagement};
  w.units.budget_staff_days = {365.0f};
  w.units.capability = {1.0f, 1.0f, 1.0f};
  return w;
}

JointHandlingParams every_day_params() {
  JointHandlingParams p = testing::mechanism_defaults().joint_handling;
  p.meeting_interval_days = 1;  // a meeting every day, each compiling a list
  p.listing = "monthly";
  p.list_min = p.list_max = 1;
  p.committee_min = p.committee_max = 3;  // one unit seat
  p.cohandlers = 0;
  p.campaign_days = 0;
  p.ask_cost = 0.0;
  p.recovery_rate = 0.0;
  p.recognition_gain = 0.0;
  p.publicity_reach = 1.0;  // the one resident hears
  p.trust_gain_met = 0.5;
  p.trust_loss_missed = 0.5;
  p.satisfaction_gain_met = 0.0;
  p.satisfaction_loss_missed = 0.0;
  return p;
}

struct JhRun {
  std::unique_ptr<Simulation> sim;
  JointHandling* jh;
};

JhRun start(const JointHandlingParams& jp, float engagement, int days) {
  JhRun r;
  r.sim = std::make_unique<Simulation>(testing::quiet_params(days), world_with_unit(engagement), 3);
  auto m = std::make_unique<JointHandling>(jp);
  r.jh = m.get();
  r.sim->add_mechanism(std::move(m));
  return r;
}

double at(const JhRun& r, const char* name, int day) { return r.sim->recorder().at(name, day); }

TEST(JointHandling, ListsAssignsAndClosesAHardProblemByItsDeadline) {
  JhRun r = start(every_day_params(), 1.0f, 4);
  r.sim->begin_day();
  // A street-level problem needing 8 staff-hours, reported at 10:00 on day 0.
  r.sim->raise_demand(0, 0, DemandKind::kShared, Level::kStreet, 8.0f, 10.0f);
  testing::finish_day(*r.sim);
  // Day 0: a report is not listed on its own day.
  EXPECT_EQ(at(r, "new_jh_listed", 0), 0);
  r.sim->step();
  // Day 1 (the grid passed it up in the handling phase): listed at the meeting, accepted (engagement 1: no
  // refusal), and the unit's 8 h close it at once: 08:00 + 8 h = 16:00, 24 + 16 - 10 = 30 h after the report.
  EXPECT_EQ(at(r, "new_jh_listed", 1), 1);
  EXPECT_EQ(at(r, "new_jh_assigned", 1), 1);
  EXPECT_EQ(at(r, "new_jh_closed", 1), 1);
  EXPECT_EQ(at(r, "new_hard_problems_closed", 1), 1);
  EXPECT_DOUBLE_EQ(at(r, "mean_resolution_hours", 1), 30.0);
  EXPECT_DOUBLE_EQ(at(r, "new_jh_unit_hours", 1), 8.0);
  EXPECT_EQ(at(r, "new_jh_deadlines_met", 1), 1);
  EXPECT_EQ(at(r, "n_open_cases", 1), 0);
  EXPECT_EQ(at(r, "n_jh_items_open", 1), 0);
  // The met deadline is published: the resident's trust 0.5 + 0.5 * (1 - 0.5); the resident's own resolution
  // in time (30 h < 240 h) gives back its grievance (none in quiet_params) and adds nothing.
  EXPECT_NEAR(r.sim->world().residents[0].trust, 0.75, 1e-6);
  EXPECT_TRUE(r.sim->world().residents[0].flags & kAware);
  r.sim->step();
  r.sim->step();
  EXPECT_EQ(at(r, "cum_jh_closed", 3), 1);
  EXPECT_EQ(at(r, "cum_jh_deadlines_met", 3), 1);
}

TEST(JointHandling, AMissedDeadlineIsPublishedEvenIfTheItemClosesThatDay) {
  JointHandlingParams jp = every_day_params();
  jp.deadline_days = 1;
  JhRun r = start(jp, 1.0f, 5);
  r.sim->begin_day();
  // 24 staff-hours at 8 h a day: listed on day 1, closes on day 3, after its deadline (day 1 + 1).
  r.sim->raise_demand(0, 0, DemandKind::kPublic, Level::kDepartment, 24.0f, 10.0f);
  testing::finish_day(*r.sim);
  r.sim->step();
  const float trust_before = r.sim->world().residents[0].trust;
  r.sim->step();
  EXPECT_EQ(at(r, "n_jh_items_open", 2), 1);
  EXPECT_EQ(at(r, "new_jh_deadlines_missed", 2), 0);
  r.sim->step();
  EXPECT_EQ(at(r, "new_jh_closed", 3), 1);
  EXPECT_EQ(at(r, "new_jh_deadlines_missed", 3), 1);
  EXPECT_EQ(at(r, "new_jh_deadlines_met", 3), 0);
  // Published miss: trust * (1 - 0.5); the resident's own case, closed 3*24 + 16 - 10 = 78 h after the
  // report, is within the 480 h expected for public affairs, which adds nothing.
  EXPECT_NEAR(r.sim->world().residents[0].trust, trust_before * 0.5, 1e-6);
}

TEST(JointHandling, AnItemNoUnitFinishesGoesBackToTheLadderAndIsAbandoned) {
  JointHandlingParams jp = every_day_params();
  JhRun r = start(jp, 1.0f, 8);
  r.sim->params().ladder.abandon_days = 4;
  r.sim->begin_day();
  // 800 staff-hours: the unit's 8 h a day cannot finish it before it has been open 4 days.
  r.sim->raise_demand(0, 0, DemandKind::kShared, Level::kStreet, 800.0f, 10.0f);
  testing::finish_day(*r.sim);
  for (int d = 1; d < 8; ++d) r.sim->step();
  EXPECT_EQ(at(r, "new_jh_assigned", 1), 1);
  EXPECT_EQ(at(r, "n_jh_items_open", 3), 1);
  // Day 4: open 4 days, returned to the ladder in the mechanisms phase; the next day's sweep abandons it.
  EXPECT_EQ(at(r, "new_jh_returned", 4), 1);
  EXPECT_EQ(at(r, "n_jh_items_open", 4), 0);
  EXPECT_EQ(at(r, "new_abandoned", 5), 1);
  EXPECT_EQ(at(r, "n_open_cases", 5), 0);
}

TEST(JointHandling, AnUnwillingUnitRefusesAndTheProblemStaysOnTheLadder) {
  JointHandlingParams jp = every_day_params();
  jp.ask_cost = 0.1;
  JhRun r = start(jp, 0.0f, 2);  // engagement 0: refuses with probability 1
  r.sim->begin_day();
  r.sim->raise_demand(0, 0, DemandKind::kShared, Level::kStreet, 8.0f, 10.0f);
  testing::finish_day(*r.sim);
  r.sim->step();
  EXPECT_EQ(at(r, "new_jh_listed", 1), 1);
  EXPECT_EQ(at(r, "new_jh_refused", 1), 1);
  EXPECT_EQ(at(r, "new_jh_assigned", 1), 0);
  EXPECT_EQ(at(r, "n_cases_at_community", 1), 1);  // still on the ladder
  EXPECT_FLOAT_EQ(r.sim->world().units.engagement[0], 0.0f);  // clamped at 0
}

TEST(JointHandling, EngagementDecaysWithAsksAndRecoversWithReciprocity) {
  JointHandlingParams jp = every_day_params();
  jp.ask_cost = 0.1;
  jp.recovery_rate = 0.5;
  jp.reciprocity = 0.0;  // one-way asks only
  JhRun r = start(jp, 0.8f, 2);
  r.sim->begin_day();
  r.sim->raise_demand(0, 0, DemandKind::kShared, Level::kStreet, 800.0f, 10.0f);
  testing::finish_day(*r.sim);
  r.sim->step();
  // No recovery without reciprocity; one ask (day 1): 0.8 - 0.1.
  EXPECT_NEAR(r.sim->world().units.engagement[0], 0.7f, 1e-6);

  jp.reciprocity = 1.0;
  JhRun q = start(jp, 0.8f, 2);
  q.sim->begin_day();
  q.sim->raise_demand(0, 0, DemandKind::kShared, Level::kStreet, 800.0f, 10.0f);
  testing::finish_day(*q.sim);
  q.sim->step();
  // Two days' recovery (0.8 -> 0.9 -> 0.95), then the ask on day 1 (0.95 - 0.1).
  EXPECT_NEAR(q.sim->world().units.engagement[0], 0.85f, 1e-6);
}

}  // namespace
}  // namespace govsim
