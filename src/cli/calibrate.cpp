// govsim calibrate: ABC-SMC on the sweep engine (experiment/calibration.h), resumable, MPI-aware.
#include <unistd.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/sweep_support.h"
#include "experiment/calibration.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace govsim::cli {

int cmd_calibrate(const std::vector<std::string>& args, const std::string& command_line) {
  std::string path, out_dir;
  std::vector<std::string> sets;
  int threads = 0, jobs = 0;
  bool allow_changed = false, quiet = false;
  po::options_description desc("calibrate options");
  desc.add_options()("calibration", po::value<std::string>(&path), "calibration INI file")(
      "out", po::value<std::string>(&out_dir), "output directory")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "key=value override, or calibration.KEY=VALUE (repeatable)")("threads", po::value<int>(&threads),
                                                                   "OpenMP threads in all")(
      "jobs", po::value<int>(&jobs), "runs at once (default: as many as threads while runs outnumber them)")(
      "allow-changed", po::bool_switch(&allow_changed),
      "run into a directory made by a different calibration")("quiet", po::bool_switch(&quiet),
                                                              "no progress and no summary");
  add_parameter_options(desc);
  po::positional_options_description pos;
  pos.add("calibration", 1);

  MpiGuard mpi;
  Calibration cal;
  if (const int rc = input_or_exit([&] {
        parse_arguments(args, desc, pos, sets);
        if (path.empty())
          throw InputError("command line: a calibration file is required (govsim calibrate CALIBRATION.ini)");
        if (out_dir.empty()) throw InputError("command line: --out DIR is required");
        if (!fs::exists(path)) throw InputError(path + ": calibration file not found");
        require_out_parent(out_dir);
        if (fs::exists(out_dir) && !fs::is_directory(out_dir))
          throw InputError("command line: --out " + out_dir + ": exists and is not a directory");
        if (threads < 0 || jobs < 0) throw InputError("command line: --threads and --jobs must be positive");
        if (!mpi.active && launched_by_mpi() && std::getenv("OMPI_COMM_WORLD_SIZE") &&
            std::atoi(std::getenv("OMPI_COMM_WORLD_SIZE")) > 1)
          throw InputError(
              "command line: started by mpirun, but this govsim was built without MPI (cmake "
              "-DGOVSIM_MPI=ON)");
        cal.load(path, sets);
      }))
    return rc;

  CalibrationOptions opt;
  opt.out_dir = out_dir;
  opt.threads = threads_from(threads);
  opt.jobs = jobs;
  opt.rank = mpi.world.rank;
  opt.ranks = mpi.world.size;
  opt.allow_changed = allow_changed;
  opt.command_line = command_line;
  const bool tty = isatty(2) && !quiet;
  if (!quiet && opt.rank == 0)
    opt.log = [&](const std::string& line) {
      if (tty) std::fprintf(stderr, "\r%80s\r", "");
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    };
  if (tty)
    opt.progress = [&](const SweepProgress& p) {
      std::fprintf(stderr, "\rcalibrate: %zu/%zu runs of this batch, %.1f runs/min, ETA %s   ", p.done,
                   p.total, p.runs_per_minute, clock_text(p.eta_seconds).c_str());
      std::fflush(stderr);
    };
  CalibrationResult r;
  try {
    r = run_calibration(cal, opt);
  } catch (const InputError& e) {
    if (tty) std::fprintf(stderr, "\n");
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (tty) std::fprintf(stderr, "\n");
    std::cerr << "govsim: calibration failed: " << e.what() << "\n";
    if (mpi.active) mpi_abort(1);
    return 1;
  }
  if (tty) std::fprintf(stderr, "\r%80s\r", "");
  if (!quiet && opt.rank == 0) {
    std::printf(
        "calibrate: %zu generation(s), %zu simulations run now, %zu read back from journals, %.1f s\n",
        r.generations.size(), r.executed, r.skipped, r.wall_seconds);
    std::printf("posterior (generation %d, tolerance %.4g, ESS %.1f):\n", r.generations.back().index,
                r.generations.back().tolerance, r.posterior.ess);
    std::printf("  %-40s %12s %12s %12s %12s\n", "parameter", "mean", "sd", "2.5%", "97.5%");
    for (std::size_t j = 0; j < cal.priors().size(); ++j)
      std::printf("  %-40s %12.5g %12.5g %12.5g %12.5g\n", cal.priors()[j].key.c_str(), r.posterior.mean[j],
                  r.posterior.sd[j], r.posterior.q025[j], r.posterior.q975[j]);
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

}  // namespace govsim::cli
