#include <gtest/gtest.h>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/downshift.h"
#include "model/simulation.h"

namespace govsim {
namespace {

DownshiftParams params(const char* variant, double hours) {
  DownshiftParams p = testing::mechanism_defaults().downshift;
  p.variant = variant;
  p.extra_task_hours = hours;
  return p;
}

TEST(Downshift, StaffMovedDownWorkAlongsideThePostHolder) {
  // No task arrives (task size 0), so only the staff count: 8 h + 2 h per day, worked in parallel.
  Params pp = testing::quiet_params(3);
  pp.grid.admin_task_hours = 0;
  for (const char* variant : {"tasks", "staffed"}) {
    Simulation sim(pp, testing::tiny_world({1}, 1), 1);
    sim.add_mechanism(std::make_unique<Downshift>(params(variant, 2.0)));
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 10.0f, 10.0f);
    testing::finish_day(sim);
    sim.step();
    sim.step();
    if (std::string(variant) == "staffed") {
      EXPECT_DOUBLE_EQ(sim.levers().extra_worker_hours, 2.0);
      // Day 1: 10 h of capacity close the 10 h case; a team of 10/8 posts: 08:00 + 10 / 1.25 = 16:00,
      // so 24 + 16 - 10 = 30 h.
      EXPECT_EQ(sim.recorder().at("new_resolved", 1), 1);
      EXPECT_DOUBLE_EQ(sim.recorder().at("mean_resolution_hours", 1), 30.0);
      EXPECT_DOUBLE_EQ(sim.recorder().at("mean_gw_utilisation", 1), 1.0);
    } else {
      // Day 1: 8 h; day 2: the last 2 h, done at 10:00: 48 + 10 - 10 = 48 h.
      EXPECT_EQ(sim.recorder().at("new_resolved", 1), 0);
      EXPECT_DOUBLE_EQ(sim.recorder().at("mean_resolution_hours", 2), 48.0);
    }
  }
}

TEST(Downshift, TaskHoursArriveAtTheDeclaredRate) {
  Params pp = testing::quiet_params(2000);
  pp.grid.admin_task_hours = 1.5;
  pp.grid.max_overtime_hours = 16;  // never a backlog: arrivals are done the same day
  for (auto [variant, expect] : {std::pair{"tasks", 2.5}, std::pair{"capped", 2.5 * 0.4}}) {
    Simulation sim(pp, testing::tiny_world({1}, 1), 5);
    sim.add_mechanism(std::make_unique<Downshift>(params(variant, 2.5)));
    sim.run();
    double total = 0;
    for (int d = 0; d < 2000; ++d) total += sim.recorder().at("new_admin_hours", d);
    // Compound Poisson: daily sd about sqrt(rate * 2 * 1.5^2); the mean of 2000 days is within 4 sd.
    const double sd = std::sqrt(expect / 1.5 * 2 * 1.5 * 1.5 / 2000);
    EXPECT_NEAR(total / 2000, expect, 4 * sd) << variant;
  }
}

// One street-level problem on a quiet world; no tasks arrive (0 h), so the variants differ only in authority.
// Day 1 the grid assesses it and passes it up; it reaches the community at the end of day 1.
TEST(Downshift, AProblemMovedDownWithoutTheAuthorityIsStuckThenBounced) {
  double hours[2] = {0, 0};
  int i = 0;
  for (const char* variant : {"staffed", "tasks"}) {
    DownshiftParams dp = params(variant, 0.0);
    dp.beyond_authority_share = 1.0;  // every hard problem reaching the community was moved down to it
    dp.stuck_days = 5;
    Simulation sim(testing::quiet_params(30), testing::tiny_world({1}, 1), 1);
    sim.add_mechanism(std::make_unique<Downshift>(dp));
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kPublic, Level::kStreet, 4.0f, 10.0f);
    testing::finish_day(sim);
    for (int d = 1; d < 30; ++d) sim.step();
    const auto& r = sim.recorder();
    EXPECT_EQ(r.at("cum_resolved", 29), 1) << variant;
    for (int d = 0; d < 30; ++d)
      if (r.at("new_resolved", d) == 1) hours[i] = r.at("mean_hard_resolution_hours", d);
    if (i == 0) {
      // Staffed: the authority came down with the tasks; nothing is stuck.
      EXPECT_EQ(r.at("cum_ds_bounced", 29), 0);
      EXPECT_EQ(r.at("n_ds_stuck", 1), 0);
    } else {
      // Tasks: held at the community from the end of day 1 (stuck) until day 6, when it is bounced back to
      // the community's queue; the community assesses it on day 7 instead of day 2 and passes it up.
      EXPECT_EQ(r.at("new_ds_stuck", 1), 1);
      EXPECT_EQ(r.at("n_ds_stuck", 1), 1);
      EXPECT_EQ(r.at("n_ds_stuck", 5), 1);
      EXPECT_EQ(r.at("new_ds_bounced", 5), 0);
      EXPECT_EQ(r.at("new_ds_bounced", 6), 1);
      EXPECT_EQ(r.at("n_ds_stuck", 6), 0);
      EXPECT_EQ(r.at("n_cases_at_community", 3), 0);  // held: at no level
      EXPECT_EQ(r.at("new_escalated", 2), 0);
      EXPECT_EQ(r.at("new_escalated", 7), 1);
      EXPECT_EQ(r.at("cum_ds_bounced", 29), 1);
    }
    ++i;
  }
  // The same work, five days later.
  EXPECT_GT(hours[0], 0);
  EXPECT_DOUBLE_EQ(hours[1] - hours[0], 5 * 24.0);
}

// Under common random numbers (same seed, same world, same arrivals), tasks-only down-shifting closes hard
// problems later than staffed, and the delay is the bounces': the same tasks with nothing moved down beyond
// the community's authority close them about as fast as staffed.
TEST(Downshift, WithoutAuthorityHardProblemsCloseLaterBecauseTheyAreBounced) {
  Params pp = testing::small_district(4, 365);
  const World base = generate_world(pp, 11);
  auto run = [&](const char* variant, double share) {
    DownshiftParams dp = testing::mechanism_defaults().downshift;
    dp.variant = variant;
    dp.beyond_authority_share = share;
    dp.stuck_days = 60;  // long enough that the bounces dominate the run-to-run noise of 4 communities
    Simulation sim(pp, base, 11);
    sim.add_mechanism(std::make_unique<Downshift>(dp));
    sim.run();
    const auto& r = sim.recorder();
    double closed = 0, hours = 0;
    for (int d = 0; d < 365; ++d) {
      const double n = r.at("new_hard_problems_closed", d);
      if (n > 0) {
        closed += n;
        hours += n * r.at("mean_hard_resolution_hours", d);
      }
    }
    return std::pair{hours / closed, r.at("cum_ds_bounced", 364)};
  };
  const auto [tasks_h, tasks_b] = run("tasks", 0.5);
  const auto [staffed_h, staffed_b] = run("staffed", 0.5);
  const auto [noauth_h, noauth_b] = run("tasks", 0.0);
  EXPECT_GT(tasks_b, 20);   // bounces in the tasks variant...
  EXPECT_EQ(staffed_b, 0);  // ...none when responsibility and resources come down too
  EXPECT_EQ(noauth_b, 0);
  EXPECT_GT(tasks_h, staffed_h + 24 * 10);  // at least ten days later on average
  // The same tasks with nothing moved down beyond the community's authority: the delay goes with the bounces.
  EXPECT_GT(tasks_h, noauth_h + 24 * 10);
  EXPECT_NEAR(noauth_h, staffed_h, 0.25 * staffed_h);
}

TEST(Downshift, UnknownVariantIsAnInputError) {
  MechanismParams m;
  ParamRegistry reg;
  bind_mechanism_params(reg, m);
  EXPECT_THROW(reg.set("downshift.variant", "everything", "test.ini:3"), InputError);
  try {
    reg.set("downshift.variant", "everything", "test.ini:3");
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test.ini:3: key 'downshift.variant': 'everything' is not one of tasks, staffed, capped"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace govsim
