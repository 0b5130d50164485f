#include <gtest/gtest.h>

#include "../tiny_world.h"
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
