// The parameter floor alone: the core declarations bound into a registry, text parsing, ranges and choices.
#include <gtest/gtest.h>

#include "params/params.h"
#include "params/registry.h"

namespace govsim {
namespace {

TEST(Params, DeclareBindsEveryCoreFieldAtItsDefault) {
  Params p;
  ParamRegistry reg;
  p.declare(reg);
  EXPECT_EQ(p.district.communities, 50);
  EXPECT_EQ(p.run.name, "baseline");
  EXPECT_EQ(reg.specs().front().key, "run.name");
  const ParamSpec* s = reg.find("grid.hours_per_day");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->default_text, "8");
}

TEST(Params, SetParsesIntoTheBoundFieldAndNamesWhereOnError) {
  Params p;
  ParamRegistry reg;
  p.declare(reg);
  reg.set("grid.hours_per_day", "7.5", "x.ini:3");
  EXPECT_DOUBLE_EQ(p.grid.hours_per_day, 7.5);
  EXPECT_EQ(reg.find("grid.hours_per_day")->get(), "7.5");
  try {
    reg.set("district.communities", "1.5", "x.ini:4");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "x.ini:4: key 'district.communities': expected an integer (int), got '1.5'");
  }
  try {
    reg.set("grid.hourz", "1", "x.ini:5");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "x.ini:5: unknown key 'grid.hourz' (govsim describe lists the known keys)");
  }
  EXPECT_THROW(reg.set("grid.hours_per_day", "30", "x.ini:6"), InputError);
  // A typo, or the right name in the wrong section: the key that was meant.
  try {
    reg.set("grid.hours_per_dya", "1", "x.ini:7");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "x.ini:7: unknown key 'grid.hours_per_dya' (did you mean 'grid.hours_per_day'? "
                           "govsim describe lists the known keys)");
  }
  EXPECT_NE(reg.unknown_key_text("run.hours_per_day").find("did you mean 'grid.hours_per_day'?"), std::string::npos);
}

TEST(Params, RestrictLimitsAStringToItsChoices) {
  Params p;
  ParamRegistry reg;
  p.declare(reg);
  reg.restrict("run.name", {"a", "b"});
  reg.set("run.name", "b", "x.ini:1");
  EXPECT_EQ(p.run.name, "b");
  EXPECT_THROW(reg.set("run.name", "c", "x.ini:2"), InputError);
}

}  // namespace
}  // namespace govsim
