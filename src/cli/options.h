// Options shared by the subcommands that run scenarios: --set, --KEY VALUE, --threads.
#pragma once

#include <boost/program_options.hpp>

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

}  // namespace govsim::cli
