#include <boost/program_options.hpp>

#include <iomanip>
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "experiment/scenario.h"
#include "core/population.h"
#include "mechanisms/factory.h"
#include "model/simulation.h"

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


// The schedule as a phase x mechanism table (markdown): which mechanism acts after the core in which phase.
void print_schedule_markdown(std::ostream& out) {
  out << "| phase | core | ";
  for (const auto& e : mechanism_entries()) out << "`" << e.name << "` | ";
  out << "\n|---|---|";
  for (std::size_t i = 0; i < mechanism_entries().size(); ++i) out << "---|";
  out << "\n";
  for (const PhaseInfo& p : kSchedule) {
    out << "| " << static_cast<int>(p.phase) + 1 << " " << p.name << " | " << p.core << " | ";
    for (const auto& e : mechanism_entries()) out << ((e.phases & phase_bit(p.phase)) ? "acts" : "") << " | ";
    out << "\n";
  }
}

void print_schedule_text(std::ostream& out) {
  out << "Schedule (phase x mechanism; x: acts after the core's work of the phase, in this column order):\n";
  out << "  " << std::left << std::setw(12) << "phase";
  for (const auto& e : mechanism_entries()) out << " " << e.name.substr(0, 8) << std::string(9 - std::min<std::size_t>(8, e.name.size()), ' ');
  out << "\n";
  for (const PhaseInfo& p : kSchedule) {
    out << "  " << std::setw(12) << p.name;
    for (const auto& e : mechanism_entries()) out << " " << std::setw(9) << ((e.phases & phase_bit(p.phase)) ? "x" : ".");
    out << "\n";
  }
}

// Every metric a run can record, as markdown tables: the core set, then each mechanism's, in output order
// (the numbers are positions in a file whose first run has every mechanism on). Each table sits between
// `<!-- metrics: NAME -->` lines, which scripts/update-docs.sh splices into docs/OUTPUT.md. A mechanism
// declares its metrics when it initialises, so each is initialised on a two-community district.
void print_metrics_markdown(std::ostream& out) {
  Scenario sc = default_scenario();
  sc.params.district.communities = 2;
  sc.params.run.days = 1;
  auto specs_with = [&](const MechanismEntry* e) {
    Simulation sim(sc.params, generate_world(sc.params, 1), 1);
    if (e) sim.add_mechanism(e->create(sc.mechanisms));
    sim.begin_day();
    return sim.recorder().specs();
  };
  const auto core = specs_with(nullptr);
  int number = 0;
  auto table = [&](const std::string& name, auto begin, auto end) {
    out << "<!-- metrics: " << name << " -->\n";
    if (begin == end) return;
    out << "| # | metric | kind | units | meaning (`long_name`) | by community |\n|---|---|---|---|---|---|\n";
    for (auto it = begin; it != end; ++it)
      out << "| " << ++number << " | `" << it->name << "` | " << metric_kind_name(it->kind) << " | " << it->unit
          << " | " << it->description << " | " << (it->by_community ? "yes" : "no") << " |\n";
  };
  table("core", core.begin(), core.end());
  for (const auto& e : mechanism_entries()) {
    const auto all = specs_with(&e);
    table(e.name, all.begin() + static_cast<std::ptrdiff_t>(core.size()), all.end());
  }
}

}  // namespace

int cmd_describe(const std::vector<std::string>& args) {
  std::string format = "text";
  po::options_description desc("describe options");
  desc.add_options()("format", po::value<std::string>(&format), "text, markdown (parameter tables), ini, schedule (phase x mechanism), metrics");
  try {
    po::variables_map vm;
    // No positional arguments: a stray word is an error, not ignored.
    po::store(
        po::command_line_parser(args)
            .options(desc)
            .positional(po::positional_options_description())
            .style(kCommandLineStyle)
            .run(),
        vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "govsim: command line: " << e.what() << "\n";
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
  if (format == "schedule") {
    print_schedule_markdown(std::cout);
    return 0;
  }
  if (format == "metrics") {
    print_metrics_markdown(std::cout);
    return 0;
  }
  if (format != "text") {
    std::cerr << "govsim describe: unknown format '" << format
              << "' (known: text, markdown, ini, schedule, metrics)\n";
    return 2;
  }
  std::cout << "Phases of a day, in order:";
  for (int p = 0; p < kPhases; ++p) std::cout << (p ? " -> " : " ") << phase_name(static_cast<Phase>(p));
  std::cout << "\nMechanisms: " << known_mechanisms_text() << "\n";
  for (const auto& e : mechanism_entries()) std::cout << "  " << e.name << ": " << e.summary << "\n";
  std::cout << "\n";
  print_schedule_text(std::cout);
  std::cout << "\nParameters (" << specs.size() << "): key  type  default  range  unit  source\n";
  for (const auto& s : specs) {
    std::cout << "  " << std::left << std::setw(50) << s.key << " " << std::setw(7) << type_name(s.type) << std::setw(11)
              << (s.default_text.empty() ? "''" : s.default_text) << std::setw(16) << range_text(s) << std::setw(24)
              << s.unit << s.source << "\n      " << s.help << "\n";
  }
  return 0;
}

}  // namespace govsim::cli
