// govsim sweep (run an experiment's table, or a shard of it) and govsim slurm (write an sbatch array script
// sized by a pilot run).
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/sweep_support.h"
#include "experiment/experiment.h"
#include "experiment/runner.h"
#include "experiment/sweep.h"
#include "experiment/work_queue.h"
#include "io/h5_writer.h"
#include "util/json.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace govsim::cli {

namespace {

// The shard from --shard, else from a Slurm array task's environment, else 0/1.
std::pair<int, int> shard_from(const std::string& option) {
  if (!option.empty()) return parse_shard(option);
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  if (!id || !count) return {0, 1};
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");  // array ids need not start at 0
  auto number = [&](const char* name, const char* text) {
    std::size_t used = 0;
    int v = -1;
    try {
      v = std::stoi(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || text[used] != '\0')
      throw InputError(std::string("environment: ") + name + "=" + text + ": not an integer");
    return v;
  };
  const int i = number("SLURM_ARRAY_TASK_ID", id) - (min ? number("SLURM_ARRAY_TASK_MIN", min) : 0);
  const int n = number("SLURM_ARRAY_TASK_COUNT", count);
  if (n < 1 || i < 0 || i >= n)
    throw InputError("environment: SLURM_ARRAY_TASK_ID=" + std::string(id) + ", SLURM_ARRAY_TASK_COUNT=" +
                     count + ": not a shard i/N (use a contiguous --array=0-(N-1))");
  return {i, n};
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args, const std::string& command_line) {
  std::string path, out_dir, shard_text;
  std::vector<std::string> sets;
  int threads = 0, jobs = 0;
  bool json_progress = false, allow_changed = false, quiet = false;
  po::options_description desc("sweep options");
  desc.add_options()("experiment", po::value<std::string>(&path), "experiment INI file")(
      "out", po::value<std::string>(&out_dir), "output directory")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "key=value override (repeatable)")(
      "shard", po::value<std::string>(&shard_text),
      "run slice i of N (i/N); default from a Slurm array task")("threads", po::value<int>(&threads),
                                                                 "OpenMP threads in all")(
      "jobs", po::value<int>(&jobs), "runs at once (default: as many as threads while runs outnumber them)")(
      "json-progress", po::bool_switch(&json_progress), "one JSON line per finished run on stderr")(
      "allow-changed", po::bool_switch(&allow_changed),
      "run into a directory made by a different experiment")("quiet", po::bool_switch(&quiet),
                                                             "no progress line and no summary");
  add_parameter_options(desc);
  po::positional_options_description pos;
  pos.add("experiment", 1);

  MpiGuard mpi;
  Experiment exp;
  std::pair<int, int> shard{0, 1};
  if (const int rc = input_or_exit([&] {
        parse_arguments(args, desc, pos, sets);
        if (path.empty())
          throw InputError("command line: an experiment file is required (govsim sweep EXPERIMENT.ini)");
        if (out_dir.empty()) throw InputError("command line: --out DIR is required");
        path = find_input(path);
        if (!fs::exists(path)) throw InputError(path + ": experiment file not found");
        require_out_parent(out_dir);
        if (fs::exists(out_dir) && !fs::is_directory(out_dir))
          throw InputError("command line: --out " + out_dir + ": exists and is not a directory");
        check_threads(threads);
        check_threads(jobs, "--jobs");
        shard = shard_from(shard_text);
        if (!mpi.active && launched_by_mpi() && std::getenv("OMPI_COMM_WORLD_SIZE") &&
            std::atoi(std::getenv("OMPI_COMM_WORLD_SIZE")) > 1)
          throw InputError(
              "command line: started by mpirun, but this govsim was built without MPI "
              "(cmake -DGOVSIM_MPI=ON)");
        if (mpi.world.size > 1 && shard.second > 1)
          throw InputError("command line: --shard and MPI ranks both split the table; use one of them");
        exp.load(path, sets);
      }))
    return rc;

  SweepOptions opt;
  opt.out_dir = out_dir;
  opt.shard = shard.first;
  opt.shards = shard.second;
  opt.threads = threads_from(threads);
  opt.jobs = jobs;
  opt.allow_changed = allow_changed;
  opt.command_line = command_line;
  opt.rank = mpi.world.rank;
  opt.ranks = mpi.world.size;
  if (mpi.world.rank == 0)  // a warning, even with --quiet: a sweep over a parameter that cannot act
    for (const auto& w : exp.idle_warnings()) std::cerr << "govsim sweep: warning: " << w << "\n";
  const bool tty = isatty(2) && !quiet && !json_progress;
  const std::string who = opt.ranks > 1 ? "rank " + std::to_string(opt.rank) + ": " : "";
  ProgressLine progress_line(who + "sweep", quiet || json_progress);
  auto progress = [&](const SweepProgress& p) {
    if (json_progress) {
      // Times rounded as they were printed before (%.3f, %.1f); one object per line.
      auto rounded = [](double v, double per_unit) { return std::round(v * per_unit) / per_unit; };
      const Json line = {{"done", p.done},
                         {"total", p.total},
                         {"failed", p.failed},
                         {"skipped", p.skipped},
                         {"elapsed_s", rounded(p.elapsed_seconds, 1000)},
                         {"runs_per_min", rounded(p.runs_per_minute, 1000)},
                         {"eta_s", rounded(p.eta_seconds, 10)},
                         {"run", p.last_run},
                         {"status", p.last_status},
                         {"rank", opt.rank}};
      std::fprintf(stderr, "%s\n", json_text(line, {.spaces = true}).c_str());
      std::fflush(stderr);
    } else {
      progress_line.update(p.done, p.total, p.failed, p.eta_seconds);  // a terminal, or a Slurm log once a minute
    }
  };
  SweepResult r;
  try {
    r = run_sweep(exp, opt, progress);
  } catch (const InputError& e) {
    if (tty) std::fprintf(stderr, "\n");
    std::cerr << "govsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (tty) std::fprintf(stderr, "\n");
    std::cerr << "govsim: sweep failed: " << e.what() << "\n";
    if (mpi.active) mpi_abort(1);
    return 1;
  }
  if (tty) std::fprintf(stderr, "\n");
  if (!quiet) {
    const double minutes = r.wall_seconds / 60.0;
    std::printf(
        "%ssweep: %zu of %zu runs here (%zu run, %zu already done, %zu failed) in %.1f s: %.1f runs/min, "
        "%.2f district-years/min; HDF5 writing %.1f%% of the work (%.2f s journal, of which %.2f s "
        "compressing; %.2f s shard file)\n",
        who.c_str(), r.mine, r.planned, r.executed, r.skipped, r.failed, r.wall_seconds,
        minutes > 0 ? static_cast<double>(r.executed) / minutes : 0.0,
        minutes > 0 ? r.district_years / minutes : 0.0,
        r.run_seconds + r.write_seconds > 0 ? 100.0 * r.write_seconds / (r.run_seconds + r.write_seconds) : 0.0,
        r.write_seconds - r.assemble_seconds, r.compress_seconds, r.assemble_seconds);
    if (r.executed > 0)
      std::printf(
          "%sworlds: %zu built, %zu shared with an earlier run of the same seed and world parameters\n",
          who.c_str(), r.worlds_built, r.worlds_shared);
    if (!r.file.empty() && r.mine > 0) std::printf("%swrote %s\n", who.c_str(), r.file.c_str());
    if (r.failed > 0)
      std::printf(
          "%s%zu run(s) failed: see /runs/status and /runs/message; rerun the same command to retry them\n",
          who.c_str(), r.failed);
  }
  return r.failed > 0 ? 1 : 0;
}

int cmd_slurm(const std::vector<std::string>& args, const std::string& command_line) {
  (void)command_line;
  std::string path, out_dir, partition, script, account;
  std::vector<std::string> sets;
  int shards = 0, cpus = 2, pilot_days = 30;
  double hours_per_shard = 1.0;
  po::options_description desc("slurm options");
  desc.add_options()("experiment", po::value<std::string>(&path), "experiment INI file")(
      "out", po::value<std::string>(&out_dir), "the sweep's output directory")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "key=value override (repeatable)")(
      "shards", po::value<int>(&shards), "array size (default: about --hours-per-shard of work each)")(
      "hours-per-shard", po::value<double>(&hours_per_shard), "target hours per array task (default 1)")(
      "cpus-per-task", po::value<int>(&cpus), "cores per array task (default 2)")(
      "partition", po::value<std::string>(&partition), "Slurm partition")(
      "account", po::value<std::string>(&account), "Slurm account")(
      "pilot-days", po::value<int>(&pilot_days), "days simulated by the pilot run (default 30)")(
      "script", po::value<std::string>(&script), "where to write the script (default DIR/sweep.sbatch)");
  add_parameter_options(desc);
  po::positional_options_description pos;
  pos.add("experiment", 1);
  Experiment exp;
  if (const int rc = input_or_exit([&] {
        parse_arguments(args, desc, pos, sets);
        if (path.empty())
          throw InputError("command line: an experiment file is required (govsim slurm EXPERIMENT.ini)");
        if (out_dir.empty()) throw InputError("command line: --out DIR is required");
        path = find_input(path);
        if (!fs::exists(path)) throw InputError(path + ": experiment file not found");
        if (cpus < 1) throw InputError("command line: --cpus-per-task must be at least 1");
        if (pilot_days < 1) throw InputError("command line: --pilot-days must be at least 1");
        if (shards < 0) throw InputError("command line: --shards must be positive");
        if (!(hours_per_shard > 0)) throw InputError("command line: --hours-per-shard must be positive");
        require_out_parent(out_dir);
        exp.load(path, sets);
      }))
    return rc;

  // Pilot: the costliest run of the table, shortened to --pilot-days, on the task's cores.
  const auto& runs = exp.runs();
  const PlannedRun& big = *std::max_element(runs.begin(), runs.end(),
                                            [](const auto& a, const auto& b) { return a.cost < b.cost; });
  double pilot_seconds = 0, days_full = 0;
  long rss_kb = 0;
  int days_pilot = 0;
  try {
    Scenario cfg = exp.config(big);
    days_full = static_cast<double>(cfg.params.run.days);
    days_pilot = static_cast<int>(std::min<double>(days_full, pilot_days));
    cfg.registry().set("run.days", std::to_string(days_pilot), "pilot");
    omp_set_num_threads(cpus);
    const auto t0 = std::chrono::steady_clock::now();
    run_replicate(cfg, big.replicate, nullptr);
    pilot_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    rss_kb = ru.ru_maxrss;
  } catch (const std::exception& e) {
    std::cerr << "govsim: pilot run failed: " << e.what() << "\n";
    return 1;
  }
  // Run time scales with cost (residents x days); the pilot's cost is the big run's at days_pilot.
  const double pilot_cost = big.cost * days_pilot / std::max(days_full, 1.0);
  std::vector<double> estimate;  // seconds per run
  for (const auto& r : runs) estimate.push_back(pilot_seconds * r.cost / std::max(pilot_cost, 1e-9));
  const double total = std::accumulate(estimate.begin(), estimate.end(), 0.0);
  if (shards == 0)
    shards = static_cast<int>(std::clamp<double>(std::ceil(total / (hours_per_shard * 3600.0)), 1.0,
                                                 std::min<double>(static_cast<double>(runs.size()), 1000.0)));
  shards = std::min<int>(shards, static_cast<int>(runs.size()));
  std::vector<double> shard_seconds(static_cast<std::size_t>(shards), 0.0);
  for (const auto& r : runs)
    shard_seconds[static_cast<std::size_t>(r.index % shards)] += estimate[static_cast<std::size_t>(r.index)];
  const double worst = *std::max_element(shard_seconds.begin(), shard_seconds.end());
  // Margins: 1.5x plus 5 minutes for the time (Slurm kills at the limit; a resumed task loses nothing),
  // 1.5x plus 256 MB for memory (several runs of a task may be in memory at once).
  const long limit_min = static_cast<long>(std::ceil((worst * 1.5 + 300.0) / 60.0));
  std::size_t per_shard =
      (runs.size() + static_cast<std::size_t>(shards) - 1) / static_cast<std::size_t>(shards);
  const long at_once = static_cast<long>(std::min<std::size_t>(static_cast<std::size_t>(cpus), per_shard));
  const long mem_mb =
      static_cast<long>(std::ceil(static_cast<double>(rss_kb) / 1024.0 * 1.5 * at_once)) + 256;

  fs::create_directories(out_dir);
  fs::create_directories(fs::path(out_dir) / "slurm");
  if (script.empty()) script = (fs::path(out_dir) / "sweep.sbatch").string();
  const std::string exe = fs::canonical("/proc/self/exe").string();
  const auto quote = shell_quote;
  std::string sweep_cmd = quote(exe) + " sweep " + quote(fs::absolute(path).string()) + " --out " +
                          quote(fs::absolute(out_dir).string());
  for (const auto& kv : sets) sweep_cmd += " --set " + quote(kv);
  std::ostringstream f;  // written whole, under a temporary name: never half a script
  char hhmm[32];
  std::snprintf(hhmm, sizeof hhmm, "%ld:%02ld:00", limit_min / 60, limit_min % 60);
  f << "#!/bin/bash\n"
    << "# Written by: " << command_line << "\n"
    << "# Experiment " << exp.path() << ": " << runs.size() << " runs (fingerprint " << exp.fingerprint()
    << ")\n"
    << "# Pilot: run " << big.id << " (costliest), " << days_pilot << " of " << days_full << " days on "
    << cpus << " cores: " << pilot_seconds << " s, peak RSS " << rss_kb / 1024 << " MB\n"
    << "# Estimated work: " << total / 3600.0 << " core-group hours in all; the slowest of " << shards
    << " shards " << worst / 60.0 << " min\n"
    << "#SBATCH --job-name=govsim-sweep\n"
    << "#SBATCH --array=0-" << shards - 1 << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=" << cpus << "\n"
    << "#SBATCH --time=" << hhmm << "\n"
    << "#SBATCH --mem=" << mem_mb << "M\n"
    << "#SBATCH --output=" << fs::absolute(out_dir).string() << "/slurm/%A_%a.out\n";
  if (!partition.empty()) f << "#SBATCH --partition=" << partition << "\n";
  if (!account.empty()) f << "#SBATCH --account=" << account << "\n";
  f << "# Each task takes its shard from SLURM_ARRAY_TASK_ID/COUNT; a resubmitted task skips finished runs.\n"
    << "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-" << cpus << "}\n"
    << "exec " << sweep_cmd << "\n";
  try {
    write_text_atomically(script, f.str());
  } catch (const std::exception& e) {
    std::cerr << "govsim: " << e.what() << "\n";
    return 1;
  }
  fs::permissions(script, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
  std::printf(
      "wrote %s: %d array tasks x %d cores, --time=%s, --mem=%ldM (pilot %.2f s for %d days, %ld MB)\n",
      script.c_str(), shards, cpus, hhmm, mem_mb, pilot_seconds, days_pilot, rss_kb / 1024);
  std::printf("submit:  sbatch %s\nthen:    %s merge %s --out %s\n", script.c_str(), quote(exe).c_str(),
              quote(fs::absolute(out_dir).string()).c_str(),
              quote((fs::absolute(out_dir) / "all.h5").string()).c_str());
  return 0;
}

}  // namespace govsim::cli
