// Conservation per kind, every day, with every mechanism on: each demand raised is resolved, abandoned,
// lapsed or still open (unreported, queued, passed up, held by a mechanism or waiting for its parties).
#include <gtest/gtest.h>

#include <array>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/factory.h"
#include "model/simulation.h"

namespace govsim {
namespace {

TEST(Conservation, EveryDemandIsClosedOrOpenPerKindEveryDay) {
  Params p = testing::small_district(4, 240);
  // Hard problems often and parties slow, so that every path (passing back, coordination, abandonment) is taken.
  p.demand.public_p_street = 0.3;
  p.demand.public_p_department = 0.2;
  p.ladder.abandon_days = 60;
  p.ladder.passback_per_party = 0.4;
  MechanismParams mp = testing::mechanism_defaults();
  mp.shock.start_day = 60;
  mp.joint_handling.listing = "monthly";
  Simulation sim(p, generate_world(p, 11), 11);
  for (const char* m : {"shock", "property_tiers", "digital_platform", "social_workers", "downshift", "visits",
                        "dual_registration", "triage", "joint_handling", "whistle"})
    sim.add_mechanism(create_mechanism(m, mp));
  std::array<double, kKinds> raised{}, resolved{}, ended{}, cum_resolved{};
  for (int d = 0; d < p.run.days; ++d) {
    sim.begin_day();
    for (int ph = 0; ph < kPhases; ++ph) {
      // Closures are counted before the opinion phase hands them to residents (a closure after it, next day).
      if (static_cast<Phase>(ph) == Phase::kOpinion)
        for (std::uint32_t c = 0; c < 4; ++c)
          for (const ClosedEvent& e : sim.api().closed_today(c))
            (e.outcome == Outcome::kResolved ? resolved : ended)[e.kind] += 1;
      sim.run_phase(static_cast<Phase>(ph));
    }
    std::array<double, kKinds> open{};
    for (std::uint32_t c = 0; c < 4; ++c) {
      const CasePool& pool = sim.api().cases(c);
      for (std::uint32_t id = 0; id < pool.capacity(); ++id) {
        const Case& k = pool[id];
        const bool is_open = k.state == CaseState::kLatent || k.state == CaseState::kQueued ||
                             k.state == CaseState::kEscalated || k.state == CaseState::kHeld;
        if (is_open) open[k.kind] += 1;
      }
    }
    // Closed after today's opinion phase (by a mechanism in recording): handed to residents tomorrow.
    std::array<double, kKinds> resolved_late{}, ended_late{};
    for (std::uint32_t c = 0; c < 4; ++c)
      for (const ClosedEvent& e : sim.api().closed_today(c))
        (e.outcome == Outcome::kResolved ? resolved_late : ended_late)[e.kind] += 1;
    const auto& rec = sim.recorder();
    const char* kinds[kKinds] = {"household", "shared", "public"};
    for (int k = 0; k < kKinds; ++k) {
      raised[k] += rec.at(std::string("new_demands_") + kinds[k], d);
      cum_resolved[k] += rec.at(std::string("new_resolved_") + kinds[k], d);
      ASSERT_DOUBLE_EQ(raised[k], resolved[k] + resolved_late[k] + ended[k] + ended_late[k] + open[k])
          << kinds[k] << " on day " << d;
      // The core's count of resolutions is the resolutions that happened.
      ASSERT_DOUBLE_EQ(cum_resolved[k], resolved[k] + resolved_late[k]) << kinds[k] << " on day " << d;
    }
    double latent = 0;
    for (std::uint32_t c = 0; c < 4; ++c) latent += sim.api().tally(c).latent;
    // Reported and open (the core's stock) plus unreported is every open demand.
    ASSERT_DOUBLE_EQ(latent + rec.at("n_open_cases", d), open[0] + open[1] + open[2]) << "day " << d;
  }
  EXPECT_GT(resolved[2], 0);
  EXPECT_GT(ended[0] + ended[1] + ended[2], 0);
}

}  // namespace
}  // namespace govsim
