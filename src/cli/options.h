// Options shared by the subcommands that run scenarios: --set, --KEY VALUE, --threads.
#pragma once

#include <boost/program_options.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "experiment/scenario.h"
#include "util/files.h"
#include "util/install.h"

namespace govsim::cli {

// Adds every parameter key as a --KEY VALUE option.
inline void add_parameter_options(boost::program_options::options_description& desc) {
  for (const auto& s : default_scenario().registry().specs())
    desc.add_options()(s.key.c_str(), boost::program_options::value<std::string>());
}

// The --KEY VALUE options given, as key=value overrides in command-line order.
inline std::vector<std::string> key_overrides(const boost::program_options::parsed_options& parsed) {
  std::vector<std::string> out;
  for (const auto& opt : parsed.options)
    if (default_scenario().registry().find(opt.string_key) && !opt.value.empty())
      out.push_back(opt.string_key + "=" + opt.value.front());
  return out;
}

// Program_options' default style without its guessing: `--run.d 3` is not taken for `--run.days 3` (nor
// `--thr` for `--threads`); an option is named in full or refused.
inline constexpr int kCommandLineStyle = boost::program_options::command_line_style::default_style &
                                         ~boost::program_options::command_line_style::allow_guessing;

// Parses a subcommand's arguments into the variables bound in `desc`, and appends the --KEY VALUE parameter
// options given to `sets` (after any --set).
inline void parse_arguments(const std::vector<std::string>& args,
                            const boost::program_options::options_description& desc,
                            const boost::program_options::positional_options_description& pos,
                            std::vector<std::string>& sets) {
  boost::program_options::variables_map vm;
  const auto parsed = boost::program_options::command_line_parser(args)
                          .options(desc)
                          .positional(pos)
                          .style(kCommandLineStyle)
                          .run();
  boost::program_options::store(parsed, vm);
  boost::program_options::notify(vm);
  for (auto& kv : key_overrides(parsed)) sets.push_back(kv);
}

// Throws InputError unless the directory that will hold `--out PATH` exists.
inline void require_out_parent(const std::string& path, const std::string& option = "--out") {
  std::error_code ec;
  const auto parent = std::filesystem::absolute(path, ec).parent_path();
  if (ec || !std::filesystem::is_directory(parent, ec))
    throw InputError("command line: " + option + " " + path + ": directory " + parent.string() +
                     " does not exist");
}

// Throws InputError unless `--out PATH` may be written as a file, before any work: its directory exists and
// takes new files, and PATH is new, or (with --force) a regular file that is none of `inputs` (a run must not
// replace its own scenario, nor a merge one of its sources; the final rename would replace a device node or
// a directory's entry with a file). Removes PATH's temporaries that killed govsims of this host left.
inline void require_out_file(const std::string& path, const std::vector<std::string>& inputs, bool force,
                             const std::string& option = "--out") {
  require_out_parent(path, option);
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw InputError("command line: " + option + " " + path + ": " + ec.message());
  if (std::filesystem::exists(st)) {
    if (!std::filesystem::is_regular_file(st))
      throw InputError("command line: " + option + " " + path + ": exists and is not a regular file");
    for (const auto& in : inputs)
      if (std::filesystem::equivalent(path, in, ec))
        throw InputError("command line: " + option + " " + path + ": is an input of this command (" + in +
                         ")");
    if (!force) throw InputError("command line: " + option + " " + path + ": exists (--force replaces it)");
  }
  for (const auto& in : inputs)
    if (std::filesystem::weakly_canonical(path, ec) == std::filesystem::weakly_canonical(in, ec))
      throw InputError("command line: " + option + " " + path + ": is also " + in +
                       " (another file of this command)");
  const auto dir = std::filesystem::absolute(path).parent_path();
  remove_dead_temporaries(dir, std::filesystem::path(path).filename().string());
  if (const std::string why = cannot_create_in(dir); !why.empty())
    throw InputError("command line: " + option + " " + path + ": cannot create files in " + dir.string() +
                     ": " + why);
}

// Throws InputError unless `--threads N` (or --jobs) is 0 (the default) or a sane count.
inline void check_threads(int threads, const std::string& option = "--threads") {
  if (threads < 0) throw InputError("command line: " + option + " must be positive");
  if (threads > 4096)
    throw InputError("command line: " + option + " " + std::to_string(threads) +
                     ": at most 4096 (this machine has " +
                     std::to_string(std::thread::hardware_concurrency()) + " cores)");
}

// Reads options and scenario files: bad input becomes one line on stderr and exit code 2; 0 when all is well.
template <class Read>
int input_or_exit(Read&& read) {
  try {
    read();
    return 0;
  } catch (const InputError& e) {
    std::cerr << "govsim: " << e.what() << "\n";
  } catch (const boost::program_options::error& e) {
    std::cerr << "govsim: command line: " << e.what() << "\n";
  }
  return 2;
}

}  // namespace govsim::cli
