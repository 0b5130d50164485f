// Dual registration on hand-built worlds, alone and with a shock, and its effect on a small generated district.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/dual_registration.h"
#include "mechanisms/shock.h"
#include "model/simulation.h"

namespace govsim {
namespace {

DualRegistrationParams dr_params() {
  DualRegistrationParams p = testing::mechanism_defaults().dual_registration;
  p.share_active = 1.0;  // every registered member is active
  return p;
}

ShockParams quiet_shock(int start, int duration) {
  ShockParams p = testing::mechanism_defaults().shock;
  p.start_day = start;
  p.duration_days = duration;
  p.urgent_task_hours = 0;
  return p;
}

std::map<std::string, double> outcomes_of(const Mechanism& m) {
  std::vector<std::pair<std::string, double>> v;
  m.outcomes(v);
  return {v.begin(), v.end()};
}

// Registers resident r of the world as an in-service member of community c.
void register_member(World& w, std::uint32_t r, std::uint32_t c) {
  w.members.resident.push_back(r);
  w.members.community.push_back(c);
  w.residents[r].flags |= kInService;
}

TEST(DualRegistration, RoutineHoursGoToTheGridsByHouseholdsAndWorkCasesFirst) {
  // One community: grid 0 with 1 household, grid 1 with 3; four members, all active.
  World w = testing::tiny_world({2}, 2);
  w.grids.first_household = {0, 1, 4};
  for (std::uint32_t r = 0; r < 4; ++r) register_member(w, r, 0);
  DualRegistrationParams p = dr_params();
  p.hours_per_active_member_month = 365.0 / 12.0;  // one hour per member per day
  Simulation sim(testing::quiet_params(3), std::move(w), 1);
  sim.add_mechanism(std::make_unique<DualRegistration>(p));
  sim.begin_day();
  // A 2-hour household affair in grid 1 (household 1), reported at 10:00 on day 0, workable on day 1.
  sim.raise_demand(1, 0, DemandKind::kHousehold, Level::kGrid, 2.0f, 10.0f);
  testing::finish_day(sim);
  // 4 members x 1 h = 4 h a day: 1/4 to grid 0, 3/4 to grid 1.
  ASSERT_EQ(sim.levers().volunteer_hours.size(), 2u);
  EXPECT_NEAR(sim.levers().volunteer_hours[0], 1.0, 1e-5);
  EXPECT_NEAR(sim.levers().volunteer_hours[1], 3.0, 1e-5);
  EXPECT_NEAR(sim.recorder().at("new_dr_volunteer_hours", 0), 4.0, 1e-9);
  EXPECT_EQ(sim.recorder().at("n_dr_members_active", 0), 4);
  EXPECT_EQ(sim.recorder().at("new_volunteer_hours", 0), 0);  // nothing workable yet
  sim.step();
  // Day 1: the volunteers' 3 h at grid 1 take the case before the worker, spending 2 of 3 h over the 8-hour
  // day: closed at 08:00 + 2 / 3 * 8 = 13:20, i.e. 24 + 13.333 - 10 = 27.333 h after the report.
  EXPECT_EQ(sim.recorder().at("new_resolved", 1), 1);
  EXPECT_NEAR(sim.recorder().at("new_volunteer_hours", 1), 2.0, 1e-5);
  EXPECT_EQ(sim.recorder().at("new_case_hours", 1), 0);
  EXPECT_NEAR(sim.recorder().at("mean_resolution_hours", 1), 24 + 8 + 16.0 / 3 - 10, 1e-4);
  sim.step();
  EXPECT_NEAR(sim.recorder().at("cum_dr_volunteer_hours", 2), 12.0, 1e-9);
}

TEST(DualRegistration, NoActiveMembersNoHours) {
  World w = testing::tiny_world({1}, 2);
  register_member(w, 0, 0);
  DualRegistrationParams p = dr_params();
  p.share_active = 0.0;
  Simulation sim(testing::quiet_params(2), std::move(w), 1);
  sim.add_mechanism(std::make_unique<DualRegistration>(p));
  sim.run();
  EXPECT_EQ(sim.recorder().at("n_dr_members_active", 1), 0);
  EXPECT_EQ(sim.recorder().at("new_dr_volunteer_hours", 1), 0);
}

TEST(DualRegistration, SurgeFractionIsTheShareOfTheWorkingDayAfterTheDelay) {
  // Shock from 08:00 of day 10; an 8-hour working day.
  EXPECT_DOUBLE_EQ(DualRegistration::surge_fraction(10, 10, 0.0, 8.0), 1.0);
  EXPECT_DOUBLE_EQ(DualRegistration::surge_fraction(10, 10, 3.0, 8.0), 5.0 / 8);  // from 11:00
  EXPECT_DOUBLE_EQ(DualRegistration::surge_fraction(10, 10, 10.0, 8.0), 0.0);     // 18:00: after the day
  EXPECT_DOUBLE_EQ(DualRegistration::surge_fraction(11, 10, 10.0, 8.0), 1.0);     // the next day in full
  EXPECT_DOUBLE_EQ(DualRegistration::surge_fraction(11, 10, 30.0, 8.0), 2.0 / 8);  // 14:00 of the next day
  EXPECT_DOUBLE_EQ(DualRegistration::surge_fraction(9, 10, 0.0, 8.0), 0.0);
}

TEST(DualRegistration, MembersSurgeAfterTheResponseDelayWhileTheShockLasts) {
  // Two active members; surge 1.5 x 2 = 3 members x 4 h; delay exactly 3 h (mean share 1); no routine hours.
  // Shock on days 1 and 2: day 1 from 11:00, 5/8 of the day: 7.5 h; day 2 in full: 12 h; day 3 none.
  for (bool shock_first : {true, false}) {
    World w = testing::tiny_world({1}, 2);
    register_member(w, 0, 0);
    register_member(w, 1, 0);
    DualRegistrationParams p = dr_params();
    p.hours_per_active_member_month = 0;
    p.surge_share = 1.5;
    p.surge_hours_per_member_day = 4;
    p.mobilisation_max_hours = 3;
    p.mobilisation_mean_share = 1;  // every delay at the bound
    Simulation sim(testing::quiet_params(5), std::move(w), 1);
    auto dr = std::make_unique<DualRegistration>(p);
    const DualRegistration* raw = dr.get();
    if (shock_first) sim.add_mechanism(std::make_unique<Shock>(quiet_shock(1, 2)));
    sim.add_mechanism(std::move(dr));
    if (!shock_first) sim.add_mechanism(std::make_unique<Shock>(quiet_shock(1, 2)));
    sim.run();
    const std::vector<double> surge = {0, 7.5, 12, 0, 0}, mobilised = {0, 3, 3, 0, 0};
    for (int d = 0; d < 5; ++d) {
      EXPECT_DOUBLE_EQ(sim.recorder().at("new_dr_surge_hours", d), surge[d]) << d;
      EXPECT_DOUBLE_EQ(sim.recorder().at("new_dr_volunteer_hours", d), surge[d]) << d;
      EXPECT_EQ(sim.recorder().at("n_dr_members_mobilised", d), mobilised[d]) << d;
    }
    EXPECT_EQ(sim.levers().volunteer_hours[0], 0.0f);  // the surge is over
    const auto o = outcomes_of(*raw);
    EXPECT_DOUBLE_EQ(o.at("dr_mean_mobilisation_hours"), 3.0);
    EXPECT_DOUBLE_EQ(o.at("dr_max_mobilisation_hours"), 3.0);
  }
}

TEST(DualRegistration, NoShockNoMobilisationOutcome) {
  World w = testing::tiny_world({1}, 2);
  register_member(w, 0, 0);
  Simulation sim(testing::quiet_params(3), std::move(w), 1);
  auto m = std::make_unique<DualRegistration>(dr_params());
  const auto* raw = m.get();
  sim.add_mechanism(std::move(m));
  sim.run();
  EXPECT_TRUE(std::isnan(outcomes_of(*raw).at("dr_mean_mobilisation_hours")));
  EXPECT_EQ(sim.recorder().at("new_dr_surge_hours", 2), 0);
}

std::vector<double> delays(int shock_start, std::uint64_t seed, double mean_share = 0.5) {
  // 400 communities of one grid, one household and one member each.
  World w = testing::tiny_world(std::vector<std::uint32_t>(400, 1), 1);
  for (std::uint32_t c = 0; c < 400; ++c) register_member(w, c, c);
  Simulation sim(testing::quiet_params(shock_start + 1), std::move(w), seed);
  DualRegistrationParams p = dr_params();
  p.mobilisation_mean_share = mean_share;
  auto m = std::make_unique<DualRegistration>(p);
  const auto* raw = m.get();
  sim.add_mechanism(std::make_unique<Shock>(quiet_shock(shock_start, 1)));
  sim.add_mechanism(std::move(m));
  sim.run();
  const auto o = outcomes_of(*raw);
  std::vector<double> v = raw->delay_hours();
  v.push_back(o.at("dr_mean_mobilisation_hours"));
  v.push_back(o.at("dr_max_mobilisation_hours"));
  return v;
}

TEST(DualRegistration, DelaysStayWithinTheBoundWithTheSharedMeanAndAreKeyedByCommunityAndShock) {
  // Seed 001's "within 3 hours": no delay above 3 h. Mean share 0.5: uniform on [0, 3], sd 3 / sqrt(12) =
  // 0.87; the mean of 400 within 4 sd (0.17) of 1.5, the largest above 2.9 (all below: (2.9/3)^400 < 1e-5).
  const std::vector<double> a = delays(5, 3);
  for (int c = 0; c < 400; ++c) {
    EXPECT_GE(a[c], 0.0) << c;
    EXPECT_LE(a[c], 3.0) << c;
  }
  EXPECT_NEAR(a[400], 1.5, 4 * 0.87 / 20);
  EXPECT_LE(a[401], 3.0);
  EXPECT_GT(a[401], 2.9);
  // Mean share 0.25: 3 U^3, mean 0.75, sd 3 sqrt(1/7 - 1/16) = 0.85.
  const std::vector<double> b = delays(5, 3, 0.25);
  EXPECT_NEAR(b[400], 0.75, 4 * 0.85 / 20);
  EXPECT_LE(b[401], 3.0);
  EXPECT_EQ(delays(5, 3, 0.0)[401], 0.0);   // mean share 0: at once
  EXPECT_EQ(delays(5, 3), a);               // the same draws for the same seed and shock
  EXPECT_NE(delays(6, 3), a);               // another shock start: other draws
}

// The stylised fact (seed 001, Runzhou's epidemic): on a small generated district hit by a shock whose urgent
// tasks swamp the grid workers, dual registration's surge lowers the peak backlog and shortens the recovery.
TEST(DualRegistration, LowersTheShockPeakAndShortensRecoveryOnAGeneratedDistrict) {
  Params p = testing::small_district(6, 330);
  p.district.in_service_members = 1000;  // ~168 per community (seed 000: 8,400 over 50)
  // Enough capacity above the grid that the backlog is stationary without a shock (so that it can recover).
  p.ladder.community_staff = 6;
  p.ladder.street_staff = 8;
  p.ladder.department_staff_per_street = 4;
  ShockParams sp = quiet_shock(150, 60);
  sp.urgent_task_hours = 6;  // the epidemic takes most of a grid worker's day
  double rec_without = 0, rec_with = 0;
  for (std::uint64_t seed : {101u, 102u, 103u}) {
    std::map<std::string, double> o[2];
    for (int with = 0; with < 2; ++with) {
      Simulation sim(p, generate_world(p, seed), seed);
      auto shock = std::make_unique<Shock>(sp);
      const auto* raw = shock.get();
      sim.add_mechanism(std::move(shock));
      if (with) sim.add_mechanism(std::make_unique<DualRegistration>(testing::mechanism_defaults().dual_registration));
      sim.run();
      o[with] = outcomes_of(*raw);
    }
    EXPECT_LT(o[1].at("shock_peak_backlog"), 0.6 * o[0].at("shock_peak_backlog")) << seed;
    ASSERT_FALSE(std::isnan(o[0].at("shock_days_to_recover"))) << seed;
    ASSERT_FALSE(std::isnan(o[1].at("shock_days_to_recover"))) << seed;
    rec_without += o[0].at("shock_days_to_recover");
    rec_with += o[1].at("shock_days_to_recover");
    std::printf("seed %llu: peak %g -> %g, days to recover %g -> %g (pre %g -> %g)\n",
                static_cast<unsigned long long>(seed), o[0].at("shock_peak_backlog"), o[1].at("shock_peak_backlog"),
                o[0].at("shock_days_to_recover"), o[1].at("shock_days_to_recover"), o[0].at("shock_pre_backlog"),
                o[1].at("shock_pre_backlog"));
  }
  EXPECT_LT(rec_with, rec_without);
}

}  // namespace
}  // namespace govsim
