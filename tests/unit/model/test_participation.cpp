// Participation and satisfaction by age band: the share rating good kept per band without per-resident daily
// work (it must add up to the total and match a recount); the chance of taking part in a council or
// volunteering, cut by the resident's workload and partly given back by the digital platform.
#include <gtest/gtest.h>

#include <array>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/digital_platform.h"
#include "mechanisms/dual_registration.h"
#include "mechanisms/triage.h"
#include "model/simulation.h"

namespace govsim {
namespace {

const char* kBands[kAgeBands] = {"young", "working", "elderly"};

// Every day, share good by band weighted by the bands' sizes is the total share good, and on every tenth day
// a recount of every resident's satisfaction today (relaxation applied) gives the same counts per band.
TEST(Participation, ShareGoodByAgeBandAddsUpAndMatchesARecount) {
  Params p = testing::small_district(2, 120);
  p.opinion.memory_days = 20;  // fast relaxation: many residents cross the threshold between touches
  const World w = generate_world(p, 5);
  std::array<double, kAgeBands> size{};
  for (std::size_t r = 0; r < w.residents.size(); ++r) size[w.residents[r].age] += 1;
  const double N = static_cast<double>(w.residents.size());
  Simulation sim(p, w, 5);
  const auto& rec = sim.recorder();
  for (int d = 0; d < p.run.days; ++d) {
    sim.step();
    double weighted = 0;
    for (int a = 0; a < kAgeBands; ++a)
      weighted += rec.at(std::string("share_good_") + kBands[a], d) * size[a];
    ASSERT_NEAR(weighted, rec.at("share_good", d) * N, 1e-6) << "day " << d;
    if (d % 10 != 9) continue;
    std::array<double, kAgeBands> good{};
    for (std::uint32_t r = 0; r < sim.world().residents.size(); ++r)
      if (sim.api().satisfaction(r) >= p.opinion.good_threshold) good[sim.world().residents[r].age] += 1;
    for (int a = 0; a < kAgeBands; ++a)
      EXPECT_NEAR(rec.at(std::string("share_good_") + kBands[a], d) * size[a], good[a], 1e-6)
          << kBands[a] << ", day " << d;
  }
  // The run moved opinion (so the test saw crossings), and the bands differ in size.
  EXPECT_NE(rec.at("share_good", 0), rec.at("share_good", p.run.days - 1));
}

// The time a resident's workload leaves for taking part: 1 - workload_<band> * (1 - digital * reach).
TEST(Participation, WorkloadTakesTimeAndTheDigitalPlatformGivesSomeBack) {
  Params p = testing::quiet_params(2);
  p.opinion.workload_young = 0.2;
  p.opinion.workload_working = 0.5;
  p.opinion.workload_elderly = 0.0;
  World w = testing::tiny_world({1}, 3);
  w.residents[0].age = static_cast<std::uint8_t>(AgeBand::kYoung);
  w.residents[1].age = static_cast<std::uint8_t>(AgeBand::kWorking);
  w.residents[2].age = static_cast<std::uint8_t>(AgeBand::kElderly);
  for (std::uint32_t r = 0; r < 3; ++r) w.residents[r].digital = 255;
  Simulation sim(p, w, 1);
  EXPECT_DOUBLE_EQ(sim.api().time_to_take_part(0), 0.8);
  EXPECT_DOUBLE_EQ(sim.api().time_to_take_part(1), 0.5);
  EXPECT_DOUBLE_EQ(sim.api().time_to_take_part(2), 1.0);
  DigitalPlatformParams dp = testing::mechanism_defaults().digital_platform;
  dp.participation_reach = 0.6;
  sim.add_mechanism(std::make_unique<DigitalPlatform>(dp));
  sim.step();  // initialize sets the lever
  EXPECT_DOUBLE_EQ(sim.levers().digital_participation, 0.6);
  EXPECT_NEAR(sim.api().time_to_take_part(0), 1.0 - 0.2 * 0.4, 1e-12);
  EXPECT_NEAR(sim.api().time_to_take_part(1), 1.0 - 0.5 * 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(sim.api().time_to_take_part(2), 1.0);
  // Someone with no digital propensity gets nothing back.
  sim.world().residents[1].digital = 0;
  EXPECT_DOUBLE_EQ(sim.api().time_to_take_part(1), 0.5);
}

// A council every day on a world of 100 working-age residents who always take part when they have the time:
// with workload 0.5 half of the invitees come; with the digital platform (reach 0.6) the digitally able come
// 80% of the time (1 - 0.5 * 0.4), those with no digital propensity still half. Common random numbers: the
// same invitees and draws in both runs.
TEST(Participation, TheDigitalPlatformRaisesCouncilAttendanceOfTheDigitallyAble) {
  const int days = 400;
  auto run = [&](bool platform, std::uint8_t digital) {
    Params p = testing::quiet_params(days);
    p.opinion.workload_working = 0.5;
    World w = testing::tiny_world({1}, 100);
    for (std::uint32_t r = 0; r < 100; ++r) w.residents[r].digital = digital;
    Simulation sim(p, std::move(w), 9);
    if (platform)
      sim.add_mechanism(std::make_unique<DigitalPlatform>(testing::mechanism_defaults().digital_platform));
    TriageParams tp = testing::mechanism_defaults().triage;
    tp.council_interval_days = 1;
    tp.council_quorum = 0;  // every meeting is held, so every attendee is counted
    sim.add_mechanism(std::make_unique<Triage>(tp));
    sim.run();
    double working = 0, others = 0, meetings = 0;
    for (int d = 0; d < days; ++d) {
      working += sim.recorder().at("new_tr_council_participants_working", d);
      others += sim.recorder().at("new_tr_council_participants_young", d) +
                sim.recorder().at("new_tr_council_participants_elderly", d);
      meetings += sim.recorder().at("new_tr_council_meetings", d);
    }
    EXPECT_EQ(meetings, days);
    EXPECT_EQ(others, 0);
    return working / (meetings * 15);  // share of the invitees who came
  };
  const double without = run(false, 255), with = run(true, 255), with_offline = run(true, 0);
  // 6000 invitations each: sd of a share about sqrt(0.25 / 6000) = 0.0065; within 4 sd.
  EXPECT_NEAR(without, 0.5, 0.026);
  EXPECT_NEAR(with, 0.8, 0.026);
  EXPECT_NEAR(with_offline, 0.5, 0.026);
  EXPECT_GT(with, without + 0.2);
}

// Volunteering: registered members are active with share_active times the time their workload leaves; the
// hours offered are recorded by the members' age band and add up to the total.
TEST(Participation, VolunteeringFallsWithWorkloadAndIsRecordedByAgeBand) {
  const int days = 30;
  auto run = [&](double workload_working) {
    Params p = testing::quiet_params(days);
    p.opinion.workload_working = workload_working;
    World w = testing::tiny_world({1}, 400);
    // 300 members: residents 0-99 young, 100-399 working age.
    for (std::uint32_t r = 0; r < 100; ++r) w.residents[r].age = static_cast<std::uint8_t>(AgeBand::kYoung);
    for (std::uint32_t r = 100; r < 400; ++r) {
      w.members.resident.push_back(r);
      w.members.community.push_back(0);
      w.residents[r].flags |= kInService | kPartyMember;
    }
    for (std::uint32_t r = 0; r < 100; ++r) {
      w.members.resident.push_back(r);
      w.members.community.push_back(0);
      w.residents[r].flags |= kInService | kPartyMember;
    }
    Simulation sim(p, std::move(w), 4);
    DualRegistrationParams dp = testing::mechanism_defaults().dual_registration;
    dp.share_active = 1.0;
    sim.add_mechanism(std::make_unique<DualRegistration>(dp));
    sim.run();
    const auto& rec = sim.recorder();
    for (int d = 0; d < days; ++d) {
      const double by_band = rec.at("new_dr_volunteer_hours_young", d) +
                             rec.at("new_dr_volunteer_hours_working", d) +
                             rec.at("new_dr_volunteer_hours_elderly", d);
      EXPECT_NEAR(by_band, rec.at("new_dr_volunteer_hours", d), 1e-9);
      EXPECT_EQ(rec.at("new_dr_volunteer_hours_elderly", d), 0);
    }
    return std::pair{rec.at("n_dr_members_active", 0),
                     rec.at("new_dr_volunteer_hours_young", 0) / rec.at("new_dr_volunteer_hours", 0)};
  };
  const auto [all, young_share_all] = run(0.0);
  const auto [busy, young_share_busy] = run(0.5);
  EXPECT_EQ(all, 400);  // share_active 1, nobody's time taken
  EXPECT_DOUBLE_EQ(young_share_all, 0.25);
  // The 300 working-age members come half the time (Binomial(300, 0.5): sd 8.7); the 100 young all come.
  EXPECT_NEAR(busy, 250, 35);
  EXPECT_GT(young_share_busy, young_share_all);
}

}  // namespace
}  // namespace govsim
