// Digital platform on hand-built worlds (one grid, single-resident households, one trained worker; quiet
// parameters: no arrivals, no tasks, no visits) and, for the direction of its effect, on a generated district.
#include <gtest/gtest.h>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/digital_platform.h"
#include "model/simulation.h"

namespace govsim {
namespace {

DigitalPlatformParams params(double uptake, Int days_saved, double deadline) {
  DigitalPlatformParams p = testing::mechanism_defaults().digital_platform;
  p.uptake = uptake;
  p.routing_days_saved = days_saved;
  p.grid_deadline_hours = deadline;
  return p;
}

double at(const Simulation& s, const char* name, int day) { return s.recorder().at(name, day); }

TEST(DigitalPlatform, DefaultsSetTheCoresLeversOnce) {
  Simulation sim(testing::quiet_params(2), testing::tiny_world({1}, 1), 1);
  sim.add_mechanism(std::make_unique<DigitalPlatform>(testing::mechanism_defaults().digital_platform));
  sim.step();
  sim.step();
  EXPECT_DOUBLE_EQ(sim.levers().digital_uptake, 0.6);
  EXPECT_EQ(sim.levers().delay_reduction_days, 1);
  EXPECT_DOUBLE_EQ(sim.levers().grid_deadline_hours, 72.0);
}

// Resident 0 is young and never uses the usual channels (participation 0) but is fully digital; resident 1 is
// elderly and always reports (participation 1, trust 1), with no digital propensity.
World young_and_elderly() {
  World w = testing::tiny_world({1}, 2);
  w.residents[0].age = static_cast<std::uint8_t>(AgeBand::kYoung);
  w.residents[0].participation = 0;
  w.residents[0].digital = 255;
  w.residents[1].age = static_cast<std::uint8_t>(AgeBand::kElderly);
  return w;
}

TEST(DigitalPlatform, TheDigitalChannelBringsInTheYoungTheUsualChannelsMiss) {
  for (bool platform : {false, true}) {
    Simulation sim(testing::quiet_params(1), young_and_elderly(), 2);
    if (platform) sim.add_mechanism(std::make_unique<DigitalPlatform>(params(1.0, 0, 0)));
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 1.0f, 10.0f);
    sim.raise_demand(0, 1, DemandKind::kHousehold, Level::kGrid, 1.0f, 10.0f);
    testing::finish_day(sim);
    // Young: p = 0, so p' = 0 + (1 - 0) * 255/255 * 1 = 1 with the platform, 0 without. Elderly: p = 1 either way.
    // One resident in each band: reports per 1000 residents are 1000 per report.
    EXPECT_EQ(at(sim, "new_reported_young", 0), platform ? 1 : 0);
    EXPECT_EQ(at(sim, "new_reported_elderly", 0), 1);
    EXPECT_DOUBLE_EQ(at(sim, "mean_reports_per_1000_young", 0), platform ? 1000.0 : 0.0);
    EXPECT_DOUBLE_EQ(at(sim, "mean_reports_per_1000_elderly", 0), 1000.0);
    if (platform) {
      EXPECT_DOUBLE_EQ(at(sim, "share_reports_young", 0), 0.5);  // 1 of 2 reports
      EXPECT_DOUBLE_EQ(at(sim, "mean_report_ratio_young_elderly", 0), 1.0);  // (1/1) / (1/1)
    }
  }
}

TEST(DigitalPlatform, UptakeScalesTheChannelsReach) {
  // 2000 young residents who never use the usual channels, fully digital; uptake 0.5: p' = 0.5 each.
  World w = testing::tiny_world({1}, 2000);
  for (std::size_t r = 0; r < w.residents.size(); ++r) {
    w.residents[r].age = static_cast<std::uint8_t>(AgeBand::kYoung);
    w.residents[r].participation = 0;
    w.residents[r].digital = 255;
  }
  Simulation sim(testing::quiet_params(1), std::move(w), 4);
  sim.add_mechanism(std::make_unique<DigitalPlatform>(params(0.5, 0, 0)));
  sim.begin_day();
  for (std::uint32_t h = 0; h < 2000; ++h) sim.raise_demand(0, h, DemandKind::kHousehold, Level::kGrid, 1.0f, 10.0f);
  testing::finish_day(sim);
  // Binomial(2000, 0.5): mean 1000, sd 22.4; within 4 sd.
  EXPECT_NEAR(at(sim, "new_reported_young", 0), 1000.0, 90.0);
  EXPECT_NEAR(at(sim, "mean_reports_per_1000_young", 0), 500.0, 45.0);
  EXPECT_DOUBLE_EQ(at(sim, "share_reports_young", 0), 1.0);
  EXPECT_TRUE(std::isnan(at(sim, "mean_report_ratio_young_elderly", 0)));  // no elderly residents
}

TEST(DigitalPlatform, DispatchTakesDaysOffTransfers) {
  // A street-level problem of 4 staff-hours reported at 10:00 on day 0. Day 1: the grid assesses it (0.25 h) and
  // passes it up; the community works it on day 2 (a case passed up is never worked the same day, so the
  // grid -> community delay of 1 or 0 gives day 2), assesses it (0.5 h) and passes it up. Street delay 2 days:
  // workable on day 4; with a day saved, on day 3. The street's 4 staff-hours finish it at
  // 08:00 + 4 h * 4 / 4 = 12:00: 4*24 + 12 - 10 = 98 h without the platform, 3*24 + 12 - 10 = 74 h with it.
  for (bool platform : {false, true}) {
    Simulation sim(testing::quiet_params(5), testing::tiny_world({1}, 1), 3);
    if (platform) sim.add_mechanism(std::make_unique<DigitalPlatform>(params(0.0, 1, 0)));
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kPublic, Level::kStreet, 4.0f, 10.0f);
    testing::finish_day(sim);
    for (int d = 1; d < 5; ++d) sim.step();
    const int day = platform ? 3 : 4;
    EXPECT_EQ(at(sim, "new_resolved_at_street", day), 1) << platform;
    EXPECT_DOUBLE_EQ(at(sim, "mean_resolution_hours", day), platform ? 74.0 : 98.0);
  }
}

TEST(DigitalPlatform, ACaseStuckAtTheGridMovesUpAtTheDeadline) {
  // The grid worker's day is all administrative tasks (a backlog of 1000 h, 8 h a day), so the grid never works
  // the 1-hour household affair reported at 10:00 on day 0. Hours since the report at the end of day t:
  // 24t + 24 - 10 = 14, 38, 62, 86: the 72-hour deadline is breached on day 3. The case moves to the community
  // (delay 1 - 1 = 0 days, but it is not worked the day it is passed up), which does the whole 1 h on day 4:
  // 08:00 + 4 h * 1 / 4 = 09:00, 4*24 + 9 - 10 = 95 h after the report.
  for (bool platform : {false, true}) {
    World w = testing::tiny_world({1}, 1);
    w.workers.admin_backlog[0] = 1000.0f;
    Simulation sim(testing::quiet_params(5), std::move(w), 3);
    if (platform) sim.add_mechanism(std::make_unique<DigitalPlatform>(params(0.0, 1, 72.0)));
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 1.0f, 10.0f);
    testing::finish_day(sim);
    for (int d = 1; d < 5; ++d) sim.step();
    if (platform) {
      for (int d = 0; d < 3; ++d) EXPECT_EQ(at(sim, "new_breach_escalations", d), 0) << d;
      EXPECT_EQ(at(sim, "new_breach_escalations", 3), 1);
      EXPECT_EQ(at(sim, "n_cases_at_community", 3), 1);
      EXPECT_EQ(at(sim, "new_resolved_at_community", 4), 1);
      EXPECT_DOUBLE_EQ(at(sim, "mean_resolution_hours", 4), 95.0);
    } else {
      EXPECT_EQ(at(sim, "n_cases_at_grid", 4), 1);  // still waiting behind the tasks
      EXPECT_EQ(at(sim, "cum_resolved", 4), 0);
    }
  }
}

TEST(DigitalPlatform, RaisesTheYoungsShareOfReportsOnAGeneratedDistrict) {
  // Same seed with and without the platform (common random numbers): young residents report more per head
  // relative to the elderly (seed 004: Party-building activities attended mostly by the elderly).
  Params p = testing::small_district(6, 120);
  p.district.in_service_members = 500;
  double ratio[2], latent[2];
  for (int on = 0; on < 2; ++on) {
    Simulation sim(p, generate_world(p, 17), 17);
    if (on) sim.add_mechanism(std::make_unique<DigitalPlatform>(testing::mechanism_defaults().digital_platform));
    sim.run();
    double young = 0, elderly = 0;
    for (int d = 0; d < p.run.days; ++d) {
      young += at(sim, "mean_reports_per_1000_young", d);
      elderly += at(sim, "mean_reports_per_1000_elderly", d);
    }
    ratio[on] = young / elderly;
    latent[on] = at(sim, "n_latent_demands", static_cast<int>(p.run.days) - 1);
  }
  // Young and elderly raise demands alike; without the platform the young report less (participation 0.35 vs
  // 0.75). With uptake 0.6 and digital propensities 0.8 vs 0.15 the per-head ratio rises towards 1.
  EXPECT_LT(ratio[0], 0.85);
  EXPECT_GT(ratio[1], ratio[0] + 0.1);
  EXPECT_LT(latent[1], latent[0]);
}

}  // namespace
}  // namespace govsim
