// Visits on hand-built worlds (single-resident households, one trained worker per grid; quiet parameters: no
// arrivals, no tasks, no routine visits; grid.households_per_visit_hour = 2) and, for the direction of the
// effect, on a generated district.
#include <gtest/gtest.h>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/visits.h"
#include "model/simulation.h"

namespace govsim {
namespace {

VisitsParams params(double scheduled_week, double cadres, double per_week, double awareness) {
  VisitsParams p = testing::mechanism_defaults().visits;
  p.scheduled_hours_per_worker_week = scheduled_week;
  p.cadres_per_community = cadres;
  p.cadre_households_per_week = per_week;
  p.awareness_per_visit = awareness;
  return p;
}

double at(const Simulation& s, const char* name, int day) { return s.recorder().at(name, day); }

TEST(Visits, DefaultsSetTheCoresLevers) {
  Simulation sim(testing::quiet_params(1), testing::tiny_world({2, 1}, 10), 1);
  sim.add_mechanism(std::make_unique<Visits>(testing::mechanism_defaults().visits));
  sim.step();
  EXPECT_DOUBLE_EQ(sim.levers().scheduled_visit_hours, 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(sim.levers().visit_awareness, 0.3);
  ASSERT_EQ(sim.levers().extra_visits.size(), 3u);
  // 4 cadres x 10 households a week = 40/7 a day per community: 20/7 per grid in the first community (2.86,
  // rounded: 3 on day 0), 40/7 in the second (5.71: 6 on day 0).
  EXPECT_FLOAT_EQ(sim.levers().extra_visits[0], 3.0f);
  EXPECT_FLOAT_EQ(sim.levers().extra_visits[1], 3.0f);
  EXPECT_FLOAT_EQ(sim.levers().extra_visits[2], 6.0f);
  EXPECT_EQ(at(sim, "new_vi_cadre_visits", 0), 3 + 3 + 6);
  // The workers' scheduled 5/7 h at 2 households an hour add floor(10/7 + cadre visits) per grid: 4, 4, 7.
  EXPECT_EQ(at(sim, "new_households_visited", 0), 4 + 4 + 7);
  // (The core keeps a worker's hours of the day as float.)
  EXPECT_NEAR(at(sim, "new_vi_scheduled_hours", 0), 3 * 5.0 / 7.0, 1e-6);
  EXPECT_NEAR(at(sim, "mean_gw_utilisation", 0), (5.0 / 7.0) / 8.0, 1e-7);
}

TEST(Visits, CadreVisitsNeverExceedTheGridsHouseholds) {
  // 6 cadres x 7 households a week = 6 a day planned for a grid of 4 households: 4 made (and counted).
  Simulation sim(testing::quiet_params(1), testing::tiny_world({1}, 4), 1);
  sim.add_mechanism(std::make_unique<Visits>(params(0.0, 6.0, 7.0, 0.0)));
  sim.step();
  EXPECT_FLOAT_EQ(sim.levers().extra_visits[0], 4.0f);
  EXPECT_EQ(at(sim, "new_vi_cadre_visits", 0), 4);
  EXPECT_EQ(at(sim, "new_households_visited", 0), 4);
}

TEST(Visits, CadreVisitsFindUnreportedDemandsAndSpreadAwareness) {
  // One community of 2 grids with 10 households each; 2 cadres x 7 households a week = 2 a day, 1 per grid.
  // Household 0 of grid 0 never reports (participation 0): its demand stays latent until the visit finds it.
  World w = testing::tiny_world({2}, 10);
  w.residents[0].participation = 0;
  Simulation sim(testing::quiet_params(2), std::move(w), 5);
  sim.add_mechanism(std::make_unique<Visits>(params(0.0, 2.0, 7.0, 1.0)));
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 1.0f, 10.0f);
  testing::finish_day(sim);
  EXPECT_EQ(at(sim, "new_vi_cadre_visits", 0), 2);
  EXPECT_DOUBLE_EQ(at(sim, "new_vi_cadre_hours", 0), 2 * 0.5);
  EXPECT_EQ(at(sim, "new_households_visited", 0), 2);
  EXPECT_EQ(at(sim, "new_found_by_visit", 0), 1);  // household 0 of grid 0, the first in its grid's round
  EXPECT_EQ(at(sim, "new_reported", 0), 1);
  EXPECT_EQ(at(sim, "n_latent_demands", 0), 0);
  // Awareness 1 per visit: household 0 of each grid (one resident each), 2 of 20 residents.
  EXPECT_DOUBLE_EQ(at(sim, "share_aware", 0), 2.0 / 20.0);
  sim.step();
  EXPECT_DOUBLE_EQ(at(sim, "share_aware", 1), 4.0 / 20.0);  // households 1 of each grid
  EXPECT_DOUBLE_EQ(at(sim, "cum_vi_cadre_hours", 1), 2.0);
  EXPECT_EQ(at(sim, "new_vi_scheduled_hours", 1), 0);
}

TEST(Visits, FractionalCadreVisitsAreRoundedCumulatively) {
  // 1 cadre x 3 households a week in a community of one grid: 3/7 a day. Visits made by the end of day d:
  // floor(0.5 + 3(d+1)/7) = 0, 1, 1, 2, 2, 3, 3, ...: 0, 1, 0, 1, 0, 1, 0 a day, 3 a week, none lost.
  Simulation sim(testing::quiet_params(70), testing::tiny_world({1}, 50), 5);
  sim.add_mechanism(std::make_unique<Visits>(params(0.0, 1.0, 3.0, 0.0)));
  const double want[7] = {0, 1, 0, 1, 0, 1, 0};
  for (int d = 0; d < 7; ++d) {
    sim.step();
    EXPECT_EQ(at(sim, "new_vi_cadre_visits", d), want[d]) << d;
  }
  EXPECT_EQ(sim.world().grids.visit_cursor[0], 3u);
  sim.run();
  double total = 0;
  for (int d = 0; d < 70; ++d) total += at(sim, "new_households_visited", d);
  EXPECT_EQ(total, 30);  // floor(0.5 + 3 * 70 / 7)
  EXPECT_DOUBLE_EQ(at(sim, "cum_vi_cadre_hours", 69), 30 * 0.5);
}

TEST(Visits, ScheduledVisitsComeBeforeCasesAndCountAsWork) {
  // 7 scheduled hours a week: 1 h a day, done after tasks (none) and before cases, so the worker has 7 h for
  // cases. An 8-hour household affair reported at 10:00 on day 0: day 1 does 7 h, day 2 the last hour at
  // 08:00 + (1 h visits + 1 h case) = 10:00, 48 h after the report. Without visits: 08:00 + 8 h = 16:00 on
  // day 1, 30 h. Utilisation counts the scheduled hour: day 0 (no case yet) 1/8, day 1 (1 + 7)/8.
  for (bool on : {false, true}) {
    Simulation sim(testing::quiet_params(3), testing::tiny_world({1}, 4), 7);
    if (on) sim.add_mechanism(std::make_unique<Visits>(params(7.0, 0.0, 0.0, 0.0)));
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 8.0f, 10.0f);
    testing::finish_day(sim);
    sim.step();
    sim.step();
    if (on) {
      EXPECT_DOUBLE_EQ(at(sim, "new_vi_scheduled_hours", 0), 1.0);
      EXPECT_DOUBLE_EQ(at(sim, "new_visit_hours", 0), 1.0);
      EXPECT_EQ(at(sim, "new_households_visited", 0), 2);  // 1 h x 2 households an hour
      EXPECT_DOUBLE_EQ(at(sim, "mean_gw_utilisation", 0), 1.0 / 8.0);
      EXPECT_DOUBLE_EQ(at(sim, "mean_gw_utilisation", 1), 1.0);
      EXPECT_EQ(at(sim, "new_resolved", 1), 0);
      EXPECT_DOUBLE_EQ(at(sim, "mean_resolution_hours", 2), 48.0);
      EXPECT_DOUBLE_EQ(at(sim, "cum_vi_scheduled_hours", 2), 3.0);
      EXPECT_EQ(at(sim, "new_vi_cadre_visits", 2), 0);
    } else {
      EXPECT_DOUBLE_EQ(at(sim, "mean_resolution_hours", 1), 30.0);
      EXPECT_DOUBLE_EQ(at(sim, "mean_gw_utilisation", 0), 0.0);
    }
  }
}

TEST(Visits, FindMoreDemandsAndRaiseAwarenessAtACostInHoursOnAGeneratedDistrict) {
  // Same seed with and without visits (common random numbers).
  Params p = testing::small_district(6, 120);
  p.district.in_service_members = 500;
  double found[2], aware[2], util[2], cadre = 0;
  for (int on = 0; on < 2; ++on) {
    Simulation sim(p, generate_world(p, 23), 23);
    if (on) sim.add_mechanism(std::make_unique<Visits>(testing::mechanism_defaults().visits));
    sim.run();
    found[on] = util[on] = 0;
    for (int d = 0; d < p.run.days; ++d) {
      found[on] += at(sim, "new_found_by_visit", d);
      util[on] += at(sim, "mean_gw_utilisation", d) / static_cast<double>(p.run.days);
    }
    aware[on] = at(sim, "share_aware", static_cast<int>(p.run.days) - 1);
    if (on) cadre = at(sim, "cum_vi_cadre_hours", static_cast<int>(p.run.days) - 1);
  }
  EXPECT_GT(found[1], 1.3 * found[0]);
  EXPECT_GT(aware[1], aware[0] + 0.1);
  EXPECT_GT(util[1], util[0] + 0.05);
  // 4 cadres x 10 households a week x 6 communities x 120 days / 7 x 0.5 h: about 2057 h (rounding per grid).
  EXPECT_NEAR(cadre, 4 * 10 * 6 * 120 / 7.0 * 0.5, 0.5 * 40);
}

}  // namespace
}  // namespace govsim
