#include <boost/program_options.hpp>

#include <iomanip>
#include <iostream>

#include "cli/commands.h"
#include "experiment/scenario.h"
#include "mechanisms/factory.h"

namespace po = boost::program_options;

namespace govsim::cli {

namespace {

std::string range_text(const ParamSpec& s) {
  if (!s.choices.empty()) {
    std::string t;
    for (const auto& c : s.choices) t += (t.empty() ? "" : " / ") + c;
    return t;
  }
  if (s.type == ParamType::kString || s.type == ParamType::kBool) return "";
  return "[" + format_real(s.min) + ", " + format_real(s.max) + "]";
}

}  // namespace

int cmd_describe(const std::vector<std::string>& args) {
  std::string format = "text";
  po::options_description desc("describe options");
  desc.add_options()("format", po::value<std::string>(&format), "text, markdown or ini");
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "govsim describe: " << e.what() << "\n";
    return 2;
  }
  const ParamRegistry& registry = default_scenario().registry();
  const auto& specs = registry.specs();
  if (format == "ini") {
    std::cout << "# Every govsim parameter at its default (govsim describe --format ini)\n"
              << registry.to_ini();
    return 0;
  }
  if (format == "markdown") {
    std::string section;
    for (const auto& s : specs) {
      const std::string sec = s.key.substr(0, s.key.find('.'));
      if (sec != section) {
        section = sec;
        std::cout << "\n#### [" << sec << "]\n\n| key | type | default | range | unit | source | meaning |\n"
                  << "|---|---|---|---|---|---|---|\n";
      }
      std::cout << "| `" << s.key << "` | " << type_name(s.type) << " | " << (s.default_text.empty() ? "(empty)" : s.default_text)
                << " | " << range_text(s) << " | " << s.unit << " | " << s.source << " | " << s.help << " |\n";
    }
    return 0;
  }
  if (format != "text") {
    std::cerr << "govsim describe: unknown format '" << format << "' (known: text, markdown, ini)\n";
    return 2;
  }
  std::cout << "Phases of a day, in order:";
  for (int p = 0; p < kPhases; ++p) std::cout << (p ? " -> " : " ") << phase_name(static_cast<Phase>(p));
  std::cout << "\nMechanisms: " << known_mechanisms_text() << "\n";
  for (const auto& e : mechanism_entries()) std::cout << "  " << e.name << ": " << e.summary << "\n";
  std::cout << "\nParameters (" << specs.size() << "): key  type  default  range  unit  source\n";
  for (const auto& s : specs) {
    std::cout << "  " << std::left << std::setw(50) << s.key << " " << std::setw(7) << type_name(s.type) << std::setw(11)
              << (s.default_text.empty() ? "''" : s.default_text) << std::setw(16) << range_text(s) << std::setw(24)
              << s.unit << s.source << "\n      " << s.help << "\n";
  }
  return 0;
}

}  // namespace govsim::cli
