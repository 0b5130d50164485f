// Property service tiers and red property: hand-built worlds (numbers worked out in the comments), then the
// direction of the effect on a small generated district with and without the mechanism (common random numbers).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/property_tiers.h"
#include "model/simulation.h"

namespace govsim {
namespace {

PropertyTiersParams params(const char* tier) {
  PropertyTiersParams p = testing::mechanism_defaults().property_tiers;
  p.tier = tier;
  return p;
}

double at(const Simulation& sim, const char* name, int day) { return sim.recorder().at(name, day); }

// Grid 0 is old, grid 1 is not; `households` single-resident households per grid.
World two_grids(std::uint32_t households) {
  World w = testing::tiny_world({2}, households);
  w.grids.old_neighbourhood = {1, 0};
  return w;
}

TEST(PropertyTiers, TierScalesTheOldGridsSharedRateAndCostsItsFee) {
  // 10 households in the old grid. Fees per household and month: standard 48, basic 30, guaranteed 15, spread
  // over 30 days: 16, 10 and 5 yuan a day. Another mechanism already halved every grid's shared rate.
  for (auto [tier, mult, cost] : {std::tuple{"standard", 0.6, 16.0}, std::tuple{"basic", 0.75, 10.0},
                                  std::tuple{"guaranteed", 0.9, 5.0}}) {
    Simulation sim(testing::quiet_params(3), two_grids(10), 1);
    sim.levers().shared_multiplier = {0.5f, 0.5f};
    auto m = std::make_unique<PropertyTiers>(params(tier));
    auto* pt = m.get();
    sim.add_mechanism(std::move(m));
    sim.run();
    EXPECT_FLOAT_EQ(sim.levers().shared_multiplier[0], static_cast<float>(0.5 * mult)) << tier;
    EXPECT_FLOAT_EQ(sim.levers().shared_multiplier[1], 0.5f) << tier;  // not old: no tier
    EXPECT_EQ(pt->tiers()[1], PropertyTiers::kNone);
    EXPECT_NEAR(at(sim, "new_pr_cost_yuan", 0), cost, 1e-9) << tier;
    EXPECT_NEAR(at(sim, "cum_pr_cost_yuan", 2), 3 * cost, 1e-9) << tier;
    EXPECT_EQ(at(sim, "new_pr_prevented", 0), 0);  // no shared affairs arise in quiet_params
  }
}

TEST(PropertyTiers, MixedTiersFollowTheShares) {
  // 4000 old grids; each draws its tier: standard with 0.3, basic with 0.4, guaranteed with 0.3.
  World w = testing::tiny_world({4000}, 1);
  w.grids.old_neighbourhood.assign(4000, 1);
  PropertyTiersParams p = params("mixed");
  auto count = [](const PropertyTiers& pt, PropertyTiers::Tier t) {
    return static_cast<double>(std::count(pt.tiers().begin(), pt.tiers().end(), t));
  };
  {
    Simulation sim(testing::quiet_params(1), w, 7);
    auto m = std::make_unique<PropertyTiers>(p);
    auto* pt = m.get();
    sim.add_mechanism(std::move(m));
    sim.run();
    // Binomial(4000, q): sd = sqrt(4000 q (1 - q)) = 29.0 for 0.3 and 31.0 for 0.4; within 4 sd.
    EXPECT_NEAR(count(*pt, PropertyTiers::kStandard), 1200, 4 * 29.0);
    EXPECT_NEAR(count(*pt, PropertyTiers::kBasic), 1600, 4 * 31.0);
    EXPECT_NEAR(count(*pt, PropertyTiers::kGuaranteed), 1200, 4 * 29.0);
  }
  // Shares above 1 in total: standard keeps its 0.7, basic gets the remaining 0.3, guaranteed none.
  p.share_standard = 0.7;
  p.share_basic = 0.5;
  Simulation sim(testing::quiet_params(1), w, 7);
  auto m = std::make_unique<PropertyTiers>(p);
  auto* pt = m.get();
  sim.add_mechanism(std::move(m));
  sim.run();
  EXPECT_NEAR(count(*pt, PropertyTiers::kStandard), 2800, 4 * 29.0);
  EXPECT_EQ(count(*pt, PropertyTiers::kGuaranteed), 0);
}

TEST(PropertyTiers, RedPropertyResolvesTodaysSharedGridCasesAfterPropertyDays) {
  PropertyTiersParams p = params("basic");
  p.red_property_share = 1.0;
  p.property_days = 3;
  Simulation sim(testing::quiet_params(5), two_grids(2), 1);
  sim.add_mechanism(std::make_unique<PropertyTiers>(p));
  sim.begin_day();
  // Old grid 0: (a) a shared affair at grid level, 5 h, household 0, 10:00; (b) a household affair, 1 h,
  // household 1; (c) a shared affair needing the community, 1 h. Grid 1 (not old): (d) shared, grid, 2 h.
  sim.raise_demand(0, 0, DemandKind::kShared, Level::kGrid, 5.0f, 10.0f);
  sim.raise_demand(0, 1, DemandKind::kHousehold, Level::kGrid, 1.0f, 11.0f);
  sim.raise_demand(0, 1, DemandKind::kShared, Level::kCommunity, 1.0f, 12.0f);
  sim.raise_demand(1, 0, DemandKind::kShared, Level::kGrid, 2.0f, 13.0f);
  testing::finish_day(sim);
  // Only (a) goes to the property company; it stays open but at no level.
  EXPECT_EQ(at(sim, "new_pr_taken", 0), 1);
  EXPECT_EQ(at(sim, "n_pr_cases_held", 0), 1);
  EXPECT_EQ(at(sim, "n_open_cases", 0), 4);
  EXPECT_EQ(at(sim, "n_cases_at_grid", 0), 3);
  sim.step();
  // Day 1: the workers do (b) 1 h and assess (c) 0.25 h in grid 0, (d) 2 h in grid 1: 3.25 h, not (a)'s 5 h.
  EXPECT_DOUBLE_EQ(at(sim, "new_case_hours", 1), 3.25);
  EXPECT_EQ(at(sim, "new_resolved_at_grid", 1), 2);
  sim.step();  // day 2: (c) at the community
  EXPECT_EQ(at(sim, "new_resolved_at_community", 2), 1);
  EXPECT_EQ(at(sim, "n_pr_cases_held", 2), 1);
  sim.step();
  // Day 3 = 0 + property_days: (a) resolved at its report hour, 3 * 24 = 72 h after the report, at grid level.
  EXPECT_EQ(at(sim, "new_pr_resolved", 3), 1);
  EXPECT_EQ(at(sim, "new_resolved", 3), 1);
  EXPECT_EQ(at(sim, "new_resolved_at_grid", 3), 1);
  EXPECT_DOUBLE_EQ(at(sim, "mean_resolution_hours", 3), 72.0);
  EXPECT_EQ(at(sim, "n_pr_cases_held", 3), 0);
  sim.step();
  EXPECT_EQ(at(sim, "cum_pr_resolved", 4), 1);
  EXPECT_EQ(at(sim, "n_open_cases", 3), 0);
  // 72 h is within the 240 h expected for shared affairs: the resident is as before the problem.
  EXPECT_NEAR(sim.world().residents[0].satisfaction, 0.5, 1e-6);
}

TEST(PropertyTiers, WithoutRedPropertyTheWorkersKeepTheCase) {
  PropertyTiersParams p = params("standard");
  p.red_property = false;
  Simulation sim(testing::quiet_params(2), two_grids(1), 1);
  sim.add_mechanism(std::make_unique<PropertyTiers>(p));
  sim.begin_day();
  sim.raise_demand(0, 0, DemandKind::kShared, Level::kGrid, 2.0f, 10.0f);
  testing::finish_day(sim);
  EXPECT_EQ(at(sim, "new_pr_taken", 0), 0);
  sim.step();
  // Day 1: the grid worker does it by 10:00: 24 + 10 - 10 = 24 h.
  EXPECT_EQ(at(sim, "new_resolved_at_grid", 1), 1);
  EXPECT_EQ(at(sim, "new_pr_resolved", 1), 0);
  EXPECT_DOUBLE_EQ(at(sim, "new_case_hours", 1), 2.0);
}

TEST(PropertyTiers, RedPropertyShareIsAChancePerCaseWithCommonRandomNumbers) {
  // 2000 shared affairs at grid level reported in the old grid on day 0.
  auto taken = [](double share) {
    PropertyTiersParams p = params("basic");
    p.red_property_share = share;
    Simulation sim(testing::quiet_params(1), two_grids(1), 9);
    sim.add_mechanism(std::make_unique<PropertyTiers>(p));
    sim.begin_day();
    for (int i = 0; i < 2000; ++i) sim.raise_demand(0, 0, DemandKind::kShared, Level::kGrid, 1.0f, 10.0f);
    testing::finish_day(sim);
    std::vector<bool> held;
    const auto& pool = sim.community(0).pool;
    for (std::uint32_t id = 0; id < pool.capacity(); ++id) held.push_back(pool[id].state == CaseState::kHeld);
    return held;
  };
  const auto a = taken(0.3), b = taken(0.6);
  const double na = static_cast<double>(std::count(a.begin(), a.end(), true));
  // Binomial(2000, 0.3): mean 600, sd 20.5; within 4 sd.
  EXPECT_NEAR(na, 600, 4 * 20.5);
  // One draw per case: every case taken at 0.3 is taken at 0.6.
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i]) {
      EXPECT_TRUE(b[i]) << i;
    }
}

TEST(PropertyTiers, APreventedSharedAffairPleasesLikeAnInTimeResolution) {
  // One old grid of one resident (0), and resident 1 in grid 1 who hears resident 0 with weight 0.5.
  World w = two_grids(1);
  for (auto& r : w.residents.state) r.trust = 0.5f;
  w.neighbours.insert(1, 0) = 0.5f;
  w.neighbours.makeCompressed();
  Params pp = testing::quiet_params(1);
  pp.demand.shared_rate = 365;           // one shared affair per household and day before the service
  pp.demand.old_shared_multiplier = 1;
  Simulation sim(pp, std::move(w), 3);
  sim.levers().demand_multiplier[1] = 8;  // 8 a day: basic service prevents 8 * (1 - 0.75) = 2 a day
  PropertyTiersParams p = params("basic");
  p.red_property = false;
  sim.add_mechanism(std::make_unique<PropertyTiers>(p));
  sim.run();
  // Each of the n prevented affairs moves s0 by 0.12 * (1 - s0): s0 = 1 - 0.5 * 0.88^n (today's arrivals are
  // only reported on day 0, none is resolved). Trust follows by 0.6 * the change; the neighbour gets half of
  // every change of s0.
  const double n = at(sim, "new_pr_prevented", 0);
  ASSERT_GT(n, 0);
  const double s0 = 1 - 0.5 * std::pow(0.88, n);
  const auto& r = sim.world().residents;
  EXPECT_NEAR(r[0].satisfaction, s0, 1e-5);
  EXPECT_NEAR(r[0].trust, 0.5 + 0.6 * (s0 - 0.5), 1e-5);
  EXPECT_NEAR(r[1].satisfaction, 0.5 + 0.5 * (s0 - 0.5), 1e-5);
  EXPECT_NEAR(r[1].trust, 0.5 + 0.6 * 0.5 * (s0 - 0.5), 1e-5);
}

TEST(PropertyTiers, UnknownTierIsAnInputError) {
  MechanismParams m;
  ParamRegistry reg;
  bind_mechanism_params(reg, m);
  EXPECT_THROW(reg.set("property_tiers.tier", "luxury", "test.ini:2"), InputError);
  EXPECT_THROW(PropertyTiers(params("luxury")), std::invalid_argument);
}

// A small generated district, one year, with and without the mechanism (the same seed: common random numbers).
struct DistrictRun {
  double shared = 0;          // shared affairs raised in the year
  double old_satisfaction = 0;  // mean satisfaction of the old grids' residents at the end
  double old_good = 0;
};

DistrictRun run_district(const char* tier) {
  Params p = testing::small_district(8, 365);
  p.district.in_service_members = 1300;
  const std::uint64_t seed = 2024;
  Simulation sim(p, generate_world(p, seed), seed);
  if (tier) sim.add_mechanism(std::make_unique<PropertyTiers>(params(tier)));
  sim.run();
  DistrictRun out;
  for (int d = 0; d < 365; ++d) out.shared += at(sim, "new_demands_shared", d);
  const World& w = sim.world();
  double n = 0;
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    if (!w.grids.old_neighbourhood[g]) continue;
    for (std::uint32_t r = w.grid_first_resident(g); r < w.grid_end_resident(g); ++r) {
      n += 1;
      out.old_satisfaction += w.residents[r].satisfaction;
      out.old_good += w.residents[r].satisfaction >= p.opinion.good_threshold;
    }
  }
  out.old_satisfaction /= n;
  out.old_good /= n;
  return out;
}

TEST(PropertyTiers, BetterServiceFewerSharedAffairsAndMoreSatisfiedOldNeighbourhoods) {
  const DistrictRun none = run_district(nullptr), guaranteed = run_district("guaranteed"),
                    basic = run_district("basic"), standard = run_district("standard");
  std::printf("shared affairs: none %.0f, guaranteed %.0f, basic %.0f, standard %.0f\n", none.shared,
              guaranteed.shared, basic.shared, standard.shared);
  std::printf("old-grid satisfaction: none %.4f, guaranteed %.4f, basic %.4f, standard %.4f\n",
              none.old_satisfaction, guaranteed.old_satisfaction, basic.old_satisfaction, standard.old_satisfaction);
  std::printf("old-grid share good: none %.4f, guaranteed %.4f, basic %.4f, standard %.4f\n", none.old_good,
              guaranteed.old_good, basic.old_good, standard.old_good);
  // The same arrival streams with smaller rates: fewer shared affairs, the better the service.
  EXPECT_LT(guaranteed.shared, none.shared);
  EXPECT_LT(basic.shared, guaranteed.shared);
  EXPECT_LT(standard.shared, basic.shared);
  EXPECT_GT(basic.old_satisfaction, none.old_satisfaction);
  EXPECT_GT(standard.old_satisfaction, guaranteed.old_satisfaction);
  EXPECT_GT(standard.old_good, none.old_good);
}

}  // namespace
}  // namespace govsim
