#include <boost/program_options.hpp>
#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/population.h"
#include "core/rng.h"
#include "io/h5_writer.h"
#include "model/simulation.h"
#include "params/config.h"

namespace po = boost::program_options;

namespace govsim::cli {

namespace {

class ListSink : public AttributeSink {
 public:
  std::vector<std::pair<std::string, std::string>> items;
  void text(const std::string& k, const std::string& v) override { items.emplace_back(k, v); }
  void number(const std::string& k, double v) override { items.emplace_back(k, format_real(v)); }
};

struct Row {
  const char* label;
  double RunSummary::*field;
  const char* format;
};

const Row kRows[] = {
    {"demands raised", &RunSummary::demands, "%12.0f"},
    {"demands reported", &RunSummary::reported, "%12.0f"},
    {"cases resolved", &RunSummary::resolved, "%12.0f"},
    {"hard problems reported", &RunSummary::hard_raised, "%12.0f"},
    {"hard problems closed", &RunSummary::hard_closed, "%12.0f"},
    {"cases abandoned", &RunSummary::abandoned, "%12.0f"},
    {"median resolution (h)", &RunSummary::median_resolution_hours, "%12.1f"},
    {"p90 resolution (h)", &RunSummary::p90_resolution_hours, "%12.1f"},
    {"grid-worker utilisation", &RunSummary::mean_gw_utilisation, "%12.3f"},
    {"grid workers quitting", &RunSummary::quits, "%12.0f"},
    {"share good/very good", &RunSummary::share_good, "%12.3f"},
    {"mean trust", &RunSummary::mean_trust, "%12.3f"},
    {"share aware", &RunSummary::share_aware, "%12.3f"},
    {"wall seconds", &RunSummary::wall_seconds, "%12.2f"},
};

void print_summary(const std::string& arm, const std::vector<RunSummary>& s, std::ostream& out) {
  const std::size_t R = s.size();
  char buf[256];
  out << "\nSummary: arm '" << arm << "', " << R << " run(s)"
      << (R > 1 ? " (mean and 95% interval across replicates)" : "") << "\n";
  for (const auto& row : kRows) {
    double mean = 0;
    for (const auto& x : s) mean += x.*row.field;
    mean /= static_cast<double>(R);
    std::snprintf(buf, sizeof buf, "  %-26s", row.label);
    out << buf;
    std::snprintf(buf, sizeof buf, row.format, mean);
    out << buf;
    if (R > 1) {
      double var = 0;
      for (const auto& x : s) var += (x.*row.field - mean) * (x.*row.field - mean);
      const double half = 1.96 * std::sqrt(var / static_cast<double>(R - 1) / static_cast<double>(R));
      std::snprintf(buf, sizeof buf, "  +/- %.3g", half);
      out << buf;
    }
    out << "\n";
  }
}

void write_summary_json(const std::string& path, const std::vector<RunSummary>& s) {
  std::ofstream out(path);
  out << "{\n  \"runs\": [\n";
  for (std::size_t i = 0; i < s.size(); ++i) {
    out << "    {";
    bool first = true;
    for (const auto& row : kRows) {
      if (row.field == &RunSummary::wall_seconds) continue;  // not reproducible
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", s[i].*row.field);
      out << (first ? "" : ", ") << "\"" << row.label << "\": " << buf;
      first = false;
    }
    out << "}" << (i + 1 < s.size() ? "," : "") << "\n";
  }
  out << "  ]\n}\n";
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
  Config cfg;
  std::string scenario, out_path, summary_json;
  std::vector<std::string> sets;
  int threads = 0;
  bool quiet = false;
  po::options_description desc("run options");
  desc.add_options()("scenario", po::value<std::string>(&scenario), "scenario INI file")(
      "out", po::value<std::string>(&out_path), "output HDF5 file")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "key=value override (repeatable)")(
      "threads", po::value<int>(&threads), "OpenMP threads (default: OMP_NUM_THREADS)")(
      "summary-json", po::value<std::string>(&summary_json), "also write the run summary as JSON")(
      "quiet", po::bool_switch(&quiet), "no summary table");
  po::options_description keys("parameters");
  for (const auto& s : cfg.registry().specs()) keys.add_options()(s.key.c_str(), po::value<std::string>());
  po::options_description all;
  all.add(desc).add(keys);
  po::positional_options_description pos;
  pos.add("scenario", 1);
  try {
    po::variables_map vm;
    const auto parsed = po::command_line_parser(args).options(all).positional(pos).run();
    po::store(parsed, vm);
    po::notify(vm);
    // --KEY VALUE options join the --set overrides in command-line order.
    std::vector<std::string> key_sets;
    for (const auto& opt : parsed.options)
      if (cfg.registry().find(opt.string_key) && !opt.value.empty())
        key_sets.push_back(opt.string_key + "=" + opt.value.front());
    sets.insert(sets.end(), key_sets.begin(), key_sets.end());
    if (scenario.empty()) throw InputError("command line: a scenario file is required (govsim run SCENARIO.ini)");
    if (out_path.empty()) throw InputError("command line: --out FILE.h5 is required");
    if (!std::filesystem::exists(scenario)) throw InputError(scenario + ": scenario file not found");
    const auto parent = std::filesystem::absolute(out_path).parent_path();
    if (!std::filesystem::is_directory(parent))
      throw InputError("command line: --out " + out_path + ": directory " + parent.string() + " does not exist");
    cfg.load(scenario, sets);
  } catch (const InputError& e) {
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const po::error& e) {
    std::cerr << "govsim: command line: " << e.what() << "\n";
    return 2;
  }
  if (threads > 0) omp_set_num_threads(threads);

  const Params& p = cfg.params;
  std::vector<RunRecord> records;
  std::vector<std::unique_ptr<Recorder>> recorders;
  std::vector<RunSummary> summaries;
  std::vector<std::pair<std::string, std::string>> param_text;
  std::vector<bool> numeric;
  for (const auto& s : cfg.registry().specs()) {
    param_text.emplace_back(s.key, s.get());
    numeric.push_back(s.type != ParamType::kString);
  }
  bool failed = false;
  try {
    for (std::int64_t k = 0; k < p.run.replicates; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      const std::uint64_t seed = derive_seed(static_cast<std::uint64_t>(p.run.seed), static_cast<std::uint64_t>(k));
      World world = generate_world(p, seed);
      CommunityInfo info;
      const auto C = world.communities.size();
      for (std::uint32_t c = 0; c < C; ++c) {
        info.street.push_back(static_cast<std::int32_t>(world.communities.street[c]));
        info.residents.push_back(
            static_cast<std::int32_t>(world.community_end_resident(c) - world.community_first_resident(c)));
        info.grids.push_back(
            static_cast<std::int32_t>(world.communities.first_grid[c + 1] - world.communities.first_grid[c]));
      }
      if (k == 0 && !quiet)
        std::cerr << "govsim: " << world.residents.size() << " residents, " << world.households.size()
                  << " households, " << world.grids.size() << " grids, " << C << " communities, "
                  << world.streets.size() << " streets, " << world.workers.size() << " grid workers, "
                  << world.units.size() << " co-building units; "
                  << static_cast<double>(world.bytes()) / static_cast<double>(world.residents.size())
                  << " bytes/resident in agent stores; " << omp_get_max_threads() << " thread(s)\n";
      Simulation sim(p, std::move(world), seed);
      RunRecord rec;
      for (const auto& name : cfg.mechanism_names()) {
        auto m = Mechanism::create(name, cfg);
        ListSink sink;
        m->describe(sink);
        rec.mechanisms.emplace_back(name, sink.items);
        sim.add_mechanism(std::move(m));
      }
      sim.run();
      RunSummary sum = sim.summary();
      sum.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      summaries.push_back(sum);
      recorders.push_back(std::make_unique<Recorder>(sim.recorder()));
      rec.arm = p.run.name;
      rec.replicate = k;
      rec.seed = seed;
      rec.wall_seconds = sum.wall_seconds;
      rec.params = param_text;
      rec.numeric = numeric;
      rec.recorder = recorders.back().get();
      rec.communities = std::move(info);
      records.push_back(std::move(rec));
    }
    Provenance prov{command_line, cfg.registry().to_ini()};
    write_results(out_path, records, prov);
    if (!summary_json.empty()) write_summary_json(summary_json, summaries);
  } catch (const InputError& e) {
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "govsim: run failed: " << e.what() << "\n";
    failed = true;
  }
  if (failed) return 1;
  if (!quiet) {
    print_summary(p.run.name, summaries, std::cout);
    std::cout << "\nWrote " << out_path << "\n";
  }
  return 0;
}

}  // namespace govsim::cli
