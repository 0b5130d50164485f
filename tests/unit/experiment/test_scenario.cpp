#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "experiment/scenario.h"

namespace govsim {
namespace {

// Each test writes its own file: ctest runs tests in parallel processes.
std::string write_ini(const std::string& name, const std::string& text) {
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const auto path = (std::filesystem::temp_directory_path() / (test + "_" + name)).string();
  std::ofstream(path) << text;
  return path;
}

std::string load_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  const auto path = write_ini("govsim_test_config.ini", text);
  try {
    read_scenario(path, sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Scenario, DefaultsComeFromTheDeclarations) {
  Scenario cfg;
  EXPECT_EQ(cfg.params.district.communities, 50);
  EXPECT_DOUBLE_EQ(cfg.params.grid.workers_per_grid, 2.6);
  const ParamSpec* s = cfg.registry().find("district.in_service_members");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(s->source.find("seed 000"), std::string::npos);
  for (const auto& spec : cfg.registry().specs()) {
    EXPECT_FALSE(spec.source.empty()) << spec.key;
    EXPECT_FALSE(spec.unit.empty()) << spec.key;
    EXPECT_TRUE(spec.source.find("seed") != std::string::npos || spec.source.find("assumption") != std::string::npos)
        << spec.key << ": a source must cite a seed or say assumption";
  }
}

TEST(Scenario, IniSectionsAndOverridesApply) {
  const auto path = write_ini("govsim_ok.ini", "# comment\n[district]\ncommunities = 12\n[grid]\nhours_per_day=7.5\n");
  const Scenario cfg = read_scenario(path, {"grid.hours_per_day=6", "run.days=10"}).base;
  EXPECT_EQ(cfg.params.district.communities, 12);
  EXPECT_DOUBLE_EQ(cfg.params.grid.hours_per_day, 6.0);  // the command line wins
  EXPECT_EQ(cfg.params.run.days, 10);
  EXPECT_NE(cfg.registry().to_ini().find("communities = 12"), std::string::npos);
}

TEST(Scenario, UnknownKeyNamesFileLineAndKey) {
  const auto msg = load_error("[district]\ncommunities = 12\n\n[grid]\nhourz = 3\n");
  EXPECT_NE(msg.find("govsim_test_config.ini:5:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown key 'grid.hourz'"), std::string::npos) << msg;
}

TEST(Scenario, BadTypeNamesFileLineAndKey) {
  const auto msg = load_error("[district]\ncommunities = twelve\n");
  EXPECT_NE(msg.find(":2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'district.communities'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected an integer"), std::string::npos) << msg;
  EXPECT_NE(load_error("[district]\ncommunities = 1.5\n").find("expected an integer"), std::string::npos);
}

TEST(Scenario, OutOfRangeNamesFileLineAndKey) {
  const auto msg = load_error("[run]\nseed = 3\n[grid]\nhours_per_day = 30\n");
  EXPECT_NE(msg.find(":4:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'grid.hours_per_day'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("out of range [0.5, 24]"), std::string::npos) << msg;
}

TEST(Scenario, DuplicateAndMalformedLinesAreRejected) {
  EXPECT_NE(load_error("[run]\ndays = 3\ndays = 4\n").find(":3: key 'run.days': given twice"), std::string::npos);
  EXPECT_NE(load_error("[run]\njust words\n").find(":2: expected 'key = value'"), std::string::npos);
}

TEST(Scenario, CommandLineErrorsSayCommandLine) {
  const auto msg = load_error("[run]\ndays = 3\n", {"grid.hours_per_day=abc"});
  EXPECT_NE(msg.find("command line: key 'grid.hours_per_day'"), std::string::npos) << msg;
}

TEST(Scenario, UnknownMechanismListsTheKnownOnes) {
  const auto msg = load_error("[run]\nmechanisms = joint_handling, nonsense\n");
  EXPECT_NE(msg.find(":2: key 'run.mechanisms': unknown mechanism"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(known: "), std::string::npos) << msg;
}

TEST(Scenario, CrossParameterChecks) {
  const auto msg = load_error("[district]\nshare_young = 0.6\nshare_elderly = 0.6\n");
  EXPECT_NE(msg.find(":3: key 'district.share_elderly'"), std::string::npos) << msg;
}

TEST(Scenario, CommunityTypeShares) {
  // Shares that do not sum to 1: the message names the four keys and the line of the first one set.
  auto msg = load_error("[district]\ncommunities = 10\ntype_share_commercial = 0.5\n");
  EXPECT_NE(
      msg.find(":3: keys 'district.type_share_old', 'district.type_share_commercial', "
               "'district.type_share_work_unit' and 'district.type_share_resettled' must sum to 1 (they sum "
               "to 1.1"),
      std::string::npos)
      << msg;
  EXPECT_EQ(load_error("[district]\ntype_share_old = 0.5\ntype_share_commercial = 0.2\n"), "");
  // A type whose weights give it young and elderly shares above 1 in all.
  msg = load_error("[district]\nshare_young = 0.4\nshare_elderly = 0.4\nold_elderly_weight = 3\n");
  EXPECT_NE(msg.find(":4: key 'district.old_elderly_weight': with 'district.old_young_weight' it gives old "
                     "communities young and elderly shares of"),
            std::string::npos)
      << msg;
}

TEST(Scenario, SplitList) {
  EXPECT_EQ(split_list(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_list("").empty());
}

}  // namespace
}  // namespace govsim

namespace govsim {
namespace {

TEST(Scenario, IncludeReadsTheOtherFileFirstAndThisOneWins) {
  const auto base = write_ini("base.ini", "[district]\ncommunities = 12\nhousehold_size = 3\n");
  const auto name = std::filesystem::path(base).filename().string();
  const auto top = write_ini("top.ini", "include = " + name + "\n[district]\ncommunities = 7\n");
  const Scenario cfg = read_scenario(top, {}).base;
  EXPECT_EQ(cfg.params.district.communities, 7);
  EXPECT_DOUBLE_EQ(cfg.params.district.household_size, 3.0);
  // An error in the included file names that file and line.
  const auto bad = write_ini("bad_base.ini", "[grid]\n\nhourz = 1\n");
  const auto top2 = write_ini("top2.ini", "include = " + std::filesystem::path(bad).filename().string() + "\n");
  try {
    read_scenario(top2, {});
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad_base.ini:3: unknown key 'grid.hourz'"), std::string::npos) << e.what();
  }
}

TEST(Scenario, ExperimentSectionsAreKeptAsLinesNotParameters) {
  const auto base = write_ini("exp_base.ini", "[experiment]\ndesign = lhs\n[vary]\ngrid.hours_per_day = [6, 8]\n");
  const auto name = std::filesystem::path(base).filename().string();
  const auto top = write_ini("exp_top.ini", "include = " + name + "\n[vary]\n\ndemand.shared_rate = 0.5, 1\n");
  const ScenarioFile file = read_scenario(top, {});
  EXPECT_DOUBLE_EQ(file.base.params.grid.hours_per_day, 8.0);  // untouched: [vary] is not a parameter section
  EXPECT_TRUE(file.has_section("experiment"));
  EXPECT_TRUE(file.has_section("vary"));
  EXPECT_FALSE(file.has_section("arms"));
  ASSERT_EQ(file.lines("experiment").size(), 1u);
  EXPECT_EQ(file.lines("experiment")[0].name, "design");
  EXPECT_EQ(file.lines("experiment")[0].value, "lhs");
  const auto& vary = file.lines("vary");
  ASSERT_EQ(vary.size(), 2u);  // the included file's lines first
  EXPECT_EQ(vary[0].name, "grid.hours_per_day");
  EXPECT_EQ(vary[0].value, "[6, 8]");
  EXPECT_EQ(vary[1].where, top + ":4");
  EXPECT_EQ(vary[1].file, top);
  EXPECT_EQ(vary[1].line, 4);
  EXPECT_TRUE(file.lines("checks").empty());
}

TEST(Scenario, ACopyIsAnIndependentValueBoundToItsOwnFields) {
  const auto path = write_ini("copy.ini", "[run]\nmechanisms = joint_handling\n[joint_handling]\nmeeting_interval_days = 14\n");
  const Scenario base = read_scenario(path, {}).base;
  EXPECT_EQ(base.mechanisms.joint_handling.meeting_interval_days, 14);
  Scenario copy = base;
  copy.set("joint_handling.meeting_interval_days", "7", "test");
  copy.set("grid.hours_per_day", "6", "test");
  EXPECT_EQ(copy.mechanisms.joint_handling.meeting_interval_days, 7);
  EXPECT_DOUBLE_EQ(copy.params.grid.hours_per_day, 6.0);
  EXPECT_EQ(base.mechanisms.joint_handling.meeting_interval_days, 14);  // the original is untouched
  EXPECT_DOUBLE_EQ(base.params.grid.hours_per_day, 8.0);
  // Each registry reads its own object.
  EXPECT_EQ(copy.registry().find("joint_handling.meeting_interval_days")->get(), "7");
  EXPECT_EQ(base.registry().find("joint_handling.meeting_interval_days")->get(), "14");
  // Assignment copies the values into the fields the registry is bound to.
  Scenario assigned;
  assigned = copy;
  EXPECT_EQ(assigned.registry().to_ini(), copy.registry().to_ini());
  assigned.set("joint_handling.meeting_interval_days", "21", "test");
  EXPECT_EQ(assigned.mechanisms.joint_handling.meeting_interval_days, 21);
  EXPECT_EQ(copy.mechanisms.joint_handling.meeting_interval_days, 7);
}

TEST(Scenario, ProvenanceSurvivesCopying) {
  const auto path = write_ini("prov.ini", "[district]\nshare_young = 0.5\n\nshare_elderly = 0.4\n");
  Scenario copy = read_scenario(path, {}).base;
  copy.set("district.share_young", "0.7", "test");  // the sum now exceeds 1: reported at share_elderly's line
  try {
    copy.validate();
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("prov.ini:4: key 'district.share_elderly'"), std::string::npos) << e.what();
  }
}

TEST(Scenario, AnArmIsTheBaseWithItsOverrides) {
  const auto path = write_ini("arms.ini",
                              "[grid]\nhours_per_day = 7\n[arms]\nplain =\nlong = grid.hours_per_day=10; "
                              "run.mechanisms=triage\n");
  const ScenarioFile file = read_scenario(path, {"run.days=20"});
  ASSERT_EQ(file.arms.size(), 2u);
  Scenario arm = file.base;
  arm.apply_arm(file.arms[1]);
  EXPECT_EQ(arm.params.run.name, "long");
  EXPECT_DOUBLE_EQ(arm.params.grid.hours_per_day, 10.0);
  EXPECT_EQ(arm.params.run.days, 20);
  EXPECT_EQ(arm.mechanism_names(), (std::vector<std::string>{"triage"}));
  EXPECT_DOUBLE_EQ(file.base.params.grid.hours_per_day, 7.0);
  // A bad override names the arm's line.
  Arm bad{"bad", {"grid.hours_per_day=99"}, 9, path + ":9"};
  try {
    arm.apply_arm(bad);
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("arms.ini:9: key 'grid.hours_per_day'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace govsim
