#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "params/config.h"

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
  Config cfg;
  try {
    cfg.load(path, sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, DefaultsComeFromTheDeclarations) {
  Config cfg;
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

TEST(Config, IniSectionsAndOverridesApply) {
  const auto path = write_ini("govsim_ok.ini", "# comment\n[district]\ncommunities = 12\n[grid]\nhours_per_day=7.5\n");
  Config cfg;
  cfg.load(path, {"grid.hours_per_day=6", "run.days=10"});
  EXPECT_EQ(cfg.params.district.communities, 12);
  EXPECT_DOUBLE_EQ(cfg.params.grid.hours_per_day, 6.0);  // the command line wins
  EXPECT_EQ(cfg.params.run.days, 10);
  EXPECT_NE(cfg.registry().to_ini().find("communities = 12"), std::string::npos);
}

TEST(Config, UnknownKeyNamesFileLineAndKey) {
  const auto msg = load_error("[district]\ncommunities = 12\n\n[grid]\nhourz = 3\n");
  EXPECT_NE(msg.find("govsim_test_config.ini:5:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown key 'grid.hourz'"), std::string::npos) << msg;
}

TEST(Config, BadTypeNamesFileLineAndKey) {
  const auto msg = load_error("[district]\ncommunities = twelve\n");
  EXPECT_NE(msg.find(":2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'district.communities'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected an integer"), std::string::npos) << msg;
  EXPECT_NE(load_error("[district]\ncommunities = 1.5\n").find("expected an integer"), std::string::npos);
}

TEST(Config, OutOfRangeNamesFileLineAndKey) {
  const auto msg = load_error("[run]\nseed = 3\n[grid]\nhours_per_day = 30\n");
  EXPECT_NE(msg.find(":4:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'grid.hours_per_day'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("out of range [0.5, 24]"), std::string::npos) << msg;
}

TEST(Config, DuplicateAndMalformedLinesAreRejected) {
  EXPECT_NE(load_error("[run]\ndays = 3\ndays = 4\n").find(":3: key 'run.days': given twice"), std::string::npos);
  EXPECT_NE(load_error("[run]\njust words\n").find(":2: expected 'key = value'"), std::string::npos);
}

TEST(Config, CommandLineErrorsSayCommandLine) {
  const auto msg = load_error("[run]\ndays = 3\n", {"grid.hours_per_day=abc"});
  EXPECT_NE(msg.find("command line: key 'grid.hours_per_day'"), std::string::npos) << msg;
}

TEST(Config, UnknownMechanismListsTheKnownOnes) {
  const auto msg = load_error("[run]\nmechanisms = joint_handling, nonsense\n");
  EXPECT_NE(msg.find(":2: key 'run.mechanisms': unknown mechanism"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(known: "), std::string::npos) << msg;
}

TEST(Config, CrossParameterChecks) {
  const auto msg = load_error("[district]\nshare_young = 0.6\nshare_elderly = 0.6\n");
  EXPECT_NE(msg.find(":3: key 'district.share_elderly'"), std::string::npos) << msg;
}

TEST(Config, SplitList) {
  EXPECT_EQ(split_list(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_list("").empty());
}

}  // namespace
}  // namespace govsim

namespace govsim {
namespace {

TEST(Config, IncludeReadsTheOtherFileFirstAndThisOneWins) {
  const auto base = write_ini("base.ini", "[district]\ncommunities = 12\nhousehold_size = 3\n");
  const auto name = std::filesystem::path(base).filename().string();
  const auto top = write_ini("top.ini", "include = " + name + "\n[district]\ncommunities = 7\n");
  Config cfg;
  cfg.load(top, {});
  EXPECT_EQ(cfg.params.district.communities, 7);
  EXPECT_DOUBLE_EQ(cfg.params.district.household_size, 3.0);
  // An error in the included file names that file and line.
  const auto bad = write_ini("bad_base.ini", "[grid]\n\nhourz = 1\n");
  const auto top2 = write_ini("top2.ini", "include = " + std::filesystem::path(bad).filename().string() + "\n");
  Config cfg2;
  try {
    cfg2.load(top2, {});
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad_base.ini:3: unknown key 'grid.hourz'"), std::string::npos) << e.what();
  }
}

TEST(Config, ExperimentSectionsAreKeptAsLinesNotParameters) {
  const auto base = write_ini("exp_base.ini", "[experiment]\ndesign = lhs\n[vary]\ngrid.hours_per_day = [6, 8]\n");
  const auto name = std::filesystem::path(base).filename().string();
  const auto top = write_ini("exp_top.ini", "include = " + name + "\n[vary]\n\ndemand.shared_rate = 0.5, 1\n");
  Config cfg;
  cfg.load(top, {});
  EXPECT_DOUBLE_EQ(cfg.params.grid.hours_per_day, 8.0);  // untouched: [vary] is not a parameter section
  EXPECT_TRUE(cfg.has_section("experiment"));
  EXPECT_TRUE(cfg.has_section("vary"));
  EXPECT_FALSE(cfg.has_section("arms"));
  ASSERT_EQ(cfg.section_lines("experiment").size(), 1u);
  EXPECT_EQ(cfg.section_lines("experiment")[0].name, "design");
  EXPECT_EQ(cfg.section_lines("experiment")[0].value, "lhs");
  const auto& vary = cfg.section_lines("vary");
  ASSERT_EQ(vary.size(), 2u);  // the included file's lines first
  EXPECT_EQ(vary[0].name, "grid.hours_per_day");
  EXPECT_EQ(vary[0].value, "[6, 8]");
  EXPECT_EQ(vary[1].where, top + ":4");
  EXPECT_EQ(vary[1].file, top);
  EXPECT_EQ(vary[1].line, 4);
  EXPECT_TRUE(cfg.section_lines("checks").empty());
}

}  // namespace
}  // namespace govsim
