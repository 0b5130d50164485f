#include <gtest/gtest.h>

#include "experiment/validation.h"
#include "params/registry.h"

namespace govsim {
namespace {

TEST(Validation, ParsesTheFourForms) {
  Check c = parse_check("f1", "hard problems closed: joint_handling > baseline", "v.ini:3");
  EXPECT_EQ(c.metric, "hard problems closed");
  EXPECT_EQ(c.a, "joint_handling");
  EXPECT_EQ(c.b, "baseline");
  EXPECT_EQ(c.op, '>');
  c = parse_check("f2", "final:n_open_hard: a < b", "v.ini:4");
  EXPECT_EQ(c.metric, "final:n_open_hard");
  EXPECT_EQ(c.op, '<');
  c = parse_check("f3", "mean:mean_gw_fatigue: staffed = baseline +- 0.02", "v.ini:5");
  EXPECT_EQ(c.op, '=');
  EXPECT_DOUBLE_EQ(c.tol, 0.02);
  c = parse_check("f4", "share aware: fuyang ~ 0.842 +- 0.05", "v.ini:6");
  EXPECT_EQ(c.op, '~');
  EXPECT_DOUBLE_EQ(c.target, 0.842);
  EXPECT_DOUBLE_EQ(c.tol, 0.05);
  EXPECT_TRUE(c.b.empty());
}

TEST(Validation, BadChecksNameFileLineAndCheck) {
  const char* bad[] = {"no metric here", "hard problems closed: a >> b", "share aware: a ~ 0.8 0.1",
                       "share aware: a ~ high +- 0.1", "median:x: a > b", "hard problems closed: a > b c"};
  for (const char* text : bad) {
    try {
      parse_check("f", text, "v.ini:9");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("v.ini:9: check 'f': "), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace govsim
