// libFuzzer harness over govsim's input parsers. Each input is read as a file by read_scenario(), its section
// lines by the public parsers (abc::parse_prior, parse_target, parse_metric, parse_check), then by the loader
// of each kind of file its sections make it: Comparison::load (a scenario, as `govsim run` and `govsim
// validate` read it), Experiment::load (`govsim plan` and `govsim sweep`; a plain scenario plans as one
// point), Calibration::load and Optimisation::load. Built by -DGOVSIM_FUZZ=ON (clang only), run by
// scripts/fuzz.sh; FUZZ_PARSERS_VERBOSE=1 prints each loader's outcome (to triage one input).
//
// Each input is written to a per-process temporary directory as DIR/w/a/b/in.ini. An input may hold a second
// file after a line `%%`: that part is written beside it as inc.ini, so `include = inc.ini` reads fuzzed text
// too. The repository's scenarios are reachable as they are from the seeds' own directories (symlinks: x.ini,
// ../x.ini, ../../scenarios/x.ini and the like), so the seed corpus (scenarios/, scenarios/experiments/,
// tests/calibration/, tests/bad_inputs/cases/) loads unchanged.
//
// Expected failures are govsim::InputError (bad input: one line naming file, line and key) and
// std::filesystem::filesystem_error (main() reports it with its path, exit code 2). Any other exception is a
// finding: the harness prints it and aborts. So are crashes, sanitizer reports, leaks and timeouts.
//
// Kept fast: no simulation. An experiment is loaded only when its run table, estimated from the text, is
// small (the table is built and every run's configuration checked: 10 million runs are allowed and take
// minutes, which is not a bug); a calibration's and an optimisation's load ends with a one-day pilot run of
// one community (to check metric names), which the harness keeps small by overriding the district's size
// parameters (they are still parsed and range-checked from the file first).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "experiment/abc_smc.h"
#include "experiment/calibration.h"
#include "experiment/comparison.h"
#include "experiment/experiment.h"
#include "experiment/optimisation.h"
#include "experiment/scenario.h"
#include "experiment/validation.h"
#include "params/registry.h"

#ifndef GOVSIM_SOURCE_DIR
#define GOVSIM_SOURCE_DIR "."
#endif

namespace fs = std::filesystem;

namespace {

fs::path g_root;         // the per-process temporary directory
fs::path g_input;        // g_root/w/a/b/in.ini
fs::path g_include;      // g_root/w/a/b/inc.ini
std::string g_stage;     // which loader runs now (printed with a finding)
bool g_verbose = false;  // FUZZ_PARSERS_VERBOSE=1: print each loader's outcome (to triage one input)

// Plan no experiment above this many runs (estimated from the file's text before loading).
constexpr double kMaxFuzzRuns = 20000;

void cleanup() {
  if (g_root.empty()) return;
  std::error_code ec;
  fs::remove_all(g_root, ec);
}

void write_file(const fs::path& p, const char* data, std::size_t size) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data, static_cast<std::streamsize>(size));
  if (!out) {
    std::fprintf(stderr, "fuzz_parsers: cannot write %s\n", p.c_str());
    std::abort();
  }
}

[[noreturn]] void finding(const char* kind, const char* what) {
  std::fprintf(stderr, "\nfuzz_parsers: FINDING in %s: %s: %s\n", g_stage.c_str(), kind, what);
  std::abort();
}

// Runs one loader: expected failures pass, anything else is a finding.
template <class F>
void expect_input_errors(const char* stage, F&& f) {
  g_stage = stage;
  try {
    f();
    if (g_verbose) std::fprintf(stderr, "fuzz_parsers: %s: accepted\n", stage);
  } catch (const govsim::InputError& e) {
    if (g_verbose) std::fprintf(stderr, "fuzz_parsers: %s: InputError: %s\n", stage, e.what());
  } catch (const fs::filesystem_error& e) {
    if (g_verbose) std::fprintf(stderr, "fuzz_parsers: %s: filesystem_error: %s\n", stage, e.what());
  } catch (const std::exception& e) {
    finding(typeid(e).name(), e.what());
  } catch (...) {
    finding("a non-std exception", "");
  }
}

double number_or(const std::string& s, double fallback) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return end != s.c_str() && std::isfinite(v) ? v : fallback;
}

// An upper estimate of an experiment's run count: design rows x level tuples x arms x replicates.
double estimated_runs(const govsim::ScenarioFile& file) {
  double samples = 1, replicates = static_cast<double>(file.base.params.run.replicates);
  bool sampled = false;
  for (const auto& l : file.lines("experiment")) {
    if (l.name == "samples") samples = std::max(1.0, std::fabs(number_or(l.value, 1)));
    if (l.name == "replicates") replicates = std::max(1.0, std::fabs(number_or(l.value, 1)));
    if (l.name == "design" && govsim::trim(l.value) != "factorial") sampled = true;
  }
  double bounds = 0, tuples = 1;
  for (const auto& l : file.lines("vary")) {
    const std::string v = govsim::trim(l.value);
    if (!v.empty() && v.front() == '[') {
      ++bounds;
      continue;
    }
    double n = 1;
    const auto parts = govsim::split_list(v, ':');
    if (parts.size() == 3 && v.find(',') == std::string::npos) {
      const double start = number_or(parts[0], 0), stop = number_or(parts[1], 0),
                   step = number_or(parts[2], 1);
      n = step > 0 ? std::floor((stop - start) / step) + 1 : 1;
      if (!std::isfinite(n) || n < 1) n = 1;
    } else {
      for (char c : v) n += c == ',';
    }
    tuples *= n;
  }
  const double rows = sampled ? samples * (bounds + 2) : 1;
  const double arms = std::max<double>(1, static_cast<double>(file.arms.size()));
  return rows * tuples * arms * replicates;
}

// The district's size, overridden for the calibration's and the optimisation's pilot run.
const std::vector<std::string> kSmallPilot = {
    "district.residents_per_community=10",
    "district.grids_per_community=1",
    "district.in_service_members=0",
    "district.district_leaders=0",
    "district.district_organs=0",
    "district.sections_stations=0",
    "district.soes=0",
    "district.two_new_orgs=0",
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // In $TMPDIR (scripts/fuzz.sh: build-fuzz/run/tmp), removed at exit; a crash leaves it behind.
  const char* tmpdir = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/govsim-fuzz-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    std::perror("fuzz_parsers: mkdtemp");
    std::abort();
  }
  g_root = tmpl;
  std::atexit(cleanup);
  const char* env = std::getenv("GOVSIM_SOURCE_DIR");
  const fs::path scenarios = fs::path(env && *env ? env : GOVSIM_SOURCE_DIR) / "scenarios";
  if (!fs::is_directory(scenarios)) {
    std::fprintf(stderr, "fuzz_parsers: %s is not a directory (set GOVSIM_SOURCE_DIR)\n", scenarios.c_str());
    std::abort();
  }
  const fs::path dir = g_root / "w" / "a" / "b";
  fs::create_directories(dir);
  // The repository's scenarios from the input's directory and the two above it: `baseline.ini`,
  // `../baseline.ini`, `../../scenarios/fuyang.ini`, `scenarios/experiments/lhs.ini`, ...
  for (const fs::path& d : {dir, dir.parent_path(), dir.parent_path().parent_path()}) {
    fs::create_directory_symlink(scenarios, d / "scenarios");
    for (const auto& e : fs::directory_iterator(scenarios))
      if (e.path().extension() == ".ini") fs::create_symlink(e.path(), d / e.path().filename());
  }
  const char* verbose = std::getenv("FUZZ_PARSERS_VERBOSE");
  g_verbose = verbose && *verbose && std::strcmp(verbose, "0") != 0;
  g_input = dir / "in.ini";
  g_include = dir / "inc.ini";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  // `%%` on a line of its own starts the second file (inc.ini).
  std::size_t main_size = size, inc_at = size;
  static const char kSep[] = "\n%%\n";
  for (std::size_t i = 0; i + 4 <= size; ++i)
    if (std::memcmp(text + i, kSep, 4) == 0) {
      main_size = i + 1;
      inc_at = i + 4;
      break;
    }
  write_file(g_input, text, main_size);
  write_file(g_include, text + inc_at, size - inc_at);
  const std::string path = g_input.string();

  // Every loader starts with read_scenario(): a file it refuses is refused by all of them alike.
  govsim::ScenarioFile file;
  bool readable = false;
  expect_input_errors("read_scenario", [&] {
    file = govsim::read_scenario(path, {});
    readable = true;
  });
  if (!readable) return 0;
  // The section parsers on their own, whatever else the file holds.
  for (const auto& l : file.lines("priors"))
    expect_input_errors("abc::parse_prior",
                        [&] { (void)govsim::abc::parse_prior(l.name, l.value, l.where); });
  for (const auto& l : file.lines("targets"))
    expect_input_errors("parse_target", [&] { (void)govsim::parse_target(l.name, l.value, l.where); });
  for (const auto& l : file.lines("objectives")) {  // `minimise METRIC [over FIRST-LAST]`
    const auto sp = l.value.find(' ');
    const std::string metric = sp == std::string::npos ? "" : l.value.substr(sp + 1);
    expect_input_errors("parse_metric", [&] { (void)govsim::parse_metric(l.name, metric, l.where); });
  }
  for (const auto& l : file.lines("constraints")) {  // `METRIC [over FIRST-LAST] <= VALUE`
    const std::string metric = l.value.substr(0, std::min(l.value.find("<="), l.value.find(">=")));
    expect_input_errors("parse_metric", [&] { (void)govsim::parse_metric(l.name, metric, l.where); });
  }
  for (const auto& c : file.checks)
    expect_input_errors("parse_check", [&] { (void)govsim::parse_check(c.name, c.text, c.where); });

  // Then the loader of each kind of file the sections say this is (each refuses the others' sections; a
  // loader is a few times slower than the reading alone, so only these run).
  const bool experiment = file.has_section("experiment") || file.has_section("vary");
  const bool calibration = file.is_calibration(), optimisation = file.is_optimisation();
  // A scenario, as govsim run and govsim validate read it: every arm built and validated.
  if (!experiment && !calibration && !optimisation)
    expect_input_errors("Comparison::load", [&] {
      govsim::Comparison cmp;
      cmp.load(path, {});
    });
  // An experiment (a scenario plans as one point), when its run table is small enough to build quickly.
  if (!calibration && !optimisation) {
    const double runs = estimated_runs(file);
    if (runs <= kMaxFuzzRuns)
      expect_input_errors("Experiment::load", [&] {
        govsim::Experiment e;
        e.load(path, {});
        (void)e.fingerprint();
        (void)e.design_json();
      });
    else if (g_verbose)
      std::fprintf(stderr, "fuzz_parsers: Experiment::load: skipped (about %g runs)\n", runs);
  }
  // Calibrations and optimisations (their pilot run kept small).
  if (calibration)
    expect_input_errors("Calibration::load", [&] {
      govsim::Calibration c;
      c.load(path, kSmallPilot);
      (void)c.settings_json();
    });
  if (optimisation)
    expect_input_errors("Optimisation::load", [&] {
      govsim::Optimisation o;
      o.load(path, kSmallPilot);
      (void)o.settings_json();
    });
  return 0;
}
