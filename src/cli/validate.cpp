#include <omp.h>
#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/options.h"
#include "experiment/comparison.h"
#include "experiment/runner.h"
#include "experiment/validation.h"
#include "util/json.h"

namespace po = boost::program_options;

namespace govsim::cli {

namespace {

// Throws InputError unless every check's metric exists for its arms: a one-day pilot of one community per
// arm (mechanisms' outcomes exist only in arms that switch them on), before the real runs.
void check_metrics(const Comparison& cmp, const std::vector<Check>& checks) {
  std::map<std::size_t, std::unique_ptr<RunResult>> pilots;
  for (const auto& c : checks)
    for (const auto& arm : {c.a, c.b}) {
      if (arm.empty()) continue;
      const std::size_t k = cmp.arm_index(arm);
      auto& pilot = pilots[k];
      if (!pilot && !(pilot = pilot_run(cmp.arms()[k]))) return;  // needs more communities: the runs will say
      try {
        (void)run_value(*pilot, c.metric);
      } catch (const std::exception&) {
        throw InputError(
            c.where + ": check '" + c.name + "': unknown metric '" + c.metric + "' in arm '" + arm +
            "' (a summary field, a mechanism's outcome, or a reduction of a series; docs/OUTPUT.md "
            "lists them)");
      }
    }
}

}  // namespace

int cmd_validate(const std::vector<std::string>& args) {
  std::vector<std::string> files, sets;
  std::string json;
  int threads = 0;
  po::options_description desc("validate options");
  desc.add_options()("files", po::value<std::vector<std::string>>(&files), "validation scenario files")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "key=value override for every file")(
      "threads", po::value<int>(&threads), "OpenMP threads")("json", po::value<std::string>(&json),
                                                             "also write the verdicts as JSON");
  add_parameter_options(desc);
  po::positional_options_description pos;
  pos.add("files", -1);
  // Every file is read and every check parsed before anything runs.
  std::vector<std::unique_ptr<Comparison>> comparisons;
  std::vector<std::vector<Check>> checks;
  if (const int rc = input_or_exit([&] {
        parse_arguments(args, desc, pos, sets);
        check_threads(threads);
        if (files.empty())
          throw InputError("command line: give one or more validation files (tests/validation/*.ini)");
        for (auto& f : files) {
          f = find_input(f);
          if (!std::filesystem::exists(f)) throw InputError(f + ": validation file not found");
          comparisons.push_back(std::make_unique<Comparison>());
          comparisons.back()->load(f, sets);
          checks.emplace_back();
          std::map<std::string, std::string> named;  // check name -> where first given
          for (const auto& c : comparisons.back()->file().checks) {
            const std::string where = c.where;
            if (!named.emplace(c.name, where).second)
              throw InputError(where + ": check '" + c.name + "' given twice (first at " + named[c.name] +
                               ")");
            checks.back().push_back(parse_check(c.name, c.text, where));
            for (const auto& arm : {checks.back().back().a, checks.back().back().b})
              if (!arm.empty() && comparisons.back()->arm_index(arm) == comparisons.back()->names().size())
                throw InputError(where + ": check '" + c.name + "': no arm '" + arm + "'");
          }
          if (checks.back().empty()) throw InputError(f + ": no [checks] section");
          check_metrics(*comparisons.back(), checks.back());
        }
        // A report, replaced freely; never one of the inputs.
        if (!json.empty()) require_out_file(json, files, /*force=*/true, "--json");
      }))
    return rc;
  if (threads > 0) omp_set_num_threads(threads);

  std::vector<Verdict> verdicts;
  std::vector<std::string> sources;
  try {
    for (std::size_t i = 0; i < comparisons.size(); ++i) {
      comparisons[i]->run(nullptr, true);
      for (const auto& c : checks[i]) {
        verdicts.push_back(evaluate(c, *comparisons[i]));
        sources.push_back(files[i]);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "govsim: validation failed to run: " << e.what() << "\n";
    return 1;
  }
  int failed = 0;
  std::printf("\n%-40s %-40s %-28s %-34s %s\n", "fact", "arms", "metric", "effect [95% interval]", "verdict");
  for (const auto& v : verdicts) {
    const auto& c = v.check;
    const std::string arms = c.op == '~'   ? c.a + " ~ " + format_real(c.target) + " +- " + format_real(c.tol)
                             : c.op == '=' ? c.a + " = " + c.b + " +- " + format_real(c.tol)
                                           : c.a + (c.op == '>' ? " > " : " < ") + c.b;
    char effect[96];
    std::snprintf(effect, sizeof effect, "%+.4g [%+.4g, %+.4g]", v.effect.mean, v.effect.lo, v.effect.hi);
    std::printf("%-40s %-40s %-28s %-34s %s\n", c.name.c_str(), arms.c_str(), c.metric.c_str(), effect,
                v.pass ? "PASS" : "FAIL");
    failed += v.pass ? 0 : 1;
  }
  std::printf("\n%d passed, %d failed\n", static_cast<int>(verdicts.size()) - failed, failed);
  if (!json.empty()) {
    Json doc = Json::array();
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
      const auto& v = verdicts[i];
      doc.push_back({{"fact", v.check.name},
                     {"file", sources[i]},
                     {"metric", v.check.metric},
                     {"a", v.check.a},
                     {"b", v.check.b},
                     {"op", std::string(1, v.check.op)},
                     {"mean", v.effect.mean},
                     {"lo", v.effect.lo},
                     {"hi", v.effect.hi},
                     {"pass", v.pass}});
    }
    // A verdict per line; written whole under a temporary name.
    write_text_atomically(json, json_text(doc, {.indent = 2, .one_line_from = 1, .spaces = true}) + "\n");
  }
  return failed ? 1 : 0;
}

}  // namespace govsim::cli
