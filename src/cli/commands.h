#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace govsim::cli {

// `word` as a shell reads it back: unchanged when it holds only safe characters, else in single quotes.
inline std::string shell_quote(const std::string& word) {
  if (!word.empty() &&
      word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/=:+@%") ==
          std::string::npos)
    return word;
  std::string q = "'";
  for (char ch : word) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

// Each returns the process exit code: 0 success, 1 run failure, 2 bad input.
int cmd_run(const std::vector<std::string>& args, const std::string& command_line);
int cmd_describe(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_plan(const std::vector<std::string>& args, const std::string& command_line);
int cmd_sweep(const std::vector<std::string>& args, const std::string& command_line);
int cmd_merge(const std::vector<std::string>& args, const std::string& command_line);
int cmd_calibrate(const std::vector<std::string>& args, const std::string& command_line);
int cmd_optimise(const std::vector<std::string>& args, const std::string& command_line);
// Exit code 1 if any file fails verification (io/seal.h) or a merged file's source is missing.
int cmd_verify(const std::vector<std::string>& args);
int cmd_slurm(const std::vector<std::string>& args, const std::string& command_line);
// Runs the Python analysis package's HTML report (src/cli/report.cpp); its exit code, 2 for bad input.
int cmd_report(const std::vector<std::string>& args, const std::string& command_line);
// govsim export FILE.h5 --csv DIR: tidy CSV tables through the analysis package (cli/report.cpp).
int cmd_export(const std::vector<std::string>& args);
// Runs argv (PATH searched when argv[0] has no '/'), waits, returns its exit status (128 + signal if killed),
// or -1 with errno set when it could not be started (cli/report.cpp).
int spawn_and_wait(const std::vector<std::string>& argv);
// govsim serve [SCENARIO.ini] [--port P] [--host H] [--out DIR]: the browser explorer (cli/serve.cpp).
int cmd_serve(const std::vector<std::string>& args);
// govsim --version: release, revision, the build's configuration and where its data are (cli/build_info.cpp).
void print_version(std::ostream& out);

}  // namespace govsim::cli
