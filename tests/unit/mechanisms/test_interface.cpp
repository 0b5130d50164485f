// The mechanism interface: subscription to named phases, order of calls, effect on the day, the factory.
#include <gtest/gtest.h>

#include "../tiny_world.h"
#include "mechanisms/factory.h"
#include "model/simulation.h"

namespace govsim {
namespace {

// A probe that adds administrative work in the assignment phase and counts its calls.
class ProbeMechanism : public Mechanism {
 public:
  explicit ProbeMechanism(float extra_hours) : extra_(extra_hours) {}
  std::string name() const override { return "probe"; }
  PhaseMask phases() const override { return phase_bit(Phase::kDemand) | phase_bit(Phase::kOpinion); }
  void initialize(DayApi&) override { ++initialized; }
  void act(Phase p, DayApi& api) override {
    if (p == Phase::kDemand)
      for (std::uint32_t w = 0; w < api.world().workers.size(); ++w) api.add_task_hours(w, extra_);
    ++acts;
  }
  void finalize(DayApi&) override { ++finalized; }
  void describe(AttributeSink& out) const override { out.number("extra_hours", extra_); }
  int initialized = 0, acts = 0, finalized = 0;

 private:
  float extra_;
};

TEST(MechanismInterface, ActsAfterTheCoreInItsPhasesOnly) {
  Simulation sim(testing::quiet_params(2), testing::tiny_world({1}, 1), 1);
  auto probe = std::make_unique<ProbeMechanism>(2.0f);
  auto* raw = probe.get();
  sim.add_mechanism(std::move(probe));
  sim.log_phases(true);
  sim.run();
  const std::vector<std::string> day0 = {"0:demand",   "0:demand:probe", "0:reporting", "0:assignment",
                                         "0:handling", "0:escalation",   "0:mechanisms", "0:opinion",
                                         "0:opinion:probe", "0:recording"};
  ASSERT_GE(sim.phase_log().size(), day0.size());
  EXPECT_EQ(std::vector<std::string>(sim.phase_log().begin(), sim.phase_log().begin() + 10), day0);
  EXPECT_EQ(raw->initialized, 1);
  EXPECT_EQ(raw->acts, 4);  // two phases on two days
  EXPECT_EQ(raw->finalized, 1);
  // Its tasks reached the workers through the core's assignment phase: 2 h a day.
  EXPECT_DOUBLE_EQ(sim.recorder().at("new_admin_hours", 0), 2.0);
  EXPECT_DOUBLE_EQ(sim.recorder().at("mean_gw_utilisation", 1), 0.25);
}

TEST(MechanismInterface, MechanismsCanAddMetrics) {
  Simulation sim(testing::quiet_params(3), testing::tiny_world({1, 2}, 1), 1);
  sim.add_metric({"n_probe", MetricKind::kStock, "things", "A probe's stock", true,
                  [](const Tally&, int c) { return c < 0 ? 100.0 : static_cast<double>(c); }, ""});
  sim.run();
  EXPECT_DOUBLE_EQ(sim.recorder().at("n_probe", 2), 100.0);
  const auto& byc = sim.recorder().by_community(sim.recorder().index("n_probe"));
  EXPECT_FLOAT_EQ(byc[1 * 3 + 2], 1.0f);  // community 1, day 2
}

TEST(MechanismInterface, AddingAfterTheStartIsAnError) {
  Simulation sim(testing::quiet_params(2), testing::tiny_world({1}, 1), 1);
  sim.step();
  EXPECT_THROW(sim.add_mechanism(std::make_unique<ProbeMechanism>(0.0f)), std::logic_error);
}

TEST(MechanismFactory, UnknownNameListsTheKnownOnes) {
  try {
    create_mechanism("no_such_mechanism", testing::mechanism_defaults());
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Unknown mechanism 'no_such_mechanism' (known: "), std::string::npos);
  }
}

TEST(Phases, NamesAreTheDocumentedOrder) {
  const char* expected[] = {"demand", "reporting", "assignment", "handling", "escalation", "mechanisms", "opinion",
                            "recording"};
  for (int p = 0; p < kPhases; ++p) EXPECT_STREQ(phase_name(static_cast<Phase>(p)), expected[p]);
}

}  // namespace
}  // namespace govsim

namespace govsim {
namespace {

// The schedule is data: each factory entry declares the phases its mechanism acts in (what describe prints and
// the ODD's table shows), and the built mechanism acts in exactly those.
TEST(MechanismFactory, EveryEntryDeclaresThePhasesItsMechanismActsIn) {
  MechanismParams m;
  ParamRegistry reg;
  bind_mechanism_params(reg, m);
  for (const auto& e : mechanism_entries()) EXPECT_EQ(e.create(m)->phases(), e.phases) << e.name;
}

// A handle to a case whose slot was recycled finds nothing, and a verb on it throws.
TEST(DayApi, HandlesOfRecycledSlotsFindNothing) {
  Simulation sim(testing::quiet_params(5), testing::tiny_world({1}, 2), 3);
  sim.begin_day();
  const std::uint32_t id = sim.raise_demand(0, 0, DemandKind::kHousehold, Level::kGrid, 0.5f, 9.0f);
  const CaseHandle h = sim.api().handle(0, id);
  ASSERT_NE(sim.api().find(h), nullptr);
  for (int p = 0; p < kPhases; ++p) sim.run_phase(static_cast<Phase>(p));
  for (int d = 1; d < 4; ++d) sim.step();  // resolved on day 1, its slot recycled after a later sweep
  const std::uint32_t again = sim.raise_demand(0, 1, DemandKind::kHousehold, Level::kGrid, 0.5f, 9.0f);
  EXPECT_EQ(again, id);  // the slot is reused
  EXPECT_EQ(sim.api().find(h), nullptr);
  EXPECT_THROW(sim.api().hold(h), std::logic_error);
  EXPECT_NE(sim.api().find(sim.api().handle(0, again)), nullptr);
}

}  // namespace
}  // namespace govsim
