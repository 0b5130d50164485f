#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "experiment/experiment.h"
#include "util/json.h"

namespace po = boost::program_options;

namespace govsim::cli {

namespace {

// One table row per run: the fixed columns, then the point's value of every [vary] axis.
std::vector<std::string> header(const Experiment& e) {
  std::vector<std::string> h = {"index", "run_id", "point", "block", "group", "arm", "replicate", "seed"};
  for (const auto& a : e.axes()) h.push_back(a.key);
  return h;
}

std::vector<std::string> cells(const PlannedRun& r) {
  std::vector<std::string> c = {
      std::to_string(r.index), r.id,  std::to_string(r.point),     r.block,
      std::to_string(r.group), r.arm, std::to_string(r.replicate), std::to_string(r.seed)};
  for (const auto& v : r.values) c.push_back(v.second);
  return c;
}

// A real value for reading (six significant digits: 0.65, not the 0.6499999999999999 a design's arithmetic
// gives); tsv and json keep every digit, which is the value the run uses.
std::string readable(const std::string& key, const std::string& value) {
  const ParamSpec* s = default_scenario().registry().find(key);
  if (!s || s->type != ParamType::kReal) return value;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", parse_real(value));
  return buf;
}

void print_text(const Experiment& e, std::ostream& out) {
  std::string arms;
  for (const auto& a : e.arms()) arms += (arms.empty() ? "" : ", ") + a;
  out << "experiment:  " << e.path() << "\n"
      << "design:      " << e.design() << "\n"
      << "points:      " << e.points() << "\n"
      << "arms:        " << e.arms().size() << " (" << arms << ")\n"
      << "replicates:  " << e.replicates() << "\n"
      << "runs:        " << e.runs().size() << "\n"
      << "fingerprint: " << e.fingerprint() << "\n";
  std::string varied;
  for (const auto& k : e.varied_keys()) varied += (varied.empty() ? "" : ", ") + k;
  out << "varied:      " << (varied.empty() ? "(nothing)" : varied) << "\n"
      << "(real values to 6 significant digits; --format tsv or json gives every digit)\n\n";
  std::vector<std::vector<std::string>> rows = {header(e)};
  for (const auto& r : e.runs()) {
    rows.push_back(cells(r));
    for (std::size_t i = 0; i < r.values.size(); ++i)
      rows.back()[rows.back().size() - r.values.size() + i] = readable(r.values[i].first, r.values[i].second);
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line +=
          (i ? "  " : "") + row[i] + (i + 1 < row.size() ? std::string(width[i] - row[i].size(), ' ') : "");
    out << line << "\n";
  }
}

void print_tsv(const Experiment& e, std::ostream& out) {
  auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "\t" : "") << row[i];
    out << "\n";
  };
  line(header(e));
  for (const auto& r : e.runs()) line(cells(r));
}

// An array of objects, one per line; numbers and booleans as JSON values, other parameter text as strings.
void print_json(const Experiment& e, std::ostream& out) {
  Json doc = Json::array();
  for (const auto& r : e.runs()) {
    Json row = {{"index", r.index}, {"run_id", r.id}, {"point", r.point},         {"block", r.block},
                {"group", r.group}, {"arm", r.arm},   {"replicate", r.replicate}, {"seed", r.seed}};
    for (const auto& [key, value] : r.values) {
      const ParamSpec* s = default_scenario().registry().find(key);
      if (s && s->type == ParamType::kBool)
        row[key] = parse_bool(value);
      else if (s && s->type == ParamType::kInt)
        row[key] = parse_int(value);
      else if (s && s->type != ParamType::kString)
        row[key] = parse_real(value);
      else
        row[key] = value;
    }
    doc.push_back(std::move(row));
  }
  out << json_text(doc, {.indent = 1, .one_line_from = 1, .spaces = true}) << "\n";
}

}  // namespace

int cmd_plan(const std::vector<std::string>& args, const std::string&) {
  std::string file, format = "text";
  std::vector<std::string> sets;
  po::options_description desc("plan options");
  desc.add_options()("experiment", po::value<std::string>(&file), "experiment INI file")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "key=value override (repeatable; experiment.KEY=VALUE changes the [experiment] section)")(
      "format", po::value<std::string>(&format), "text, tsv or json");
  add_parameter_options(desc);
  po::positional_options_description pos;
  pos.add("experiment", 1);
  Experiment experiment;
  if (const int rc = input_or_exit([&] {
        parse_arguments(args, desc, pos, sets);
        if (file.empty())
          throw InputError("command line: an experiment file is required (govsim plan EXPERIMENT.ini)");
        if (format != "text" && format != "tsv" && format != "json")
          throw InputError("command line: --format '" + format + "': expected text, tsv or json");
        file = find_input(file);
        if (!std::filesystem::exists(file)) throw InputError(file + ": experiment file not found");
        experiment.load(file, sets);
      }))
    return rc;
  for (const auto& w : experiment.idle_warnings()) std::cerr << "govsim plan: warning: " << w << "\n";
  if (format == "tsv")
    print_tsv(experiment, std::cout);
  else if (format == "json")
    print_json(experiment, std::cout);
  else
    print_text(experiment, std::cout);
  return 0;
}

}  // namespace govsim::cli
