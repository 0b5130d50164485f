#include <boost/program_options.hpp>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "experiment/runner.h"
#include "experiment/stats.h"
#include "io/h5_writer.h"
#include "params/config.h"

namespace po = boost::program_options;

namespace govsim::cli {

namespace {

struct Row {
  const char* label;
  double RunSummary::*field;
  const char* format;
  bool in_comparison;  // one of the comparison table's columns
};

const Row kRows[] = {
    {"demands raised", &RunSummary::demands, "%.0f", false},
    {"demands reported", &RunSummary::reported, "%.0f", false},
    {"cases resolved", &RunSummary::resolved, "%.0f", false},
    {"hard problems reported", &RunSummary::hard_raised, "%.0f", false},
    {"hard problems closed", &RunSummary::hard_closed, "%.0f", true},
    {"cases abandoned", &RunSummary::abandoned, "%.0f", false},
    {"median resolution (h)", &RunSummary::median_resolution_hours, "%.2f", true},
    {"p90 resolution (h)", &RunSummary::p90_resolution_hours, "%.1f", true},
    {"grid-worker utilisation", &RunSummary::mean_gw_utilisation, "%.3f", true},
    {"grid workers quitting", &RunSummary::quits, "%.0f", false},
    {"share good/very good", &RunSummary::share_good, "%.3f", true},
    {"mean trust", &RunSummary::mean_trust, "%.3f", true},
    {"share aware", &RunSummary::share_aware, "%.3f", true},
    {"wall seconds", &RunSummary::wall_seconds, "%.2f", false},
};

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::vector<double> column(const std::vector<RunSummary>& s, double RunSummary::*field) {
  std::vector<double> v;
  for (const auto& x : s) v.push_back(x.*field);
  return v;
}

void print_summary(const std::string& arm, const std::vector<RunSummary>& s, std::ostream& out) {
  out << "\nSummary: arm '" << arm << "', " << s.size() << " run(s)"
      << (s.size() > 1 ? " (mean and 95% interval across replicates)" : "") << "\n";
  for (const auto& row : kRows) {
    const Interval iv = mean_interval(column(s, row.field));
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %-26s%12s", row.label, fmt(row.format, iv.mean).c_str());
    out << buf;
    if (s.size() > 1) out << "   [" << fmt(row.format, iv.lo) << ", " << fmt(row.format, iv.hi) << "]";
    out << "\n";
  }
}

// Per arm: mean [95% interval]; then the paired difference from the baseline arm (replicate k with k).
void print_comparison(const std::vector<std::string>& arms, const std::vector<std::vector<RunSummary>>& s,
                      std::size_t base, const std::vector<Config::Contrast>& contrasts, std::ostream& out) {
  auto index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(arms.begin(), arms.end(), name) - arms.begin());
  };
  const std::size_t R = s.front().size();
  out << "\nComparison: " << arms.size() << " arms x " << R
      << " replicates (common random numbers); mean [95% interval] across replicates\n";
  for (const auto& row : kRows) {
    if (!row.in_comparison) continue;
    out << "\n  " << row.label << "\n";
    for (std::size_t a = 0; a < arms.size(); ++a) {
      const Interval iv = mean_interval(column(s[a], row.field));
      char buf[256];
      std::snprintf(buf, sizeof buf, "    %-28s %10s [%s, %s]", arms[a].c_str(), fmt(row.format, iv.mean).c_str(),
                    fmt(row.format, iv.lo).c_str(), fmt(row.format, iv.hi).c_str());
      out << buf;
      if (a != base) {
        const Interval d = paired_difference(column(s[a], row.field), column(s[base], row.field));
        std::snprintf(buf, sizeof buf, "   vs %s: %+.4g [%+.4g, %+.4g]%s", arms[base].c_str(), d.mean, d.lo, d.hi,
                      d.excludes_zero() ? " *" : "");
        out << buf;
      }
      out << "\n";
    }
    for (const auto& c : contrasts) {
      const Interval d = paired_difference(column(s[index(c.a)], row.field), column(s[index(c.b)], row.field));
      char buf[256];
      std::snprintf(buf, sizeof buf, "    %-28s %+.4g [%+.4g, %+.4g]%s   (%s - %s)", c.name.c_str(), d.mean, d.lo,
                    d.hi, d.excludes_zero() ? " *" : "", c.a.c_str(), c.b.c_str());
      out << buf << "\n";
    }
  }
  out << "\n  * the paired difference's 95% interval excludes zero\n";
}

void write_table_json(const std::string& path, const std::vector<std::string>& arms,
                      const std::vector<std::vector<RunSummary>>& s) {
  std::ofstream out(path);
  out << "{\n  \"arms\": {\n";
  for (std::size_t a = 0; a < arms.size(); ++a) {
    out << "    \"" << arms[a] << "\": {";
    bool first = true;
    for (const auto& row : kRows) {
      if (row.field == &RunSummary::wall_seconds) continue;  // not reproducible
      out << (first ? "" : ",") << "\n      \"" << row.label << "\": [";
      first = false;
      for (std::size_t k = 0; k < s[a].size(); ++k) out << (k ? ", " : "") << fmt("%.17g", s[a][k].*row.field);
      out << "]";
    }
    out << "\n    }" << (a + 1 < arms.size() ? "," : "") << "\n";
  }
  out << "  }\n}\n";
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
  Config base;
  std::string scenario, out_path, summary_json, baseline;
  std::vector<std::string> sets;
  int threads = 0;
  bool quiet = false;
  po::options_description desc("run options");
  desc.add_options()("scenario", po::value<std::string>(&scenario), "scenario INI file")(
      "out", po::value<std::string>(&out_path), "output HDF5 file")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "key=value override (repeatable)")(
      "threads", po::value<int>(&threads), "OpenMP threads (default: OMP_NUM_THREADS)")(
      "summary-json", po::value<std::string>(&summary_json), "also write every run's summary as JSON")(
      "baseline", po::value<std::string>(&baseline), "arm the others are compared with (default: the first)")(
      "quiet", po::bool_switch(&quiet), "no summary table");
  po::options_description keys("parameters");
  for (const auto& s : base.registry().specs()) keys.add_options()(s.key.c_str(), po::value<std::string>());
  po::options_description all;
  all.add(desc).add(keys);
  po::positional_options_description pos;
  pos.add("scenario", 1);

  // Every arm's configuration is built and checked before anything runs: bad input writes nothing.
  std::vector<std::unique_ptr<Config>> arms;
  std::size_t base_arm = 0;
  try {
    po::variables_map vm;
    const auto parsed = po::command_line_parser(args).options(all).positional(pos).run();
    po::store(parsed, vm);
    po::notify(vm);
    for (const auto& opt : parsed.options)  // --KEY VALUE joins the --set overrides
      if (base.registry().find(opt.string_key) && !opt.value.empty())
        sets.push_back(opt.string_key + "=" + opt.value.front());
    if (scenario.empty()) throw InputError("command line: a scenario file is required (govsim run SCENARIO.ini)");
    if (out_path.empty()) throw InputError("command line: --out FILE.h5 is required");
    if (!std::filesystem::exists(scenario)) throw InputError(scenario + ": scenario file not found");
    const auto parent = std::filesystem::absolute(out_path).parent_path();
    if (!std::filesystem::is_directory(parent))
      throw InputError("command line: --out " + out_path + ": directory " + parent.string() + " does not exist");
    base.load(scenario, sets);
    if (base.arms().empty()) {
      arms.push_back(std::make_unique<Config>());
      arms.back()->load(scenario, sets);
    }
    for (const auto& arm : base.arms()) {
      arms.push_back(std::make_unique<Config>());
      arms.back()->load(scenario, sets);
      arms.back()->apply_arm(arm);
      if (arms.back()->params.run.replicates != arms.front()->params.run.replicates ||
          arms.back()->params.run.seed != arms.front()->params.run.seed)
        throw InputError(scenario + ":" + std::to_string(arm.line) + ": arm '" + arm.name +
                         "': run.replicates and run.seed must be the same in every arm (paired replicates)");
    }
    if (!baseline.empty()) {
      base_arm = arms.size();
      for (std::size_t a = 0; a < arms.size(); ++a)
        if (arms[a]->params.run.name == baseline) base_arm = a;
      if (base_arm == arms.size()) throw InputError("command line: --baseline '" + baseline + "': no such arm");
    }
  } catch (const InputError& e) {
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const po::error& e) {
    std::cerr << "govsim: command line: " << e.what() << "\n";
    return 2;
  }
  if (threads > 0) omp_set_num_threads(threads);

  std::vector<RunResult> results;
  std::vector<std::string> names;
  std::vector<std::vector<RunSummary>> summaries;
  try {
    for (const auto& cfg : arms) {
      names.push_back(cfg->params.run.name);
      summaries.emplace_back();
      for (std::int64_t k = 0; k < cfg->params.run.replicates; ++k) {
        const bool first = results.empty();
        results.push_back(run_replicate(*cfg, k, first && !quiet ? &std::cerr : nullptr));
        summaries.back().push_back(results.back().summary);
        if (!quiet && arms.size() > 1 && isatty(2))
          std::cerr << "\rgovsim: " << results.size() << " of " << arms.size() * cfg->params.run.replicates
                    << " runs" << std::flush;
      }
    }
    if (!quiet && arms.size() > 1 && isatty(2)) std::cerr << "\n";
    std::vector<RunRecord> records;
    for (auto& r : results) records.push_back(r.record);
    std::string config_text = base.registry().to_ini();
    if (!base.arms().empty()) {
      config_text += "\n[arms]\n";
      for (const auto& a : base.arms()) {
        config_text += a.name + " =";
        for (std::size_t i = 0; i < a.overrides.size(); ++i) config_text += (i ? "; " : " ") + a.overrides[i];
        config_text += "\n";
      }
    }
    write_results(out_path, records, Provenance{command_line, config_text});
    if (!summary_json.empty()) write_table_json(summary_json, names, summaries);
  } catch (const InputError& e) {
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "govsim: run failed: " << e.what() << "\n";
    return 1;
  }
  if (!quiet) {
    if (arms.size() == 1)
      print_summary(names.front(), summaries.front(), std::cout);
    else
      print_comparison(names, summaries, base_arm, base.contrasts(), std::cout);
    double wall = 0;
    for (const auto& r : results) wall += r.summary.wall_seconds;
    std::cout << "\nWrote " << out_path << " (" << results.size() << " runs, " << fmt("%.1f", wall)
              << " s of run time)\n";
  }
  return 0;
}

}  // namespace govsim::cli
