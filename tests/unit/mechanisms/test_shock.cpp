// The shock on hand-built worlds (one grid, one worker) and on a small generated district.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/shock.h"
#include "model/simulation.h"
#include "params/config.h"

namespace govsim {
namespace {

ShockParams shock_params(int start, int duration) {
  ShockParams p = testing::mechanism_defaults<ShockParams>(Shock::kName);
  p.start_day = start;
  p.duration_days = duration;
  return p;
}

std::map<std::string, double> outcomes_of(const Mechanism& m) {
  std::vector<std::pair<std::string, double>> v;
  m.outcomes(v);
  return {v.begin(), v.end()};
}

TEST(Shock, MultipliesDemandRatesAndSetsTheShockLeversOnlyWhileItLasts) {
  ShockParams sp = shock_params(2, 3);  // days 2, 3 and 4
  sp.demand_multiplier_household = 2.0;
  sp.demand_multiplier_shared = 3.0;
  sp.demand_multiplier_public = 0.5;
  Simulation sim(testing::quiet_params(7), testing::tiny_world({1}, 1), 1);
  sim.levers().demand_multiplier[1] = 1.5;  // another mechanism's setting is kept
  sim.add_mechanism(std::make_unique<Shock>(sp));
  std::vector<double> household, shared, active;
  for (int d = 0; d < 7; ++d) {
    sim.begin_day();
    // The levers as the day's demand phase sees them.
    household.push_back(sim.levers().demand_multiplier[0]);
    shared.push_back(sim.levers().demand_multiplier[1]);
    active.push_back(sim.api().conditions().emergency ? 1.0 : 0.0);
    EXPECT_EQ(sim.api().conditions().emergency_start_day, sim.api().conditions().emergency ? 2 : -1);
    testing::finish_day(sim);
  }
  EXPECT_EQ(household, (std::vector<double>{1, 1, 2, 2, 2, 1, 1}));
  EXPECT_EQ(shared, (std::vector<double>{1.5, 1.5, 4.5, 4.5, 4.5, 1.5, 1.5}));
  EXPECT_EQ(active, (std::vector<double>{0, 0, 1, 1, 1, 0, 0}));
  for (int d = 0; d < 7; ++d) EXPECT_EQ(sim.recorder().at("n_shock_active", d), active[d]) << d;
  EXPECT_DOUBLE_EQ(sim.levers().demand_multiplier[2], 1.0);  // restored
  EXPECT_EQ(sim.api().conditions().emergency_start_day, -1);
}

TEST(Shock, AShockFromDayZeroCoversTheFirstDay) {
  Simulation sim(testing::quiet_params(2), testing::tiny_world({1}, 1), 1);
  sim.add_mechanism(std::make_unique<Shock>(shock_params(0, 1)));
  sim.run();
  EXPECT_EQ(sim.recorder().at("n_shock_active", 0), 1);
  EXPECT_EQ(sim.recorder().at("n_shock_active", 1), 0);
}

TEST(Shock, UrgentTasksArriveAtTheDeclaredRate) {
  Params pp = testing::quiet_params(2000);
  pp.grid.admin_task_hours = 1.5;
  pp.grid.max_overtime_hours = 16;  // never a backlog: arrivals are done the same day
  ShockParams sp = shock_params(0, 2000);
  sp.urgent_task_hours = 2.0;
  Simulation sim(pp, testing::tiny_world({1}, 1), 5);
  sim.add_mechanism(std::make_unique<Shock>(sp));
  sim.run();
  double total = 0, tasks = 0;
  for (int d = 0; d < 2000; ++d) {
    total += sim.recorder().at("new_admin_hours", d);
    tasks += sim.recorder().at("new_shock_task_hours", d);
  }
  // The core's own tasks are off, so every administrative hour is the shock's.
  EXPECT_NEAR(total, tasks, 1e-3 * tasks);
  EXPECT_NEAR(sim.recorder().at("cum_shock_task_hours", 1999), tasks, 1e-6 * tasks);
  // Compound Poisson: daily sd sqrt(2 / 1.5 * 2 * 1.5^2); the mean of 2000 days is within 4 sd.
  EXPECT_NEAR(tasks / 2000, 2.0, 4 * std::sqrt(2.0 / 1.5 * 2 * 1.5 * 1.5 / 2000));
}

// One grid, one worker with 8 hours a day, every case at the grid; demands raised by hand.
struct HandRun {
  std::unique_ptr<Simulation> sim;
  Shock* shock;
};

HandRun backlog_run(int days) {
  ShockParams sp = shock_params(2, 2);  // days 2 and 3
  sp.urgent_task_hours = 0;
  sp.recovery_tolerance = 0;
  HandRun r;
  r.sim = std::make_unique<Simulation>(testing::quiet_params(days), testing::tiny_world({1}, 1), 1);
  auto m = std::make_unique<Shock>(sp);
  r.shock = m.get();
  r.sim->add_mechanism(std::move(m));
  // size of each case raised at 10:00, by day
  const std::map<int, std::vector<float>> raised = {{1, {4}}, {2, {8, 8, 8}}, {3, {8, 8}}};
  for (int d = 0; d < days; ++d) {
    r.sim->begin_day();
    if (auto it = raised.find(d); it != raised.end())
      for (float s : it->second) r.sim->raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, s, 10.0f);
    testing::finish_day(*r.sim);
  }
  return r;
}

TEST(Shock, PeakBacklogAndDaysToRecoverByHand) {
  // Open cases at the end of each day (a case is workable the day after its report; the worker's 8 h a day go
  // first in, first out and stop at the first case not yet workable or too big for what is left):
  //   day 1: + A(4)                 -> 1   (A)              the day before the shock: pre = 1
  //   day 2: A done; + B, C, D (8)  -> 3   (B, C, D)
  //   day 3: B done; + E, F (8)     -> 4   (C, D, E, F)     peak, on the shock's last day
  //   day 4: C done -> 3;  day 5: D done -> 2;  day 6: E done -> 1, back to the pre level (tolerance 0):
  //   6 - 3 = 3 days after the shock's last day;  day 7: F done -> 0
  HandRun r = backlog_run(8);
  EXPECT_EQ(r.shock->backlog(), (std::vector<double>{0, 1, 3, 4, 3, 2, 1, 0}));
  for (int d = 0; d < 8; ++d) EXPECT_EQ(r.sim->recorder().at("n_open_cases", d), r.shock->backlog()[d]);
  auto o = outcomes_of(*r.shock);
  EXPECT_EQ(o.at("shock_pre_backlog"), 1);
  EXPECT_EQ(o.at("shock_peak_backlog"), 4);
  EXPECT_EQ(o.at("shock_peak_day"), 3);
  EXPECT_EQ(o.at("shock_days_to_recover"), 3);

  // A run that ends on day 5 has not recovered: NaN.
  HandRun s = backlog_run(6);
  o = outcomes_of(*s.shock);
  EXPECT_EQ(o.at("shock_peak_backlog"), 4);
  EXPECT_TRUE(std::isnan(o.at("shock_days_to_recover")));
  // A run that ends before the shock has no outcomes.
  HandRun t = backlog_run(2);
  o = outcomes_of(*t.shock);
  EXPECT_TRUE(std::isnan(o.at("shock_peak_backlog")));
  EXPECT_TRUE(std::isnan(o.at("shock_pre_backlog")));
}

TEST(Shock, RaisesTheBacklogOfAGeneratedDistrict) {
  Params p = testing::small_district(4, 150);
  const std::uint64_t seed = 21;
  auto backlog_peak = [&](bool with_shock) {
    Simulation sim(p, generate_world(p, seed), seed);
    if (with_shock) sim.add_mechanism(std::make_unique<Shock>(shock_params(60, 30)));
    sim.run();
    double peak = 0;
    for (int d = 60; d < 150; ++d) peak = std::max(peak, sim.recorder().at("n_open_cases", d));
    return peak;
  };
  const double base = backlog_peak(false), shocked = backlog_peak(true);
  EXPECT_GT(shocked, 1.3 * base) << base << " " << shocked;
}

}  // namespace
}  // namespace govsim
