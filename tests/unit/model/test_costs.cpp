// Cost accounting (docs/ODD.md §7.20): the hours recorded per level are the hours the work took (worked out
// by hand on tiny worlds), pay is for hours on duty, and with every mechanism on each hour and yuan is
// counted once, in the source it belongs to, every day.
#include <gtest/gtest.h>

#include <string>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/factory.h"
#include "mechanisms/social_workers.h"
#include "model/simulation.h"

namespace govsim {
namespace {

double at(const Simulation& sim, const std::string& name, int day) {
  return sim.recorder().at(name, day);
}

TEST(CostAccounting, HoursPerLevelAreTheWorkTheCasesTook) {
  // One community of two grids (two workers), one street. Four cases raised on day 0, one for each level,
  // with sizes 2, 3, 5 and 6 h. The grid resolves its own (2 h) and assesses the three others (3 x 0.25 h);
  // the community resolves its own (3 h) and assesses the two hard ones (2 x 0.5 h); the street resolves its
  // own (5 h, over two days at 4 h a day) and assesses the department's (0.5 h); the department does its 6 h.
  Simulation sim(testing::quiet_params(25), testing::tiny_world({2}, 10), 1);
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 2.0f, 9.0f);
  sim.raise_demand(0, 1, DemandKind::kShared, Level::kCommunity, 3.0f, 9.0f);
  sim.raise_demand(1, 0, DemandKind::kPublic, Level::kStreet, 5.0f, 9.0f);
  sim.raise_demand(1, 1, DemandKind::kPublic, Level::kDepartment, 6.0f, 9.0f);
  testing::finish_day(sim);
  while (sim.day() + 1 < 25) sim.step();
  const int T = 24;
  ASSERT_EQ(at(sim, "cum_resolved", T), 4);
  EXPECT_NEAR(at(sim, "cum_hours_grid", T), 2.75, 1e-6);
  EXPECT_NEAR(at(sim, "cum_hours_community", T), 4.0, 1e-6);
  EXPECT_NEAR(at(sim, "cum_hours_street", T), 5.5, 1e-6);
  EXPECT_NEAR(at(sim, "cum_hours_department", T), 6.0, 1e-6);
  for (const char* who : {"units", "cadres", "members", "social_workers"})
    EXPECT_EQ(at(sim, std::string("cum_hours_") + who, T), 0);
  // Pay for the hours on duty, every day, whatever the queues: 2 workers x 8 h x 30 + 1 x 4 h x 35
  // (community)
  // + 1 x 4 h x 50 (street) + 1 x 6 h x 60 (departments) = 480 + 140 + 200 + 360 = 1,180 yuan.
  for (int d = 0; d <= T; ++d) {
    EXPECT_DOUBLE_EQ(at(sim, "new_cost_yuan_pay", d), 1180.0) << "day " << d;
    EXPECT_DOUBLE_EQ(at(sim, "new_cost_yuan", d), 1180.0) << "day " << d;
    EXPECT_EQ(at(sim, "new_added_cost_yuan", d), 0) << "day " << d;
  }
  EXPECT_DOUBLE_EQ(at(sim, "cum_cost_yuan", T), 25 * 1180.0);
  const RunSummary s = sim.summary();
  EXPECT_DOUBLE_EQ(s.cost_myuan_year, 1180.0 * 365 / 1e6);
  EXPECT_DOUBLE_EQ(s.cost_per_resolved, 25 * 1180.0 / 4);
}

TEST(CostAccounting, SocialWorkersShareTheCommunityLevelsHours) {
  // One resident, one social worker (10,000 per 10,000) giving 4 h a day beside the community's 1 staff x 4
  // h: the community case's 6 h are theirs half and half. Pay: 6,000 yuan x 1.4 / 30 days = 280 yuan a day.
  Simulation sim(testing::quiet_params(6), testing::tiny_world({1}, 1), 1);
  SocialWorkersParams p = testing::mechanism_defaults().social_workers;
  p.per_10k_residents = 10000;
  p.hours_per_worker_day = 4;
  sim.add_mechanism(std::make_unique<SocialWorkers>(p));
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kShared, Level::kCommunity, 6.0f, 9.0f);
  testing::finish_day(sim);
  while (sim.day() + 1 < 6) sim.step();
  ASSERT_EQ(at(sim, "cum_resolved", 5), 1);
  EXPECT_NEAR(at(sim, "cum_hours_grid", 5), 0.25, 1e-6);
  EXPECT_NEAR(at(sim, "cum_hours_community", 5), 3.0, 1e-6);
  EXPECT_NEAR(at(sim, "cum_hours_social_workers", 5), 3.0, 1e-6);
  for (int d = 0; d < 6; ++d) {
    EXPECT_NEAR(at(sim, "new_cost_yuan_social_workers", d), 280.0, 1e-9);
    EXPECT_NEAR(at(sim, "new_added_cost_yuan", d), 280.0, 1e-9);
  }
}

TEST(CostAccounting, EveryHourAndYuanIsCountedOnceWithEveryMechanism) {
  Params p = testing::small_district(4, 200);
  MechanismParams mp = testing::mechanism_defaults();
  mp.shock.start_day = 60;  // members surge onto the workers' tasks
  mp.downshift.variant = "staffed";
  mp.joint_handling.listing = "monthly";
  Simulation sim(p, generate_world(p, 5), 5);
  for (const char* m : {"shock", "property_tiers", "digital_platform", "social_workers", "downshift",
                        "visits", "dual_registration", "triage", "joint_handling", "whistle"})
    sim.add_mechanism(create_mechanism(m, mp));
  sim.run();
  const auto& w = p.cost;
  const auto& lp = p.ladder;
  const double C = 4, S = static_cast<double>(sim.world().streets.size());
  const double staff_hours = mp.downshift.staff_coverage * mp.downshift.extra_task_hours;
  double seen[kPayers] = {};
  double cost = 0;
  const char* payers[kPayers] = {"grid",  "community", "street",  "department",
                                 "units", "cadres",    "members", "social_workers"};
  for (int d = 0; d < p.run.days; ++d) {
    auto v = [&](const char* name) { return at(sim, name, d); };
    SCOPED_TRACE("day " + std::to_string(d));
    // Hours: each level's are the hours its people spent, as the core and the mechanisms count them.
    EXPECT_NEAR(v("new_hours_grid"), v("new_admin_hours") + v("new_case_hours") + v("new_visit_hours"), 1e-6);
    EXPECT_NEAR(v("new_hours_units"), v("new_jh_unit_hours"), 1e-9);
    EXPECT_NEAR(v("new_hours_cadres"), v("new_jh_cadre_hours") + v("new_vi_cadre_hours"), 1e-9);
    EXPECT_NEAR(v("new_hours_members"), v("new_volunteer_hours") + v("new_dr_task_hours"), 1e-6);
    EXPECT_GE(v("new_hours_department") + 1e-9, v("new_wr_department_hours"));
    EXPECT_LE(v("new_hours_community") + v("new_hours_social_workers"),
              C * lp.community_staff * lp.community_hours + v("new_sw_hours") + 1e-6);
    // Money: the ladder's pay is for its staff on duty: the posts that worked today (in post tonight, or quit
    // today), the community, street and department staff; the rest by source.
    const double posts = v("n_workers_in_post") + v("new_quits");
    EXPECT_NEAR(v("new_cost_yuan_pay"),
                posts * p.grid.hours_per_day * w.wage_grid_per_hour +
                    C * lp.community_staff * lp.community_hours * w.wage_community_per_hour +
                    S * (lp.street_staff * lp.street_hours * w.wage_street_per_hour +
                         lp.department_staff_per_street * lp.department_hours * w.wage_department_per_hour),
                1e-6);
    EXPECT_NEAR(v("new_cost_yuan_staffed"), posts * staff_hours * w.wage_grid_per_hour, 1e-6);
    EXPECT_NEAR(v("new_cost_yuan_social_workers"), v("new_sw_cost_yuan"), 1e-6);
    EXPECT_NEAR(v("new_cost_yuan_co_building"), v("new_jh_unit_hours") * w.wage_unit_per_hour, 1e-6);
    EXPECT_NEAR(v("new_cost_yuan_cadres"), v("new_hours_cadres") * w.wage_cadre_per_hour, 1e-6);
    EXPECT_NEAR(v("new_cost_yuan_members"), v("new_dr_volunteer_hours") * w.wage_member_per_hour, 1e-6);
    EXPECT_NEAR(v("new_cost_yuan_property"), v("new_pr_cost_yuan"), 1e-6);
    double sum = 0;
    for (const char* s : {"pay", "staffed", "social_workers", "co_building", "cadres", "members", "property"})
      sum += v((std::string("new_cost_yuan_") + s).c_str());
    EXPECT_NEAR(v("new_cost_yuan"), sum, 1e-6);
    EXPECT_NEAR(v("new_added_cost_yuan"), sum - v("new_cost_yuan_pay"), 1e-6);
    for (int i = 0; i < kPayers; ++i) seen[i] += v((std::string("new_hours_") + payers[i]).c_str());
    cost += v("new_cost_yuan");
  }
  const int T = static_cast<int>(p.run.days) - 1;
  for (int i = 0; i < kPayers; ++i) {
    EXPECT_NEAR(at(sim, std::string("cum_hours_") + payers[i], T), seen[i], 1e-6 * (1 + seen[i]))
        << payers[i];
    EXPECT_GT(seen[i], 0) << payers[i] << ": every level spent hours in this run";
  }
  EXPECT_NEAR(at(sim, "cum_cost_yuan", T), cost, 1e-9 * cost);
}

// Wages are prices: under the same seed, raising one changes nothing that happens and raises the recorded
// cost.
TEST(CostAccounting, RaisingAWageChangesNothingButTheCost) {
  Params p = testing::small_district(3, 90);
  MechanismParams mp = testing::mechanism_defaults();
  mp.joint_handling.listing = "monthly";  // units take items within the 90 days
  auto run = [&](const Params& q) {
    Simulation sim(q, generate_world(q, 3), 3);
    for (const char* m :
         {"property_tiers", "social_workers", "visits", "dual_registration", "joint_handling", "whistle"})
      sim.add_mechanism(create_mechanism(m, mp));
    sim.run();
    return sim.summary();
  };
  const RunSummary base = run(p);
  double CostParams::*wages[] = {&CostParams::wage_grid_per_hour,   &CostParams::wage_community_per_hour,
                                 &CostParams::wage_street_per_hour, &CostParams::wage_department_per_hour,
                                 &CostParams::wage_unit_per_hour,   &CostParams::wage_cadre_per_hour,
                                 &CostParams::wage_member_per_hour};
  for (auto wage : wages) {
    SCOPED_TRACE("wage " + std::to_string(&wage - wages));
    Params q = p;
    q.cost.*wage *= 1.5;
    const RunSummary s = run(q);
    EXPECT_EQ(s.resolved, base.resolved);
    EXPECT_EQ(s.quits, base.quits);
    EXPECT_EQ(s.share_good, base.share_good);
    EXPECT_GT(s.cost_myuan_year, base.cost_myuan_year);
    EXPECT_GE(s.added_cost_myuan_year, base.added_cost_myuan_year);
  }
}

}  // namespace
}  // namespace govsim
