// step() runs consecutive community parts of the day in one pass over the communities; the day must be the
// same, to the bit, as running each phase in its own pass (begin_day, then run_phase in schedule order).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../tiny_world.h"
#include "core/population.h"
#include "mechanisms/factory.h"
#include "model/simulation.h"

namespace govsim {
namespace {

// Every series, by day and by community, and every resident's opinion: the same bits.
void expect_same_days(const Simulation& one, const Simulation& other, std::int64_t days) {
  const Recorder& a = one.recorder();
  const Recorder& b = other.recorder();
  ASSERT_EQ(a.specs().size(), b.specs().size());
  double total = 0;
  for (std::size_t m = 0; m < a.specs().size(); ++m) {
    for (int d = 0; d < days; ++d) {
      const double x = a.series(m)[d], y = b.series(m)[d];
      if (x == x || y == y) {  // NaN on both sides counts as equal
        ASSERT_EQ(x, y) << a.specs()[m].name << " on day " << d;
      }
      if (x == x) total += x;
    }
    const auto &u = a.by_community(m), &v = b.by_community(m);
    ASSERT_EQ(u.size(), v.size());
    for (std::size_t i = 0; i < u.size(); ++i) {
      if (u[i] == u[i] || v[i] == v[i]) {
        ASSERT_EQ(u[i], v[i]) << a.specs()[m].name << " by community, entry " << i;
      }
    }
  }
  EXPECT_GT(total, 0.0);
  for (std::uint32_t r = 0; r < one.world().residents.size(); ++r) {
    ASSERT_EQ(one.world().residents[r].satisfaction, other.world().residents[r].satisfaction);
    ASSERT_EQ(one.world().residents[r].trust, other.world().residents[r].trust);
  }
}

void expect_fused_equals_phase_by_phase(const std::vector<std::string>& mechanisms) {
  Params p = testing::small_district(6, 150);
  p.demand.public_p_street = 0.2;  // hard problems often, so streets and departments have work
  p.demand.public_p_department = 0.1;
  MechanismParams mp = testing::mechanism_defaults();
  mp.shock.start_day = 40;
  mp.joint_handling.listing = "monthly";
  Simulation fused(p, generate_world(p, 5), 5), by_phase(p, generate_world(p, 5), 5);
  for (const auto& m : mechanisms) {
    fused.add_mechanism(create_mechanism(m, mp));
    by_phase.add_mechanism(create_mechanism(m, mp));
  }
  fused.log_phases(true);
  by_phase.log_phases(true);
  for (int d = 0; d < p.run.days; ++d) {
    fused.step();
    by_phase.begin_day();
    for (const PhaseInfo& info : kSchedule) by_phase.run_phase(info.phase);
  }
  EXPECT_EQ(fused.phase_log(), by_phase.phase_log());
  expect_same_days(fused, by_phase, p.run.days);
}

TEST(FusedDay, BaselineEqualsPhaseByPhase) {
  expect_fused_equals_phase_by_phase({});
}

TEST(FusedDay, EveryMechanismEqualsPhaseByPhase) {
  expect_fused_equals_phase_by_phase({"shock", "property_tiers", "digital_platform", "social_workers",
                                      "downshift", "visits", "dual_registration", "triage", "joint_handling",
                                      "whistle"});
}

// The network's links in the residents' records (build_network's default) and in Eigen's matrix give the
// same days: the same neighbours in the same order, with the same weight.
TEST(FusedDay, LinksInTheRecordsGiveTheMatrixDays) {
  Params p = testing::small_district(6, 150);
  MechanismParams mp = testing::mechanism_defaults();
  World inline_links = generate_world(p, 5);
  World matrix = inline_links;
  build_network(matrix, static_cast<int>(p.opinion.wom_degree), p.opinion.wom_rewire,
                static_cast<float>(p.opinion.wom_weight), 5, /*allow_inline=*/false);
  ASSERT_TRUE(inline_links.links_inline);
  ASSERT_FALSE(matrix.links_inline);
  Simulation a(p, std::move(inline_links), 5), b(p, std::move(matrix), 5);
  for (const char* m : {"property_tiers", "digital_platform", "triage", "joint_handling"}) {
    a.add_mechanism(create_mechanism(m, mp));
    b.add_mechanism(create_mechanism(m, mp));
  }
  for (int d = 0; d < p.run.days; ++d) {
    a.step();
    b.step();
  }
  expect_same_days(a, b, p.run.days);
}

}  // namespace
}  // namespace govsim
