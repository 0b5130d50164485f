// govsim report FILE.h5 --out DIR: the HTML report is written by the Python analysis package
// (analysis/govsim_analysis/report.py); this command checks its input, finds Python and the package, and
// runs `PYTHON -m govsim_analysis report FILE --out DIR [...]`, returning its exit code.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "util/install.h"

#ifndef GOVSIM_PYTHON_DEFAULT
#define GOVSIM_PYTHON_DEFAULT "/usr/bin/python3"
#endif

extern char** environ;

namespace govsim::cli {

namespace {

namespace fs = std::filesystem;

const char* kInstall =
    "run scripts/install-deps.sh (Debian: python3 python3-numpy python3-pandas python3-xarray "
    "python3-h5py python3-scipy python3-matplotlib), or set GOVSIM_PYTHON to a Python that has them";

// Finds the modules the package needs without importing them (fast), and says in one line what is missing.
// Exit 3 when something is.
const char* kPrecheck = R"PY(
import importlib.util, sys
if sys.version_info < (3, 9):
    print(f"govsim: report needs Python 3.9 or later; {sys.executable} is {sys.version.split()[0]}: " + sys.argv[1], file=sys.stderr); sys.exit(3)
if importlib.util.find_spec("govsim_analysis") is None:
    print(f"govsim: report: the Python package govsim_analysis is not in {sys.argv[2]} (set GOVSIM_ANALYSIS_DIR to the directory that holds govsim_analysis)", file=sys.stderr); sys.exit(3)
missing = [m for m in ("numpy", "pandas", "xarray", "h5py", "scipy", "matplotlib") if importlib.util.find_spec(m) is None]
if missing:
    print(f"govsim: report: {sys.executable} lacks the Python modules {', '.join(missing)}: " + sys.argv[1], file=sys.stderr); sys.exit(3)
)PY";

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string(fallback);
}

}  // namespace

// Runs argv (PATH searched when argv[0] has no '/'), waits, returns its exit status (128 + signal if killed),
// or -1 with errno set when it could not be started.
int spawn_and_wait(const std::vector<std::string>& argv) {
  std::vector<char*> c;
  for (const auto& a : argv) c.push_back(const_cast<char*>(a.c_str()));
  c.push_back(nullptr);
  pid_t pid = 0;
  // The child starts with no signal blocked, whatever this thread blocks (govsim serve blocks SIGINT and
  // SIGTERM in its threads): Ctrl-C reaches it too.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  const int err = argv[0].find('/') == std::string::npos
                      ? posix_spawnp(&pid, c[0], nullptr, &attr, c.data(), environ)
                      : posix_spawn(&pid, c[0], nullptr, &attr, c.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (err != 0) {
    errno = err;
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

namespace {

// `govsim report` and `govsim export`: FILE and the output directory (`dir_option`) are checked here; other
// options go to the package's command `name`, which checks them against the file. `flags` take no value.
int run_analysis_command(const std::string& name, const std::string& dir_option,
                         const std::vector<std::string>& flags, const std::vector<std::string>& args) {
  std::string file, out;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == dir_option || a.rfind(dir_option + "=", 0) == 0) {
      if (a == dir_option && i + 1 == args.size()) {
        std::cerr << "govsim: command line: " << dir_option << " needs a directory\n";
        return 2;
      }
      out = a == dir_option ? args[++i] : a.substr(dir_option.size() + 1);
    } else if (a.rfind("--", 0) == 0) {
      rest.push_back(a);
      const bool flag = std::find(flags.begin(), flags.end(), a) != flags.end();  // takes no value
      if (!flag && a.find('=') == std::string::npos && i + 1 < args.size()) rest.push_back(args[++i]);
    } else if (file.empty()) {
      file = a;
    } else {
      std::cerr << "govsim: command line: " << name << " takes one file (got '" << file << "' and '" << a
                << "')\n";
      return 2;
    }
  }
  if (file.empty() || out.empty()) {
    std::cerr << "govsim: command line: usage: govsim " << name << " FILE.h5 " << dir_option << " DIR\n";
    return 2;
  }
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    std::cerr << "govsim: " << file << ": "
              << (fs::exists(file, ec) ? "not a regular file" : "file not found") << "\n";
    return 2;
  }
  const fs::path out_path(out);
  const fs::path parent =
      out_path.has_parent_path() && out_path.parent_path() != "" ? out_path.parent_path() : ".";
  if (fs::exists(out_path, ec) && !fs::is_directory(out_path, ec)) {
    std::cerr << "govsim: " << out << ": exists and is not a directory\n";
    return 2;
  }
  if (!fs::is_directory(parent, ec)) {
    std::cerr << "govsim: " << out << ": parent directory " << parent.string() << " does not exist\n";
    return 2;
  }

  const std::string python = env_or("GOVSIM_PYTHON", GOVSIM_PYTHON_DEFAULT);
  // The package that came with this binary (PREFIX/share/govsim/analysis, or the source tree's analysis/).
  const fs::path data = data_dir();
  const std::string analysis =
      env_or("GOVSIM_ANALYSIS_DIR", data.empty() ? "" : (data / "analysis").string().c_str());
  if (analysis.empty() || !fs::is_directory(fs::path(analysis) / "govsim_analysis", ec)) {
    std::cerr << "govsim: " << name << ": no Python package govsim_analysis "
              << (analysis.empty()
                      ? "beside " + executable_path().string() + " (PREFIX/share/govsim/analysis)"
                      : "in " + analysis)
              << " (set GOVSIM_ANALYSIS_DIR to the directory that holds govsim_analysis)\n";
    return 2;
  }
  const char* old = std::getenv("PYTHONPATH");
  const std::string pythonpath = analysis + (old && *old ? ":" + std::string(old) : "");
  setenv("PYTHONPATH", pythonpath.c_str(), 1);
  setenv("PYTHONDONTWRITEBYTECODE", "1", 0);  // no __pycache__ in the source tree

  const int pre = spawn_and_wait({python, "-c", kPrecheck, kInstall, analysis});
  if (pre < 0 || pre == 127) {  // 127: the shell convention for a program that could not be executed
    std::cerr << "govsim: " << name << " needs Python 3 (" << python << ": "
              << (pre < 0 ? std::strerror(errno) : "cannot be executed") << "): " << kInstall << "\n";
    return 2;
  }
  if (pre != 0) return 2;  // the check printed what is missing

  std::vector<std::string> cmd = {python, "-m", "govsim_analysis", name, file, dir_option, out};
  cmd.insert(cmd.end(), rest.begin(), rest.end());
  const int rc = spawn_and_wait(cmd);
  if (rc < 0) {
    std::cerr << "govsim: " << name << ": cannot run " << python << ": " << std::strerror(errno) << "\n";
    return 2;
  }
  return rc;
}

}  // namespace

int cmd_report(const std::vector<std::string>& args, const std::string& /*command_line*/) {
  return run_analysis_command("report", "--out", {"--allow-missing-sources"}, args);
}

int cmd_export(const std::vector<std::string>& args) {
  return run_analysis_command("export", "--csv", {"--by-community", "--force"}, args);
}

}  // namespace govsim::cli
