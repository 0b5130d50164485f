// Whistle-and-report on hand-built worlds (one street, one community, one grid, one resident who always
// reports; quiet_params: grid 8 h, community 1 x 4 h after 1 day, street 1 x 4 h after 2 days, departments
// 6 h per staff member), and its direction of effect on a small generated district.
#include <gtest/gtest.h>

#include <cmath>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/whistle.h"
#include "model/simulation.h"

namespace govsim {
namespace {

WhistleParams params(Int threshold) {
  WhistleParams p = testing::mechanism_defaults().whistle;
  p.threshold = threshold;
  p.report_delay_days = 1;
  p.summoned_hours = 16;
  return p;
}

struct WrRun {
  std::unique_ptr<Simulation> sim;
  Whistle* wr = nullptr;
  double at(const char* name, int day) const { return sim->recorder().at(name, day); }
};

// Two street-level public affairs of 6 h and 12 h reported at 10:00 on day 0. Day 1: the grid assesses both;
// day 2: the community assesses both; they reach the street queue in day 2's escalation phase, workable on
// day 4.
WrRun two_public_affairs(Int threshold, double department_staff, int days) {
  Params pp = testing::quiet_params(days);
  pp.ladder.department_staff_per_street = department_staff;
  WrRun r;
  r.sim = std::make_unique<Simulation>(pp, testing::tiny_world({1}, 1), 3);
  auto m = std::make_unique<Whistle>(params(threshold));
  r.wr = m.get();
  r.sim->add_mechanism(std::move(m));
  r.sim->begin_day();
  r.sim->raise_demand(0, 0, DemandKind::kPublic, Level::kStreet, 6.0f, 10.0f);
  r.sim->raise_demand(0, 0, DemandKind::kPublic, Level::kStreet, 12.0f, 10.0f);
  testing::finish_day(*r.sim);
  return r;
}

TEST(Whistle, SummonedDepartmentsWorkPublicAffairsAtTheStreet) {
  // Departments: 4 staff x 6 h = 24 h a day, so a summons gets its full 16 h.
  WrRun r = two_public_affairs(2, 4, 6);
  r.sim->step();
  r.sim->step();
  // Day 2: two public affairs queued at the street reach the threshold of 2: the whistle blows.
  EXPECT_EQ(r.at("new_wr_summons", 2), 1);
  EXPECT_EQ(r.at("n_wr_summons_active", 2), 1);
  EXPECT_EQ(r.at("new_wr_department_hours", 2), 0);  // the departments report tomorrow
  r.sim->step();
  // Day 3: 16 h. The 6 h case is done at 08:00 + 6 h x 6/16 = 10:15: 72 + 10.25 - 10 = 72.25 h; the 12 h case
  // gets the other 10 h and is held with 2 h left.
  EXPECT_EQ(r.at("new_wr_cases_taken", 3), 2);
  EXPECT_EQ(r.at("new_wr_resolved", 3), 1);
  EXPECT_DOUBLE_EQ(r.at("new_wr_department_hours", 3), 16.0);
  EXPECT_DOUBLE_EQ(r.at("mean_resolution_hours", 3), 72.25);
  EXPECT_DOUBLE_EQ(r.at("mean_wr_public_resolution_hours", 3), 72.25);
  EXPECT_EQ(r.at("n_wr_cases_held", 3), 1);
  EXPECT_EQ(r.at("n_cases_at_street", 3), 0);
  EXPECT_EQ(r.at("n_open_cases", 3), 1);
  // The 16 h are missing from the departments' own queue tomorrow.
  EXPECT_DOUBLE_EQ(r.sim->levers().department_extra_hours, -16.0);
  r.sim->step();
  // Day 4: the last 2 h, done at 08:00 + 6 h x 2/16 = 08:45: 96 + 8.75 - 10 = 94.75 h; the summons ends.
  EXPECT_EQ(r.at("new_wr_resolved", 4), 1);
  EXPECT_DOUBLE_EQ(r.at("new_wr_department_hours", 4), 2.0);
  EXPECT_DOUBLE_EQ(r.at("mean_wr_public_resolution_hours", 4), 94.75);
  EXPECT_EQ(r.at("n_wr_summons_active", 4), 0);
  EXPECT_EQ(r.at("n_open_cases", 4), 0);
  EXPECT_DOUBLE_EQ(r.sim->levers().department_extra_hours, -2.0);
  r.sim->step();
  EXPECT_DOUBLE_EQ(r.sim->levers().department_extra_hours, 0.0);
  EXPECT_DOUBLE_EQ(r.at("cum_wr_department_hours", 5), 18.0);
  EXPECT_EQ(r.at("cum_wr_summons", 5), 1);
  EXPECT_EQ(r.at("cum_wr_resolved", 5), 2);
  std::vector<std::pair<std::string, double>> out;
  r.wr->outcomes(out);
  for (const auto& [k, v] : out) {
    if (k == "wr_department_hours") {
      EXPECT_DOUBLE_EQ(v, 18.0);
    }
    if (k == "wr_mean_public_resolution_hours") {
      EXPECT_DOUBLE_EQ(v, (72.25 + 94.75) / 2);
    }
  }
}

TEST(Whistle, TheTeamIsNoLargerThanTheDepartments) {
  // Departments: 1 staff x 6 h: the team gets 6 h, a day's work of one member of staff, and the 6 h case is
  // done at 08:00 + 6 h x 6/6 = 14:00: 72 + 4 = 76 h. The 12 h case is not started.
  WrRun r = two_public_affairs(2, 1, 4);
  for (int i = 0; i < 3; ++i) r.sim->step();
  EXPECT_DOUBLE_EQ(r.at("new_wr_department_hours", 3), 6.0);
  EXPECT_EQ(r.at("new_wr_cases_taken", 3), 1);
  EXPECT_DOUBLE_EQ(r.at("mean_resolution_hours", 3), 76.0);
  EXPECT_EQ(r.at("n_cases_at_street", 3), 1);
  EXPECT_DOUBLE_EQ(r.sim->levers().department_extra_hours, -6.0);
}

TEST(Whistle, BelowTheThresholdNothingChanges) {
  // Threshold 3: no summons. The street works the 6 h case on days 4 and 5 (4 h a day): done on day 5 at
  // 08:00 + 4 h x 2/4 = 10:00, 120 h.
  WrRun r = two_public_affairs(3, 4, 6);
  for (int i = 0; i < 5; ++i) r.sim->step();
  EXPECT_EQ(r.at("cum_wr_summons", 5), 0);
  EXPECT_DOUBLE_EQ(r.at("mean_wr_public_resolution_hours", 5), 120.0);
  EXPECT_DOUBLE_EQ(r.at("mean_resolution_hours", 5), 120.0);
  EXPECT_DOUBLE_EQ(r.sim->levers().department_extra_hours, 0.0);
}

// Direction of effect on a small generated district (common random numbers): summoning shortens public
// affairs' resolution time, at a cost in department hours. A threshold never reached changes nothing.
TEST(Whistle, ShortensPublicAffairsResolutionAtACostInDepartmentHours) {
  const MechanismParams mech = testing::mechanism_defaults();
  Params p = testing::default_params();
  p.district.communities = 6;
  p.district.residents_per_community = 2000;
  p.district.in_service_members = 200;
  p.run.days = 240;
  struct Out {
    double public_hours, department_hours, resolved, share_good;
  };
  auto run = [&](Int threshold) {
    Simulation sim(p, generate_world(p, 2024), 2024);
    WhistleParams wp = mech.whistle;
    wp.threshold = threshold;
    auto m = std::make_unique<Whistle>(wp);
    const Whistle* wr = m.get();
    sim.add_mechanism(std::move(m));
    sim.run();
    Out o{};
    std::vector<std::pair<std::string, double>> out;
    wr->outcomes(out);
    for (const auto& [k, v] : out) {
      if (k == "wr_mean_public_resolution_hours") o.public_hours = v;
      if (k == "wr_department_hours") o.department_hours = v;
    }
    o.resolved = sim.summary().resolved;
    o.share_good = sim.summary().share_good;
    return o;
  };
  Simulation base(p, generate_world(p, 2024), 2024);
  base.run();
  const Out never = run(1000000), on = run(5);
  std::printf("public affairs' mean resolution (h): never %.1f, threshold 5: %.1f; department hours: %.0f\n",
              never.public_hours, on.public_hours, on.department_hours);
  EXPECT_EQ(never.department_hours, 0);
  EXPECT_EQ(never.resolved, base.summary().resolved);
  EXPECT_EQ(never.share_good, base.summary().share_good);
  EXPECT_LT(on.public_hours, never.public_hours);
  EXPECT_GT(on.department_hours, 0);
}

}  // namespace
}  // namespace govsim
