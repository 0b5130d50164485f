#include <omp.h>
#include <unistd.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <new>

#include "cli/commands.h"
#include "cli/options.h"
#include "experiment/comparison.h"
#include "experiment/runner.h"
#include "experiment/stats.h"
#include "io/h5_writer.h"
#include "model/metrics.h"
#include "util/json.h"

namespace po = boost::program_options;

namespace govsim::cli {

namespace {

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

// "95%", "90%", "99.5%": an interval level as the tables name it.
std::string level_text(double level) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g%%", 100 * level);
  return buf;
}

void print_summary(const std::string& arm, const std::vector<RunSummary>& s, double level, std::ostream& out) {
  out << "\nSummary: arm '" << arm << "', " << s.size() << " run(s)"
      << (s.size() > 1 ? " (mean and " + level_text(level) + " interval across replicates)" : "") << "\n";
  for (const auto& row : summary_fields()) {
    const Interval iv = mean_interval(column(s, row.field), level);
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %-32s%12s", row.label, fmt(row.format, iv.mean).c_str());
    out << buf;
    if (s.size() > 1) out << "   [" << fmt(row.format, iv.lo) << ", " << fmt(row.format, iv.hi) << "]";
    out << "\n";
  }
}

// Per arm: mean [interval]; then the paired difference from the baseline arm (replicate k with k).
void print_comparison(const std::vector<std::string>& arms, const std::vector<std::vector<RunSummary>>& s,
                      std::size_t base, const std::vector<Contrast>& contrasts, double level, std::ostream& out) {
  auto index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(arms.begin(), arms.end(), name) - arms.begin());
  };
  const std::size_t R = s.front().size();
  out << "\nComparison: " << arms.size() << " arms x " << R
      << " replicates (common random numbers); mean [" << level_text(level) << " interval] across replicates\n";
  for (const auto& row : summary_fields()) {
    if (!row.in_comparison) continue;
    out << "\n  " << row.label << "\n";
    for (std::size_t a = 0; a < arms.size(); ++a) {
      const Interval iv = mean_interval(column(s[a], row.field), level);
      char buf[256];
      std::snprintf(buf, sizeof buf, "    %-28s %10s [%s, %s]", arms[a].c_str(),
                    fmt(row.format, iv.mean).c_str(), fmt(row.format, iv.lo).c_str(),
                    fmt(row.format, iv.hi).c_str());
      out << buf;
      if (a != base) {
        const Interval d = paired_difference(column(s[a], row.field), column(s[base], row.field), level);
        std::snprintf(buf, sizeof buf, "   vs %s: %+.4g [%+.4g, %+.4g]%s", arms[base].c_str(), d.mean, d.lo,
                      d.hi, d.excludes_zero() ? " *" : "");
        out << buf;
      }
      out << "\n";
    }
    for (const auto& c : contrasts) {
      const Interval d =
          paired_difference(column(s[index(c.a)], row.field), column(s[index(c.b)], row.field), level);
      char buf[256];
      std::snprintf(buf, sizeof buf, "    %-28s %+.4g [%+.4g, %+.4g]%s   (%s - %s)", c.name.c_str(), d.mean,
                    d.lo, d.hi, d.excludes_zero() ? " *" : "", c.a.c_str(), c.b.c_str());
      out << buf << "\n";
    }
  }
  out << "\n  * the paired difference's " << level_text(level) << " interval excludes zero\n";
}

// A headline metric's value per replicate of one arm (run_value's "how:name"); empty where a run lacks it.
std::vector<double> headline_values(const Comparison& cmp, std::size_t arm, const HeadlineMetric& h) {
  std::vector<double> v;
  for (const auto& r : cmp.results()[arm]) {
    if (!r.recorder) return {};
    try {
      v.push_back(run_value(r, std::string(h.how) + ":" + h.name));
    } catch (const std::out_of_range&) {
      return {};
    }
  }
  return v;
}

// The headline metrics (model/metrics.h, the same list and margins as govsim report's comparison table): per
// arm mean [interval]; the paired difference from the baseline arm, relative to the baseline's mean, with
// '*' where its interval excludes zero and 'material' where it is at least the metric's margin.
void print_headline(const Comparison& cmp, std::size_t base, double level, std::ostream& out) {
  const auto& arms = cmp.names();
  out << "\nHeadline metrics (as govsim report's table): mean [" << level_text(level) << " interval]";
  if (arms.size() > 1) out << "; vs " << arms[base] << ": paired difference, relative to its mean";
  out << "\n";
  for (const auto& h : headline_metrics()) {
    const auto b = headline_values(cmp, base, h);
    if (b.empty()) continue;
    out << "\n  " << h.how << " of " << h.name << " (margin " << margin_text(h) << ")\n";
    const double base_mean = mean_interval(b, level).mean;
    for (std::size_t a = 0; a < arms.size(); ++a) {
      const auto v = headline_values(cmp, a, h);
      if (v.empty()) continue;
      const Interval iv = mean_interval(v, level);
      char buf[256];
      std::snprintf(buf, sizeof buf, "    %-28s %10.4g [%.4g, %.4g]", arms[a].c_str(), iv.mean, iv.lo, iv.hi);
      out << buf;
      if (a != base) {
        const Interval d = paired_difference(v, b, level);
        // Relative to a baseline mean of 0: no share, and no verdict on a relative margin (as the report).
        const double rel = base_mean != 0 ? d.mean / std::fabs(base_mean) : NAN;
        const double size = h.relative ? std::fabs(rel) : std::fabs(d.mean);
        char share[32] = "n/a";
        if (std::isfinite(rel)) std::snprintf(share, sizeof share, "%+.3g%%", 100 * rel);
        std::snprintf(buf, sizeof buf, "   %+.4g [%+.4g, %+.4g] %s%s%s", d.mean, d.lo, d.hi, share,
                      d.excludes_zero() ? " *" : "", size >= h.margin ? " material" : "");
        out << buf;
      }
      out << "\n";
    }
  }
  if (arms.size() > 1)
    out << "\n  * the paired difference's interval excludes zero; material: at least the margin (absolute, or "
           "a share of the baseline's mean)\n";
}

// Every run's summary rows, headline metrics ("how:name") and mechanism outcomes, per arm; NaN and
// infinities (a run that resolved nothing) are null.
void write_table_json(const std::string& path, const Comparison& cmp,
                      const std::vector<std::vector<RunSummary>>& s) {
  const auto& arms = cmp.names();
  Json doc_arms = Json::object();
  for (std::size_t a = 0; a < arms.size(); ++a) {
    Json arm = Json::object();
    for (const auto& row : summary_fields()) {
      if (row.field == &RunSummary::wall_seconds) continue;  // not reproducible
      Json values = Json::array();
      for (const auto& run : s[a]) values.push_back(run.*row.field);
      arm[row.label] = std::move(values);
    }
    for (const auto& h : headline_metrics())
      if (const auto v = headline_values(cmp, a, h); !v.empty()) arm[std::string(h.how) + ":" + h.name] = v;
    // Mechanisms' run-level outcomes (null where a run has none).
    const auto& runs = cmp.results()[a];
    if (!runs.empty())
      for (const auto& [name, v0] : runs.front().record.outcomes) {
        Json values = Json::array();
        for (const auto& run : runs) {
          double v = NAN;
          for (const auto& [n, x] : run.record.outcomes)
            if (n == name) v = x;
          values.push_back(v);
        }
        arm[name] = std::move(values);
      }
    doc_arms[arms[a]] = std::move(arm);
  }
  // One line per row, as {"arms": {ARM: {ROW: [values]}}}; written whole under a temporary name.
  write_text_atomically(path, json_text(Json{{"arms", std::move(doc_arms)}},
                                        {.indent = 2, .one_line_from = 3, .spaces = true}) +
                                  "\n");
}

}  // namespace

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
  std::string scenario, out_path, summary_json, baseline;
  std::vector<std::string> sets;
  int threads = 0;
  double level = 0.95;
  bool quiet = false, force = false;
  po::options_description desc("run options");
  desc.add_options()("scenario", po::value<std::string>(&scenario), "scenario INI file")(
      "out", po::value<std::string>(&out_path), "output HDF5 file")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "key=value override (repeatable)")(
      "threads", po::value<int>(&threads), "OpenMP threads (default: OMP_NUM_THREADS)")(
      "summary-json", po::value<std::string>(&summary_json), "also write every run's summary as JSON")(
      "baseline", po::value<std::string>(&baseline), "arm the others are compared with (default: the first)")(
      "level", po::value<double>(&level), "the tables' interval level (default 0.95)")(
      "quiet", po::bool_switch(&quiet), "no summary table")("force", po::bool_switch(&force),
                                                            "replace --out if it exists");
  add_parameter_options(desc);
  po::positional_options_description pos;
  pos.add("scenario", 1);

  // Every arm's configuration is built and checked before anything runs: bad input writes nothing.
  Comparison cmp;
  std::size_t base_arm = 0;
  if (const int rc = input_or_exit([&] {
        parse_arguments(args, desc, pos, sets);
        if (scenario.empty())
          throw InputError("command line: a scenario file is required (govsim run SCENARIO.ini)");
        if (out_path.empty()) throw InputError("command line: --out FILE.h5 is required");
        check_threads(threads);
        if (!(level > 0 && level < 1))
          throw InputError("command line: --level " + std::to_string(level) + ": expected a level between 0 and 1 (e.g. 0.9)");
        scenario = find_input(scenario);
        if (!std::filesystem::exists(scenario)) throw InputError(scenario + ": scenario file not found");
        require_out_file(out_path, {scenario}, force);
        if (!summary_json.empty())
          require_out_file(summary_json, {scenario, out_path}, force, "--summary-json");
        cmp.load(scenario, sets);
        for (const auto& arm : cmp.arms()) check_memory(arm, 1, scenario);  // before any world is built
        if (!baseline.empty()) {
          base_arm = cmp.arm_index(baseline);
          if (base_arm == cmp.names().size())
            throw InputError("command line: --baseline '" + baseline + "': no such arm");
        }
      }))
    return rc;
  if (threads > 0) omp_set_num_threads(threads);

  double wall = 0;
  std::size_t n_runs = 0;
  std::vector<std::vector<RunSummary>> summaries;
  try {
    cmp.run(quiet ? nullptr : &std::cerr, !quiet);
    std::vector<RunRecord> records;
    for (std::size_t a = 0; a < cmp.names().size(); ++a) {
      summaries.push_back(cmp.summaries(a));
      for (const auto& r : cmp.results()[a]) {
        records.push_back(r.record);
        wall += r.summary.wall_seconds;
      }
    }
    n_runs = records.size();
    write_results(out_path, records, Provenance{command_line, cmp.config_text(), {}});
    if (!summary_json.empty()) write_table_json(summary_json, cmp, summaries);
  } catch (const InputError& e) {
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr
        << "govsim: run failed: out of memory (the estimate said it would fit: other processes may have "
           "taken memory since)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "govsim: run failed: " << e.what() << "\n";
    return 1;
  }
  if (!quiet) {
    if (cmp.names().size() == 1)
      print_summary(cmp.names().front(), summaries.front(), level, std::cout);
    else
      print_comparison(cmp.names(), summaries, base_arm, cmp.file().contrasts, level, std::cout);
    print_headline(cmp, base_arm, level, std::cout);
    std::cout << "\nWrote " << out_path << " (" << n_runs << " runs, " << fmt("%.1f", wall)
              << " s of run time)\n";
  }
  return 0;
}

}  // namespace govsim::cli
