// govsim calibrate (ABC-SMC, experiment/calibration.h) and govsim optimise (NSGA-II,
// experiment/optimisation.h): loops on the sweep engine, resumable, MPI-aware.
#include <unistd.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/sweep_support.h"
#include "experiment/calibration.h"
#include "experiment/optimisation.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace govsim::cli {

namespace {

// The options both loops take, read from the command line; `load` reads the file. 0, or the exit code.
struct LoopArgs {
  std::string path, out_dir;
  std::vector<std::string> sets;
  int threads = 0, jobs = 0;
  bool allow_changed = false, quiet = false;
};

template <class Load>
int read_loop_args(const std::vector<std::string>& args, const char* command, const char* what, LoopArgs& a,
                   const MpiGuard& mpi, Load&& load) {
  po::options_description desc(std::string(command) + " options");
  desc.add_options()("file", po::value<std::string>(&a.path), "INI file")(
      "out", po::value<std::string>(&a.out_dir), "output directory")(
      "set", po::value<std::vector<std::string>>(&a.sets)->composing(),
      "key=value override, or SECTION.KEY=VALUE for the loop's own section (repeatable)")(
      "threads", po::value<int>(&a.threads), "OpenMP threads in all")(
      "jobs", po::value<int>(&a.jobs),
      "runs at once (default: as many as threads while runs outnumber them)")(
      "allow-changed", po::bool_switch(&a.allow_changed), "run into a directory made by a different file")(
      "quiet", po::bool_switch(&a.quiet), "no progress and no summary");
  add_parameter_options(desc);
  po::positional_options_description pos;
  pos.add("file", 1);
  return input_or_exit([&] {
    parse_arguments(args, desc, pos, a.sets);
    if (a.path.empty())
      throw InputError(std::string("command line: ") + what + " file is required (govsim " + command +
                       " FILE.ini)");
    if (a.out_dir.empty()) throw InputError("command line: --out DIR is required");
    a.path = find_input(a.path);
    if (!fs::exists(a.path)) throw InputError(a.path + ": file not found");
    require_out_parent(a.out_dir);
    if (fs::exists(a.out_dir) && !fs::is_directory(a.out_dir))
      throw InputError("command line: --out " + a.out_dir + ": exists and is not a directory");
    check_threads(a.threads);
    check_threads(a.jobs, "--jobs");
    if (!mpi.active && launched_by_mpi() && std::getenv("OMPI_COMM_WORLD_SIZE") &&
        std::atoi(std::getenv("OMPI_COMM_WORLD_SIZE")) > 1)
      throw InputError(
          "command line: started by mpirun, but this govsim was built without MPI (cmake -DGOVSIM_MPI=ON)");
    load();
  });
}

// Fills `batch` (threads, jobs, MPI, command line, progress on a terminal) and `log` (a line per generation
// unless --quiet), then runs `run`: 0, or the exit code of its failure (2 bad input, 1 a failed run).
template <class Run>
int run_loop(const LoopArgs& la, const MpiGuard& mpi, const std::string& command_line, const char* command,
             BatchOptions& batch, std::function<void(const std::string&)>& log, bool& tty, Run&& run) {
  batch.threads = threads_from(la.threads);
  batch.jobs = la.jobs;
  batch.rank = mpi.world.rank;
  batch.ranks = mpi.world.size;
  batch.allow_changed = la.allow_changed;
  batch.command_line = command_line;
  tty = isatty(2) && !la.quiet;
  const bool on_terminal = tty;
  if (!la.quiet && batch.rank == 0)
    log = [on_terminal](const std::string& line) {
      if (on_terminal) std::fprintf(stderr, "\r%80s\r", "");
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    };
  if (tty)
    batch.progress = [command](const SweepProgress& p) {
      std::fprintf(stderr, "\r%s: %zu/%zu runs of this generation, %.1f runs/min, ETA %s   ", command, p.done,
                   p.total, p.runs_per_minute, clock_text(p.eta_seconds).c_str());
      std::fflush(stderr);
    };
  try {
    run();
  } catch (const InputError& e) {
    if (tty) std::fprintf(stderr, "\n");
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (tty) std::fprintf(stderr, "\n");
    std::cerr << "govsim: " << command << " failed: " << e.what() << "\n";
    if (mpi.active) mpi_abort(1);
    return 1;
  }
  if (tty) std::fprintf(stderr, "\r%80s\r", "");
  return 0;
}

}  // namespace

int cmd_calibrate(const std::vector<std::string>& args, const std::string& command_line) {
  LoopArgs la;
  MpiGuard mpi;
  Calibration cal;
  if (const int rc =
          read_loop_args(args, "calibrate", "a calibration", la, mpi, [&] { cal.load(la.path, la.sets); }))
    return rc;
  CalibrationOptions opt;
  opt.out_dir = la.out_dir;
  opt.allow_changed = la.allow_changed;
  CalibrationResult r;
  bool tty = false;
  if (const int rc = run_loop(la, mpi, command_line, "calibrate", opt.batch, opt.log, tty,
                              [&] { r = run_calibration(cal, opt); }))
    return rc;
  if (!la.quiet && opt.batch.rank == 0) {
    std::printf(
        "calibrate: %zu generation(s), %zu simulations run now, %zu read back from journals, %.1f s\n",
        r.generations.size(), r.executed, r.skipped, r.wall_seconds);
    std::printf("posterior (generation %d, tolerance %.4g, ESS %.1f):\n", r.generations.back().index,
                r.generations.back().tolerance, r.posterior.ess);
    std::printf("  %-40s %12s %12s %12s %12s %12s\n", "parameter", "mean", "sd", "2.5%", "97.5%", "MAP");
    for (std::size_t j = 0; j < cal.priors().size(); ++j)
      std::printf("  %-40s %12.5g %12.5g %12.5g %12.5g %12.5g\n", cal.priors()[j].key.c_str(),
                  r.posterior.mean[j], r.posterior.sd[j], r.posterior.q025[j], r.posterior.q975[j],
                  r.posterior.map[j]);
    if (!r.predictive.empty()) {
      std::printf("posterior predictive (%zu runs):\n", r.predictive.size());
      std::printf("  %-40s %12s %12s %12s %12s\n", "target", "observed", "se", "mean", "sd");
      for (std::size_t t = 0; t < cal.targets().size(); ++t) {
        double sum = 0, sum2 = 0;
        std::size_t n = 0;
        for (const auto& run : r.predictive) {
          const double v = run[0][t];
          if (!std::isfinite(v)) continue;
          sum += v;
          sum2 += v * v;
          ++n;
        }
        const double mean = n ? sum / static_cast<double>(n) : NAN;
        const double sd = n > 1 ? std::sqrt(std::max(0.0, (sum2 - static_cast<double>(n) * mean * mean) /
                                                              static_cast<double>(n - 1)))
                                : NAN;
        const auto& tg = cal.targets()[t];
        std::printf("  %-40s %12.5g %12.5g %12.5g %12.5g\n", tg.name.c_str(), tg.observed, tg.se, mean, sd);
      }
    }
    if (!r.file.empty()) std::printf("wrote %s\n", r.file.c_str());
  }
  return 0;
}

int cmd_optimise(const std::vector<std::string>& args, const std::string& command_line) {
  LoopArgs la;
  MpiGuard mpi;
  Optimisation op;
  if (const int rc =
          read_loop_args(args, "optimise", "an optimisation", la, mpi, [&] { op.load(la.path, la.sets); }))
    return rc;
  OptimisationOptions o;
  o.out_dir = la.out_dir;
  o.allow_changed = la.allow_changed;
  OptimisationResult r;
  bool tty = false;
  if (const int rc = run_loop(la, mpi, command_line, "optimise", o.batch, o.log, tty,
                              [&] { r = run_optimisation(op, o); }))
    return rc;
  if (!la.quiet && o.batch.rank == 0) {
    std::printf("optimise: %zu generation(s), %zu runs run now, %zu read back from journals, %.1f s\n",
                r.generations.size(), r.counts.executed, r.counts.skipped, r.wall_seconds);
    std::printf("front (%zu distinct candidates of the last generation):\n", r.front.size());
    std::string head = " ";
    for (const auto& d : op.decisions()) head += " " + d.key;
    for (const auto& x : op.objectives()) head += " " + x.metric.name;
    std::printf("%s\n", head.c_str());
    const auto& last = r.generations.back();
    // Cheapest first in the first objective's sense.
    std::vector<std::size_t> order = r.front;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return last.f[a].objectives[0] < last.f[b].objectives[0];
    });
    for (std::size_t i : order) {
      std::string line = " ";
      char buf[32];
      for (double v : last.x[i]) {
        std::snprintf(buf, sizeof buf, " %.4g", v);
        line += buf;
      }
      for (double v : r.objectives.back()[i]) {
        std::snprintf(buf, sizeof buf, " %.4g", v);
        line += buf;
      }
      if (last.f[i].violation > 0) line += "  (violates a constraint)";
      std::printf("%s\n", line.c_str());
    }
    if (!r.file.empty()) std::printf("wrote %s\n", r.file.c_str());
  }
  return 0;
}

}  // namespace govsim::cli
