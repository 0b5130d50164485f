#pragma once

#include <string>
#include <vector>

namespace govsim::cli {

// Each returns the process exit code: 0 success, 1 run failure, 2 bad input.
int cmd_run(const std::vector<std::string>& args, const std::string& command_line);
int cmd_describe(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_plan(const std::vector<std::string>& args, const std::string& command_line);
int cmd_sweep(const std::vector<std::string>& args, const std::string& command_line);
int cmd_merge(const std::vector<std::string>& args, const std::string& command_line);
int cmd_slurm(const std::vector<std::string>& args, const std::string& command_line);
// Runs the Python analysis package's HTML report (src/cli/report.cpp); its exit code, 2 for bad input.
int cmd_report(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace govsim::cli
