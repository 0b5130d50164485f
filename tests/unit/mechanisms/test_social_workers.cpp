// Community social workers: hand-built worlds (numbers worked out in the comments), then the direction of the
// effect on a small generated district with and without the mechanism (common random numbers).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/social_workers.h"
#include "model/simulation.h"
#include "params/config.h"

namespace govsim {
namespace {

SocialWorkersParams defaults() {
  Config cfg;
  return cfg.block<SocialWorkersParams>(SocialWorkers::kName);
}

double at(const Simulation& sim, const char* name, int day) { return sim.recorder().at(name, day); }

TEST(SocialWorkersTest, StaffHoursTurnoverAndPayFromTheSeedFigures) {
  // Community 0: 2 grids of 500 single-resident households (1,000 residents); community 1: 1 grid (500).
  Simulation sim(testing::quiet_params(2), testing::tiny_world({2, 1}, 500), 1);
  sim.levers().community_extra_hours = {1.0f, 1.0f};  // another mechanism's hours stay
  sim.levers().quit_multiplier = 0.5;
  auto m = std::make_unique<SocialWorkers>(defaults());
  auto* sw = m.get();
  sim.add_mechanism(std::move(m));
  sim.run();
  // 18.4 per 10,000: 1.84 and 0.92 social workers; 6 h each: 11.04 h and 5.52 h a day at the community level.
  EXPECT_NEAR(sim.levers().community_extra_hours[0], 1.0 + 11.04, 1e-5);
  EXPECT_NEAR(sim.levers().community_extra_hours[1], 1.0 + 5.52, 1e-5);
  // Pay +40%, elasticity 1.5: 1.4^-1.5 = 1 / (1.4 * sqrt(1.4)) = 0.603682.
  EXPECT_NEAR(sw->quit_factor(), 0.603682, 1e-6);
  EXPECT_NEAR(sim.levers().quit_multiplier, 0.5 * 0.603682, 1e-6);
  EXPECT_NEAR(at(sim, "n_sw_staff", 0), 2.76, 1e-9);
  const auto& byc = sim.recorder().by_community(sim.recorder().index("n_sw_staff"));
  EXPECT_FLOAT_EQ(byc[1 * 2 + 0], 0.92f);  // community 1, day 0
  EXPECT_NEAR(at(sim, "new_sw_hours", 0), 16.56, 1e-9);
  // 6,000 yuan * 1.4 * 2.76 staff / 30 days = 772.8 yuan a day.
  EXPECT_NEAR(at(sim, "new_sw_cost_yuan", 0), 772.8, 1e-9);
  EXPECT_NEAR(at(sim, "cum_sw_cost_yuan", 1), 1545.6, 1e-9);
}

TEST(SocialWorkersTest, ExtraCommunityHoursShortenACommunityCase) {
  // One resident; a community-level case of 8 h reported at 10:00 on day 0. Day 1: the grid assesses it and
  // passes it up; day 2: first workable at the community, which has 1 staff * 4 h = 4 h a day.
  auto hours = [](bool with) {
    Simulation sim(testing::quiet_params(5), testing::tiny_world({1}, 1), 1);
    if (with) {
      SocialWorkersParams p = defaults();
      p.per_10k_residents = 10000;  // one social worker for the one resident
      p.hours_per_worker_day = 4;   // 4 more hours: 8 h a day
      sim.add_mechanism(std::make_unique<SocialWorkers>(p));
    }
    sim.begin_day();
    sim.raise_demand(0, 0, DemandKind::kShared, Level::kCommunity, 8.0f, 10.0f);
    testing::finish_day(sim);
    double h = std::nan("");
    for (int d = 1; d < 5; ++d) {
      sim.step();
      if (at(sim, "new_resolved_at_community", d) == 1) h = at(sim, "mean_resolution_hours", d);
    }
    return h;
  };
  // Without: 4 h on day 2, the last 4 h on day 3, done at 08:00 + 4 h * 4/4 = 12:00: 3*24 + 12 - 10 = 74 h.
  EXPECT_DOUBLE_EQ(hours(false), 74.0);
  // With: all 8 h on day 2, done at 08:00 + 4 h * 8/8 = 12:00: 2*24 + 12 - 10 = 50 h.
  EXPECT_DOUBLE_EQ(hours(true), 50.0);
}

TEST(SocialWorkersTest, ThePayRiseCutsGridWorkersQuits) {
  // 2,000 grid workers who all quit on day 0 without the mechanism (quit_base_per_year = 1 gives a daily
  // probability of 1); with it each quits with probability 0.603682: Binomial sd = sqrt(2000 * 0.6037 *
  // 0.3963) = 21.9; the same draws, so within 4 sd of 1207.4.
  auto quits = [](bool with) {
    Params pp = testing::quiet_params(1);
    pp.grid.quit_base_per_year = 1;
    Simulation sim(pp, testing::tiny_world({2000}, 1), 4);
    if (with) sim.add_mechanism(std::make_unique<SocialWorkers>(defaults()));
    sim.run();
    return at(sim, "new_quits", 0);
  };
  EXPECT_EQ(quits(false), 2000);
  EXPECT_NEAR(quits(true), 2000 * 0.603682, 4 * 21.9);
}

// Sums the hours of cases resolved at the community level (read in the mechanisms phase, before opinion).
class CommunityResolutions : public Mechanism {
 public:
  std::string name() const override { return "community_resolutions"; }
  PhaseMask phases() const override { return phase_bit(Phase::kMechanisms); }
  void act(Phase, DayApi& api) override {
    for (std::uint32_t c = 0; c < api.world().communities.size(); ++c)
      for (const ClosedEvent& e : api.closed_today(c))
        if (e.outcome == Outcome::kResolved && e.level == static_cast<std::uint8_t>(Level::kCommunity)) {
          hours += e.hours;
          n += 1;
        }
  }
  void describe(AttributeSink&) const override {}
  double hours = 0, n = 0;
};

struct DistrictRun {
  double community_hours = 0;  // mean hours to resolution, cases resolved at the community level
  double quits = 0;
};

DistrictRun run_district(const SocialWorkersParams* sw) {
  Params p = testing::small_district(8, 365);
  p.district.in_service_members = 1300;
  const std::uint64_t seed = 2024;
  Simulation sim(p, generate_world(p, seed), seed);
  if (sw) sim.add_mechanism(std::make_unique<SocialWorkers>(*sw));
  auto obs = std::make_unique<CommunityResolutions>();
  auto* o = obs.get();
  sim.add_mechanism(std::move(obs));
  sim.run();
  return {o->hours / o->n, at(sim, "cum_quits", 364)};
}

TEST(SocialWorkersTest, MoreSocialWorkersFasterCommunityCasesAndThePayRiseFewerQuits) {
  SocialWorkersParams no_rise = defaults();
  no_rise.pay_rise = 0;
  const SocialWorkersParams with = defaults();
  const DistrictRun none = run_district(nullptr), flat = run_district(&no_rise), full = run_district(&with);
  std::printf("community-level resolution hours: none %.2f, social workers %.2f\n", none.community_hours,
              full.community_hours);
  std::printf("grid workers' quits in a year: none %.0f, social workers without pay rise %.0f, with %.0f\n",
              none.quits, flat.quits, full.quits);
  EXPECT_LT(full.community_hours, none.community_hours);
  EXPECT_LT(flat.community_hours, none.community_hours);
  // Without a pay rise the grid workers' turnover is untouched (same draws), with it it falls.
  EXPECT_EQ(flat.quits, none.quits);
  EXPECT_LT(full.quits, none.quits);
}

}  // namespace
}  // namespace govsim
