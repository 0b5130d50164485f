#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/rng.h"
#include "experiment/comparison.h"
#include "experiment/experiment.h"

namespace govsim {
namespace {

// Each test writes into its own directory: ctest runs tests in parallel processes.
std::string write_ini(const std::string& name, const std::string& text) {
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const auto dir = std::filesystem::temp_directory_path() / ("govsim_experiment_" + test);
  std::filesystem::create_directories(dir);
  const auto path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

const char* kScenario = "[run]\nseed = 11\nreplicates = 2\n[district]\ncommunities = 2\n";

std::string load_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  const auto path = write_ini("experiment.ini", text);
  Experiment e;
  try {
    e.load(path, sets);
  } catch (const InputError& err) {
    return err.what();
  }
  return "";
}

std::vector<std::string> levels_of(const std::string& vary_line) {
  Experiment e;
  e.load(write_ini("levels.ini", std::string(kScenario) + "[vary]\n" + vary_line + "\n"), {});
  return e.axes().at(0).levels;
}

TEST(Experiment, RangesIncludeTheirStop) {
  EXPECT_EQ(levels_of("grid.workers_per_grid = 1:3:0.5"),
            (std::vector<std::string>{"1", "1.5", "2", "2.5", "3"}));
  EXPECT_EQ(levels_of("grid.workers_per_grid = 1:3.2:0.5"),
            (std::vector<std::string>{"1", "1.5", "2", "2.5", "3"}));
  EXPECT_EQ(levels_of("district.communities = 2:10:4"), (std::vector<std::string>{"2", "6", "10"}));
  EXPECT_EQ(levels_of("district.communities = 5:5:1"), (std::vector<std::string>{"5"}));
}

TEST(Experiment, FloatRangesPrintWithoutBinaryNoise) {
  EXPECT_EQ(levels_of("demand.shared_rate = 0.1:0.3:0.1"), (std::vector<std::string>{"0.1", "0.2", "0.3"}));
  const auto l = levels_of("demand.shared_rate = 0:1:0.1");
  ASSERT_EQ(l.size(), 11u);
  EXPECT_EQ(l[3], "0.3");
  EXPECT_EQ(l[7], "0.7");
  EXPECT_EQ(l[10], "1");
}

TEST(Experiment, LevelListsMayQuoteCommasAndEmptyValues) {
  EXPECT_EQ(levels_of("run.mechanisms = \"\", joint_handling, \"joint_handling,downshift\""),
            (std::vector<std::string>{"", "joint_handling", "joint_handling,downshift"}));
  EXPECT_EQ(levels_of("grid.workers_per_grid = 1e0, 2.50"), (std::vector<std::string>{"1", "2.5"}));
}

TEST(Experiment, IntegerBoundsAreRoundedAndClamped) {
  Experiment e;
  e.load(write_ini("lhs.ini",
                   std::string(kScenario) +
                       "[experiment]\ndesign = lhs\nsamples = 30\n[vary]\ndistrict.communities = [1, 3]\n"
                       "demand.shared_rate = [0.2, 0.4]\n"),
         {});
  ASSERT_EQ(e.points(), 30);
  EXPECT_TRUE(e.axes()[0].integer);
  EXPECT_FALSE(e.axes()[1].integer);
  std::set<std::string> seen;
  for (const auto& r : e.runs()) {
    seen.insert(r.values[0].second);
    const double v = std::stod(r.values[1].second);
    EXPECT_GE(v, 0.2);
    EXPECT_LE(v, 0.4);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"1", "2", "3"}));
}

TEST(Experiment, ErrorsNameFileLineAndKey) {
  const std::string s = kScenario;  // 5 lines
  auto has = [](const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos;
  };
  std::string m = load_error(s + "[vary]\ngrid.nope = 1, 2\n");
  EXPECT_TRUE(has(m, "experiment.ini:7: unknown key 'grid.nope'")) << m;
  m = load_error(s + "[vary]\ngrid.workers_per_grid = 3:1:1\n");
  EXPECT_TRUE(has(m, "experiment.ini:7: key 'grid.workers_per_grid': bad range '3:1:1'")) << m;
  m = load_error(s + "[vary]\ngrid.workers_per_grid = 1:3:0\n");
  EXPECT_TRUE(has(m, "experiment.ini:7: key 'grid.workers_per_grid': bad range '1:3:0': step must be > 0"))
      << m;
  m = load_error(s + "[vary]\ndistrict.communities = 1:4:0.5\n");
  EXPECT_TRUE(has(m, "experiment.ini:7: key 'district.communities': bad range")) << m;
  m = load_error(s + "[vary]\ngrid.workers_per_grid = [1, 3]\n");
  EXPECT_TRUE(has(m, "experiment.ini:7: key 'grid.workers_per_grid': bounds [lo, hi] need a sampled design"))
      << m;
  m = load_error(s + "[experiment]\ndesign = factorial\ncolour = blue\n");
  EXPECT_TRUE(has(m, "experiment.ini:8: unknown key 'experiment.colour'")) << m;
  m = load_error(s + "[experiment]\ndesign = latin\n");
  EXPECT_TRUE(has(m, "experiment.ini:7: key 'experiment.design': 'latin' is not one of")) << m;
  m = load_error(s + "[experiment]\ndesign = lhs\nsamples = -3\n[vary]\ngrid.workers_per_grid = [1, 3]\n");
  EXPECT_TRUE(has(m, "experiment.ini:8: key 'experiment.samples': expected a positive integer")) << m;
  m = load_error(s + "[experiment]\ndesign = sobol\n[vary]\ngrid.workers_per_grid = [1, 3]\n");
  EXPECT_TRUE(has(m, "experiment.ini:7: key 'experiment.design': design sobol needs experiment.samples"))
      << m;
  m = load_error(s + "[experiment]\ndesign = lhs\nsamples = 4\n[vary]\ngrid.workers_per_grid = 1, 2\n");
  EXPECT_TRUE(has(m, "needs at least one [vary] axis with bounds")) << m;
  m = load_error(s + "[vary]\ngrid.workers_per_grid = 1, 200\n");  // validated by setting it
  EXPECT_TRUE(has(m, "experiment.ini:7: key 'grid.workers_per_grid': value 200 is out of range")) << m;
  m = load_error(s + "[experiment]\ndesign = lhs\nsamples = 4\n[vary]\ngrid.workers_per_grid = [0, 3]\n");
  EXPECT_TRUE(has(m, "experiment.ini:10: key 'grid.workers_per_grid': value 0 is out of range")) << m;
  m = load_error(
      s + "[experiment]\ndesign = morris\nsamples = 4\nlevels = 3\n[vary]\ngrid.workers_per_grid = [1, 3]\n");
  EXPECT_TRUE(has(m, "experiment.ini:9: key 'experiment.levels': expected an even integer")) << m;
  m = load_error(s + "[vary]\ngrid.workers_per_grid = 1, 2\n", {"experiment.replicates=0"});
  EXPECT_TRUE(has(m, "command line: key 'experiment.replicates'")) << m;
}

TEST(Experiment, TheTableIsPointsTimesArmsTimesReplicates) {
  Experiment e;
  e.load(write_ini(
             "f.ini",
             std::string(kScenario) +
                 "[arms]\nbaseline =\njoint = run.mechanisms=joint_handling\n[experiment]\nreplicates = 3\n"
                 "[vary]\ndemand.shared_rate = 0.5, 1\ngrid.workers_per_grid = 2:4:1\n"),
         {});
  EXPECT_EQ(e.design(), "factorial");
  EXPECT_EQ(e.points(), 6);
  EXPECT_EQ(e.arms(), (std::vector<std::string>{"baseline", "joint"}));
  EXPECT_EQ(e.replicates(), 3);
  ASSERT_EQ(e.runs().size(), 6u * 2u * 3u);
  for (std::size_t i = 0; i < e.runs().size(); ++i) {
    const auto& r = e.runs()[i];
    EXPECT_EQ(r.index, static_cast<std::int64_t>(i));
    EXPECT_EQ(r.replicate, static_cast<std::int64_t>(i % 3));  // the replicate turns fastest, then the arm
    EXPECT_EQ(r.arm, i / 3 % 2 ? "joint" : "baseline");
    EXPECT_EQ(r.point, static_cast<std::int64_t>(i / 6));
    EXPECT_EQ(r.group, r.point);
  }
  // The last axis varies fastest.
  EXPECT_EQ(e.runs()[0].values[1].second, "2");
  EXPECT_EQ(e.runs()[6].values[1].second, "3");
  EXPECT_EQ(e.runs()[18].values[0].second, "1");
  EXPECT_EQ(e.runs()[18].values[1].second, "2");
  // Without [vary], a factorial experiment is one point.
  Experiment one;
  one.load(write_ini("one.ini", kScenario), {});
  EXPECT_EQ(one.points(), 1);
  EXPECT_EQ(one.runs().size(), 2u);  // run.replicates of the scenario
  EXPECT_EQ(one.arms(), (std::vector<std::string>{"baseline"}));
}

TEST(Experiment, ReplicateKSharesItsSeedAcrossArmsAndPoints) {
  Experiment e;
  e.load(write_ini("crn.ini",
                   std::string(kScenario) +
                       "[arms]\na =\nb = run.mechanisms=triage\n[experiment]\ndesign = lhs\nsamples = 5\n"
                       "[vary]\ndemand.shared_rate = [0.2, 0.8]\n"),
         {});
  ASSERT_EQ(e.runs().size(), 5u * 2u * 2u);
  for (const auto& r : e.runs()) EXPECT_EQ(r.seed, derive_seed(11, static_cast<std::uint64_t>(r.replicate)));
  // Varying run.seed itself breaks the pairing, as it should.
  Experiment s;
  s.load(write_ini("seed.ini", std::string(kScenario) + "[vary]\nrun.seed = 1, 2\n"), {});
  EXPECT_NE(s.runs()[0].seed, s.runs()[2].seed);
  EXPECT_EQ(s.runs()[0].seed, derive_seed(1, 0));
}

TEST(Experiment, RunIdsAreStableAndFollowTheParameters) {
  const std::string text =
      std::string(kScenario) +
      "[arms]\nbase =\njoint = run.mechanisms=joint_handling\n[experiment]\ndesign = sobol\n"
      "samples = 4\n[vary]\ndemand.shared_rate = [0.2, 0.8]\n";
  Experiment a, b, c;
  a.load(write_ini("a.ini", text), {});
  b.load(write_ini("a.ini", text), {});
  c.load(write_ini("a.ini", text), {"grid.hours_per_day=7"});
  ASSERT_EQ(a.runs().size(), b.runs().size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < a.runs().size(); ++i) {
    EXPECT_EQ(a.runs()[i].id, b.runs()[i].id);
    EXPECT_NE(a.runs()[i].id, c.runs()[i].id);
    EXPECT_EQ(a.runs()[i].id.size(), 16u);
    EXPECT_EQ(a.runs()[i].id.find_first_not_of("0123456789abcdef"), std::string::npos);
    ids.insert(a.runs()[i].id);
  }
  EXPECT_EQ(ids.size(), a.runs().size());  // every point, arm and replicate differs here
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_NE(a.fingerprint(), c.fingerprint());
  // The table's ids are those of the configurations config() builds for the sweep.
  for (const auto& r : a.runs()) {
    const auto cfg = a.config(r);
    EXPECT_EQ(run_id(cfg, r.seed, r.replicate, r.point, r.block, r.group), r.id) << r.index;
    EXPECT_NE(run_id(cfg, r.seed, r.replicate), r.id) << r.index;  // the design row is part of the id
    EXPECT_EQ(cfg.params.run.name, r.arm);
  }
}

TEST(Experiment, ConfigAppliesScenarioThenPointThenArm) {
  Experiment e;
  e.load(write_ini("order.ini",
                   std::string(kScenario) +
                       "[grid]\nhours_per_day = 7\n[arms]\nplain =\nlong_days = grid.hours_per_day=10\n"
                       "[vary]\ngrid.hours_per_day = 6, 8\ndistrict.communities = 3\n"),
         {"district.communities=4"});
  ASSERT_EQ(e.runs().size(), 2u * 2u * 2u);
  const auto p0_plain = e.config(e.runs()[0]);
  const auto p0_long = e.config(e.runs()[2]);
  const auto p1_plain = e.config(e.runs()[4]);
  EXPECT_EQ(p0_plain.params.grid.hours_per_day, 6);
  EXPECT_EQ(p1_plain.params.grid.hours_per_day, 8);
  EXPECT_EQ(p0_long.params.grid.hours_per_day, 10);    // the arm wins over the point
  EXPECT_EQ(p0_plain.params.district.communities, 3);  // the point wins over the command line
}

TEST(Experiment, VariedKeysAreThoseThatDifferSomewhere) {
  Experiment e;
  e.load(write_ini("v.ini", std::string(kScenario) +
                                "[arms]\nbase =\njoint = run.mechanisms=joint_handling\n"
                                "[vary]\ndemand.shared_rate = 0.5, 1\ngrid.hours_per_day = 8\n"),
         {});
  EXPECT_EQ(e.varied_keys(), (std::vector<std::string>{"run.mechanisms", "demand.shared_rate"}));
}

TEST(Experiment, SampledAxesCrossWithLevels) {
  Experiment e;
  e.load(write_ini("m.ini", std::string(kScenario) +
                                "[experiment]\ndesign = morris\nsamples = 3\nlevels = 4\nreplicates = 1\n"
                                "[vary]\ndemand.shared_rate = [0, 1]\nopinion.trust_mean = 0.4, 0.6\n"
                                "grid.workers_per_grid = [1, 4]\n"),
         {});
  // 3 trajectories x 3 steps (2 bounds axes + 1), each crossed with 2 levels.
  ASSERT_EQ(e.points(), 18);
  ASSERT_EQ(e.runs().size(), 18u);
  for (const auto& r : e.runs()) {
    const std::int64_t row = r.point / 2, level = r.point % 2;
    EXPECT_EQ(r.values[1].second, level ? "0.6" : "0.4");
    EXPECT_EQ(r.group, (row / 3) * 2 + level);
    EXPECT_EQ(r.block.rfind("step", 0), 0u);
  }
  EXPECT_EQ(e.runs()[0].block, "step0");
  const std::string json = e.design_json();
  EXPECT_NE(json.find("\"design\":\"morris\""), std::string::npos) << json;
  EXPECT_NE(
      json.find("{\"key\":\"demand.shared_rate\",\"kind\":\"bounds\",\"lo\":0,\"hi\":1,\"integer\":false}"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find("\"levels\":[\"0.4\",\"0.6\"]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"n_points\":18,\"n_runs\":18"), std::string::npos) << json;
}

TEST(Experiment, SaltelliTableHasNTimesDPlusTwoPointsPerLevel) {
  Experiment e;
  e.load(write_ini("s.ini",
                   std::string(kScenario) +
                       "[experiment]\ndesign = saltelli\nsamples = 8\n[vary]\ndemand.shared_rate = [0, 1]\n"
                       "grid.workers_per_grid = [1, 4]\nladder.street_staff = [1, 8]\n"),
         {"experiment.samples=4"});
  EXPECT_EQ(e.points(), 4 * (3 + 2));
  EXPECT_EQ(e.runs().size(), 4u * 5u * 2u);
  EXPECT_EQ(e.runs()[0].block, "A");
  EXPECT_EQ(e.runs()[2].block, "AB1");
  EXPECT_EQ(e.runs()[8].block, "B");
  EXPECT_EQ(e.runs()[10].group, 1);
}

TEST(Experiment, IncludedExperimentsCanBeOverridden) {
  write_ini("parent.ini",
            std::string(kScenario) +
                "[experiment]\ndesign = lhs\nsamples = 4\n[vary]\ndemand.shared_rate = [0, 1]\n");
  Experiment e;
  e.load(write_ini("child.ini",
                   "include = parent.ini\n[experiment]\nsamples = 6\n"
                   "[vary]\ndemand.shared_rate = [0.5, 1]\ngrid.workers_per_grid = [1, 2]\n"),
         {});
  EXPECT_EQ(e.design(), "lhs");
  EXPECT_EQ(e.points(), 6);
  ASSERT_EQ(e.axes().size(), 2u);
  EXPECT_EQ(e.axes()[0].lo, 0.5);
}

TEST(Experiment, ConfigTextReloadsToTheSameExperiment) {
  Experiment e;
  e.load(write_ini(
             "c.ini",
             std::string(kScenario) +
                 "[arms]\nbase =\nboth = run.mechanisms=joint_handling,downshift; downshift.variant=tasks\n"
                 "[experiment]\ndesign = lhs\nsamples = 5\ndesign_seed = 9\n"
                 "[vary]\ndemand.shared_rate = [0.2, 0.8]\ndemand.household_rate = 1.5, 2.5\n"),
         {"grid.hours_per_day=7"});
  Experiment again;
  again.load(write_ini("again.ini", e.config_text()), {});
  EXPECT_EQ(again.fingerprint(), e.fingerprint()) << e.config_text();
  EXPECT_EQ(again.design_json(), e.design_json());
}

TEST(Experiment, EveryRunHasTheSameDays) {
  // A sweep's files hold [run, day] series: a table whose runs differ in run.days is refused at load, naming
  // the line that makes them differ (it used to fail only when the shard file was written, after every run).
  Experiment e;
  try {
    e.load(write_ini("days.ini", std::string(kScenario) + "[vary]\nrun.days = 30, 60\n"), {});
    FAIL() << "no error";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("days.ini:"), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find("key 'run.days': 60 here, 30 in the table's first run"),
              std::string::npos)
        << err.what();
  }
}

TEST(Experiment, RunAndValidateRefuseAnExperimentFile) {
  const auto path = write_ini("x.ini", std::string(kScenario) + "[vary]\ndemand.shared_rate = 0.5, 1\n");
  Comparison c;
  try {
    c.load(path, {});
    FAIL() << "no error";
  } catch (const InputError& err) {
    EXPECT_EQ(std::string(err.what()),
              path + ": this is an experiment file ([vary]/[experiment]); run it with govsim sweep");
  }
}

}  // namespace
}  // namespace govsim
