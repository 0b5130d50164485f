// govsim: agent-based simulation of community governance mechanisms.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "io/h5_writer.h"
#include "util/version.h"

namespace {

// Two settings that only take effect when the process starts, chosen unless the user chose them: libgomp
// reads its environment when it loads, and glibc its tunables, so govsim sets them and starts again (once:
// the second time both are set).
// - OpenMP threads that wait at a barrier sleep instead of spinning: a spinning thread holds a core that
//   another process, or our own descheduled thread, needs (beside one busy process the 1 M-resident year
//   took 4.9 s at 2 threads with spinning, 3.0 s with passive waiting; docs/PERFORMANCE.md).
// - malloc asks for transparent huge pages (where the kernel gives them on request): at city scale the
//   stores are gigabytes read at random, and with 4 KiB pages set-up was a third page faults and the day
//   TLB misses (30 city days: 15.4 s against 10.8 s).
void choose_start_up_settings(char** argv) {
  bool changed = false;
  if (std::getenv("OMP_WAIT_POLICY") == nullptr && std::getenv("GOMP_SPINCOUNT") == nullptr) {
    if (setenv("OMP_WAIT_POLICY", "passive", 0) != 0) return;
    changed = true;
  }
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string have = tunables != nullptr ? tunables : "";
  if (have.find("glibc.malloc.hugetlb") == std::string::npos) {
    const std::string want = have.empty() ? "glibc.malloc.hugetlb=1" : have + ":glibc.malloc.hugetlb=1";
    if (setenv("GLIBC_TUNABLES", want.c_str(), 1) != 0) return;
    changed = true;
  }
  if (changed) execv("/proc/self/exe", argv);  // returns only on failure: then run as started
}

#ifdef GOVSIM_PYTHON_DEFAULT
#define GOVSIM_PYTHON_DEFAULT_TEXT GOVSIM_PYTHON_DEFAULT
#else
#define GOVSIM_PYTHON_DEFAULT_TEXT "/usr/bin/python3"
#endif

const char* kUsage =
    "govsim - agent-based simulation of Party-building-led community governance\n"
    "\n"
    "Usage:\n"
    "  govsim run SCENARIO.ini --out FILE.h5 [--set key=value ...] [--KEY VALUE ...]\n"
    "             [--threads N] [--summary-json FILE] [--level L] [--quiet] [--force]\n"
    "      Run a scenario (run.replicates runs) and write schema-1 HDF5 (docs/OUTPUT.md).\n"
    "  govsim validate FILE.ini ... [--set key=value ...] [--threads N] [--json FILE]\n"
    "      Run validation scenarios ([arms] and [checks]) and print the table of stylised facts:\n"
    "      fact, arms, effect with its 95% interval, verdict. Exit code 1 if a check fails.\n"
    "  govsim plan EXPERIMENT.ini [--set key=value ...] [--KEY VALUE ...] [--format text|tsv|json]\n"
    "      Print an experiment's run table ([experiment] and [vary], docs/EXPERIMENTS.md) without running:\n"
    "      design, points, arms, replicates, fingerprint; one row per run with its id, seed and values.\n"
    "      --set experiment.KEY=VALUE changes the [experiment] section (e.g. experiment.samples=8).\n"
    "  govsim sweep EXPERIMENT.ini --out DIR [--shard i/N] [--threads N] [--jobs J] [--json-progress]\n"
    "               [--allow-changed]\n"
    "      Run an experiment's table (or one shard of it) into DIR, resumable.\n"
    "  govsim merge DIR --out FILE.h5 [--copy] [--allow-partial] [--force]\n"
    "      Merge a sweep's shard/rank files (DIR/plan.tsv order) into one schema-1 file: virtual\n"
    "      datasets over the shard files (kept next to it), or a self-contained copy with --copy.\n"
    "  govsim verify FILE.h5|DIR ... [--list]\n"
    "      Check that files govsim wrote are whole and unchanged (each carries a checksum), that each\n"
    "      journal holds its run, and that a merged file reaches every shard it reads. Exit code 1 if not.\n"
    "  govsim calibrate CALIBRATION.ini --out DIR [--set key=value ...] [--threads N] [--jobs J]\n"
    "                   [--allow-changed] [--quiet]\n"
    "      Fit [priors] to [targets] by ABC-SMC (docs/CALIBRATION.md): each generation is a sweep into\n"
    "      DIR, resumable and MPI-aware; DIR/calibration.h5 holds every generation and the posterior.\n"
    "  govsim optimise OPTIMISATION.ini --out DIR [--set key=value ...] [--threads N] [--jobs J]\n"
    "                  [--allow-changed] [--quiet]\n"
    "      Search [decisions] for the Pareto front of [objectives] under [constraints] by NSGA-II\n"
    "      (docs/CALIBRATION.md): each generation is a sweep into DIR; DIR/optimisation.h5.\n"
    "  govsim slurm EXPERIMENT.ini --out DIR [--shards N] [--cpus-per-task C] [--partition P]\n"
    "               [--account A] [--pilot-days D] [--hours-per-shard H]\n"
    "      Write DIR/sweep.sbatch, a Slurm array job (one shard per task) with --time and --mem\n"
    "      estimated from a pilot run; then sbatch it and govsim merge DIR.\n"
    "  govsim report FILE.h5 --out DIR [--baseline ARM] [--metric NAME ...] [--title TEXT]\n"
    "      Write DIR/index.html, a self-contained HTML report (provenance, runs, comparison table,\n"
    "      figures) and the figures as PNG and SVG, with the Python package in analysis/\n"
    "      (Python: $GOVSIM_PYTHON, else " GOVSIM_PYTHON_DEFAULT_TEXT
    ").\n"
    "  govsim export FILE.h5 --csv DIR [--by-community] [--force]\n"
    "      Write the file as tidy CSV tables for pandas, R or a spreadsheet: DIR/runs.csv (one row per\n"
    "      run), DIR/series.csv (run, arm, replicate, day, metric, value), DIR/variables.csv (units,\n"
    "      meaning); --by-community adds DIR/series_by_community.csv.\n"
    "  govsim serve [SCENARIO.ini] [--port P] [--host H] [--out DIR]\n"
    "      The explorer in the browser: parameters, two arms, run / pause / step / reset, live series\n"
    "      and community maps, save as scenario, download HDF5 (one simulation per tab; Ctrl-C stops).\n"
    "  govsim describe [--format text|markdown|ini]\n"
    "      Every parameter (name, type, default, unit, source), the phase order, the mechanisms.\n"
    "  govsim --help | --version (release, revision, the build's configuration)\n"
    "\n"
    "Exit codes: 0 success, 1 a run failed, 2 bad input (nothing is written).\n";

// One example per command, for `govsim CMD --help`.
const std::pair<const char*, const char*> kExamples[] = {
    {"run", "govsim run scenarios/main_comparison.ini --out out/main.h5 --set run.replicates=40"},
    {"validate", "govsim validate tests/validation/*.ini --json facts.json"},
    {"plan", "govsim plan scenarios/experiments/factorial.ini --format tsv"},
    {"sweep", "govsim sweep scenarios/experiments/lhs.ini --out sw --shard 1/4 --threads 8"},
    {"merge", "govsim merge sw --out sweep.h5 --copy"},
    {"verify", "govsim verify sw sweep.h5"},
    {"calibrate", "govsim calibrate scenarios/fuyang_calibration.ini --out cal --threads 16"},
    {"optimise", "govsim optimise scenarios/experiments/pareto.ini --out opt"},
    {"slurm", "govsim slurm scenarios/experiments/lhs.ini --out $SCRATCH/sw --shards 16 --partition short"},
    {"report", "govsim report out/main.h5 --out out/report --baseline baseline"},
    {"export", "govsim export out/main.h5 --csv out/csv   # then pandas.read_csv('out/csv/series.csv')"},
    {"serve", "govsim serve scenarios/fuyang.ini --port 8765"},
    {"describe", "govsim describe --format markdown > parameters.md"},
};

// `govsim CMD --help`: the command's lines of the usage (one text for both), the options every command that
// reads a scenario takes, an example. False if CMD is no command.
bool print_command_help(const std::string& cmd) {
  const std::string usage = kUsage;
  const auto at = usage.find("  govsim " + cmd + " ");
  if (at == std::string::npos) return false;
  const auto end = usage.find("\n  govsim ", at + 1);
  std::cout << "Usage:\n" << usage.substr(at, end - at) << "\n";
  if (cmd != "merge" && cmd != "verify" && cmd != "report" && cmd != "export" && cmd != "describe")
    std::cout << "\nAny parameter: --set key=value or --KEY VALUE (govsim describe lists the keys); options are\n"
                 "named in full (no abbreviations). Bad input: one line naming the file, line and key; exit 2.\n";
  for (const auto& [name, example] : kExamples)
    if (cmd == name) std::cout << "\nExample:\n  " << example << "\n";
  return true;
}

}  // namespace

namespace {

int dispatch(const std::string& cmd, std::vector<std::string>& args, const std::string& command_line) {
  if (cmd == "run") return govsim::cli::cmd_run(args, command_line);
  if (cmd == "describe") return govsim::cli::cmd_describe(args);
  if (cmd == "validate") return govsim::cli::cmd_validate(args);
  if (cmd == "plan") return govsim::cli::cmd_plan(args, command_line);
  if (cmd == "sweep") return govsim::cli::cmd_sweep(args, command_line);
  if (cmd == "merge") return govsim::cli::cmd_merge(args, command_line);
  if (cmd == "slurm") return govsim::cli::cmd_slurm(args, command_line);
  if (cmd == "calibrate") return govsim::cli::cmd_calibrate(args, command_line);
  if (cmd == "optimise" || cmd == "optimize") return govsim::cli::cmd_optimise(args, command_line);
  if (cmd == "report") return govsim::cli::cmd_report(args, command_line);
  if (cmd == "export") return govsim::cli::cmd_export(args);
  if (cmd == "verify") return govsim::cli::cmd_verify(args);
  if (cmd == "serve") {
#ifdef GOVSIM_HAVE_SERVE
    return govsim::cli::cmd_serve(args);
#else
    std::cerr << "govsim: serve: this govsim was built without cpp-httplib (Debian: libcpp-httplib-dev; "
                 "then configure again)\n";
    return 2;
#endif
  }
  std::cerr
      << "govsim: unknown command '" << cmd
      << "' (known: run, plan, sweep, merge, verify, slurm, calibrate, optimise, validate, report, export, serve, "
         "describe; "
         "see govsim --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  choose_start_up_settings(argv);
  govsim::prepare_hdf5();
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line;
  // Shell-quoted where needed, so the recorded command line can be pasted back into a shell.
  for (int i = 0; i < argc; ++i) {
    if (i) command_line += ' ';
    command_line += govsim::cli::shell_quote(argv[i]);
  }
  if (args.empty()) {  // bad input: one line on stderr, like any other
    std::cerr << "govsim: command line: a command is required (govsim --help lists them)\n";
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return 0;
  }
  // `govsim CMD --help` (or -h) anywhere among the command's arguments.
  if (args.size() > 1)
    for (std::size_t i = 1; i < args.size(); ++i)
      if (args[i] == "--help" || args[i] == "-h") {
        const std::string cmd = args[0] == "optimize" ? "optimise" : args[0];
        if (print_command_help(cmd)) return 0;
        break;
      }
  if (args[0] == "--version") {
    govsim::cli::print_version(std::cout);
    return 0;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  // Every command reports its own errors; what escapes one still ends as one line, never an abort.
  try {
    return dispatch(cmd, args, command_line);
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "govsim: " << (e.path1().empty() ? "" : e.path1().string() + ": ") << e.code().message()
              << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "govsim: out of memory (the configuration needs more memory than this machine has)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "govsim: " << e.what() << "\n";
    return 1;
  }
}
