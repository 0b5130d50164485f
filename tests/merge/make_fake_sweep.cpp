// Writes a fake sweep directory for the merge tests: OUT/sweep/{plan.tsv, shard-*-of-3.h5, rank-*-of-3.h5}
// made of real runs of SCENARIO (30 days), and OUT/expected.h5, the file a single local sweep would write
// (every planned run in plan order, written at once). With --clean: two shards, round robin, all runs ok.
//
// Usage: make_fake_sweep SCENARIO.ini OUT [--clean]
//
// The default layout exercises every rule of `govsim merge`: arms with different community counts
// (padding), an arm with mechanisms the other lacks (metrics and outcomes missing from some files), a run
// that failed in its shard and was completed in a rank file (ok wins), a run completed in a shard and
// failed later in a rank file, a run missing from its shard whose only result is a failure in a file where
// every run failed (no series at all).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "experiment/runner.h"
#include "io/h5_writer.h"

namespace fs = std::filesystem;
using namespace govsim;

namespace {

struct Planned {
  std::int64_t index;
  std::string arm;
  std::int64_t replicate;
  std::vector<std::string> overrides;
  RunResult result;
};

RunRecord failed(const RunRecord& ok, const std::string& why) {
  RunRecord r = ok;
  r.recorder = nullptr;
  r.status = "failed";
  r.message = why;
  r.communities = {};
  r.mechanisms.clear();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: make_fake_sweep SCENARIO.ini OUT [--clean]\n";
    return 2;
  }
  const std::string scenario = argv[1];
  const fs::path out = argv[2];
  const bool clean = argc > 3 && std::string(argv[3]) == "--clean";
  const fs::path dir = out / "sweep";
  fs::remove_all(dir);
  fs::create_directories(dir);

  const std::vector<std::string> base = {"run.days=30", "district.communities=8", "run.name=base"};
  const std::vector<std::string> jh = {"run.days=30", "district.communities=6", "run.name=jh",
                                       "run.mechanisms=shock,joint_handling", "shock.start_day=10"};
  std::vector<Planned> plan;
  if (clean) {
    for (std::int64_t k = 0; k < 4; ++k) plan.push_back({k, "base", k, base, {}});
  } else {
    for (std::int64_t k = 0; k < 3; ++k) plan.push_back({k, "base", k, base, {}});
    for (std::int64_t k = 0; k < 3; ++k) plan.push_back({3 + k, "jh", k, jh, {}});
    plan.push_back({6, "base", 3, base, {}});
    plan.push_back({7, "jh", 3, jh, {}});
  }
  try {
    std::ofstream tsv(dir / "plan.tsv");
    tsv << "index\trun_id\tpoint\tblock\tarm\treplicate\tseed\tcost\n";
    for (auto& p : plan) {
      p.result = run_replicate(read_scenario(scenario, p.overrides).base, p.replicate, nullptr);
      RunRecord& r = p.result.record;
      char hash[17];
      std::snprintf(hash, sizeof hash, "%016llx", 0x9e3779b97f4a7c15ULL * static_cast<unsigned long long>(p.index + 1));
      r.index = p.index;
      r.run_hash = hash;
      r.point = p.arm == "base" ? 0 : 1;
      r.block = "";
      r.group = r.point;
      tsv << p.index << '\t' << hash << '\t' << r.point << '\t' << r.block << '\t' << p.arm << '\t' << p.replicate
          << '\t' << r.seed << "\t1\n";
    }
    if (!tsv) throw std::runtime_error("cannot write plan.tsv");
    tsv.close();

    WriteOptions opt;
    opt.param_columns = {"district.communities", "run.mechanisms", "shock.start_day"};
    auto rec = [&](std::size_t i) { return plan[i].result.record; };
    auto write = [&](const std::string& name, const std::vector<RunRecord>& runs, int communities = -1) {
      WriteOptions o = opt;
      o.days = 30;
      o.communities = communities;
      write_results((dir / name).string(), runs, Provenance{"make_fake_sweep " + name, "[run]\n", {{"shard", name}}},
                    o);
    };
    std::vector<RunRecord> expected;
    if (clean) {
      write("shard-0-of-2.h5", {rec(0), rec(2)});
      write("shard-1-of-2.h5", {rec(1), rec(3)});
      for (std::size_t i = 0; i < plan.size(); ++i) expected.push_back(rec(i));
    } else {
      write("shard-0-of-3.h5", {rec(0), rec(3), failed(rec(6), "killed by the test")});
      write("shard-1-of-3.h5", {rec(1), rec(4)});  // run 7 never ran here
      write("shard-2-of-3.h5", {rec(2), failed(rec(5), "node lost")});
      write("rank-0-of-3.h5", {rec(6), failed(rec(2), "stale failure")});  // 2 is ok in shard 2: ok wins
      write("rank-1-of-3.h5", {rec(5)});                                    // fewer communities
      write("rank-2-of-3.h5", {failed(rec(7), "out of memory")}, 8);        // every run failed: no series
      for (std::size_t i = 0; i < 7; ++i) expected.push_back(rec(i));
      expected.push_back(failed(rec(7), "out of memory"));
    }
    write_results((out / "expected.h5").string(), expected, Provenance{"make_fake_sweep expected", "[run]\n", {}},
                  opt);
  } catch (const std::exception& e) {
    std::cerr << "make_fake_sweep: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
