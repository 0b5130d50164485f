// Options shared by the subcommands that run scenarios: --set, --KEY VALUE, --threads.
#pragma once

#include <boost/program_options.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "params/config.h"

namespace govsim::cli {

// Adds every parameter key as a --KEY VALUE option.
inline void add_parameter_options(boost::program_options::options_description& desc, const Config& cfg) {
  for (const auto& s : cfg.registry().specs())
    desc.add_options()(s.key.c_str(), boost::program_options::value<std::string>());
}

// The --KEY VALUE options given, as key=value overrides in command-line order.
inline std::vector<std::string> key_overrides(const boost::program_options::parsed_options& parsed,
                                              const Config& cfg) {
  std::vector<std::string> out;
  for (const auto& opt : parsed.options)
    if (cfg.registry().find(opt.string_key) && !opt.value.empty())
      out.push_back(opt.string_key + "=" + opt.value.front());
  return out;
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
