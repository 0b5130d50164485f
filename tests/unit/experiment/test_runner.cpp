#include <gtest/gtest.h>

#include "experiment/runner.h"
#include "mechanisms/factory.h"

namespace govsim {
namespace {

RunSummary run_with(const std::string& mechanisms) {
  Scenario cfg;
  cfg.params.district.communities = 4;
  cfg.params.run.days = 200;
  cfg.params.run.mechanisms = mechanisms;
  return run_replicate(cfg, 0, nullptr).summary;
}

TEST(Runner, MechanismsActInTheFixedOrderWhateverTheScenarioSays) {
  const RunSummary a = run_with("whistle,shock,joint_handling,dual_registration");
  const RunSummary b = run_with("dual_registration,joint_handling,shock,whistle");
  EXPECT_EQ(a.resolved, b.resolved);
  EXPECT_EQ(a.hard_closed, b.hard_closed);
  EXPECT_EQ(a.share_good, b.share_good);
  EXPECT_EQ(a.median_resolution_hours, b.median_resolution_hours);
}

TEST(Runner, TheFactoryListIsTheDocumentedOrder) {
  const std::vector<std::string> expected = {"shock",  "property_tiers", "digital_platform", "social_workers",
                                             "downshift", "visits", "dual_registration", "triage",
                                             "joint_handling", "whistle"};
  EXPECT_EQ(known_mechanisms(), expected);
}

}  // namespace
}  // namespace govsim
