#include "experiment/scenario.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "core/population.h"

namespace po = boost::program_options;

namespace govsim {

namespace {

// Reads a scenario file and its includes: parameter lines into `values` (with the line each key was last
// given on), the other sections into `file`.
struct IniReader {
  ScenarioFile& file;
  std::map<std::string, std::string> values;     // key -> value text
  std::map<std::string, std::string> key_lines;  // key -> "file:line" where it was last given
  std::vector<std::string> chain;                // the files being read, outermost first (include cycles)

  void scan(const std::string& path, int depth) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (ec) throw InputError(path + ": cannot open scenario file (" + ec.message() + ")");
    if (!std::filesystem::is_regular_file(st))
      throw InputError(path + ": not a regular file (a scenario is an INI file)");
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot open scenario file");
    chain.push_back(std::filesystem::weakly_canonical(path, ec).string());
    // Our own pass gives each key its file and line (Program_options does not report lines) and catches
    // lines that are neither a section, a key = value pair nor a comment.
    std::map<std::string, int> seen_here;  // a key given twice in one file is an error; across files, the last wins
    std::string line;
    std::string section;
    int lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      const std::string at = path + ":" + std::to_string(lineno);
      if (lineno == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a UTF-8 byte-order mark
      if (const std::string why = text_problem(line); !why.empty()) throw InputError(at + ": " + why);
      const std::string t = trim(line);
      if (t.empty() || t[0] == '#' || t[0] == ';') continue;
      if (t.front() == '[') {
        std::string header = t;
        // An inline comment after blank space, as on any other line.
        for (std::size_t h = header.find('#'); h != std::string::npos; h = header.find('#', h + 1))
          if (header[h - 1] == ' ' || header[h - 1] == '\t') {
            header = trim(header.substr(0, h));
            break;
          }
        if (header.back() != ']') throw InputError(at + ": malformed section header");
        section = trim(header.substr(1, header.size() - 2));
        if (section.empty() ||
            section.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                std::string::npos)
          throw InputError(at + ": malformed section header '" + t +
                           "': a section name takes letters, digits and _");
        file.sections.insert(section);
        continue;
      }
      const auto eq = t.find('=');
      if (eq == std::string::npos) throw InputError(at + ": expected 'key = value', got '" + t + "'");
      const std::string name = trim(t.substr(0, eq));
      std::string value = trim(t.substr(eq + 1));
      // An inline comment, ` # ...` after blank space, ends the value (in every section alike); any other '#'
      // is refused: the INI parser would cut the value short there without a word.
      for (std::size_t h = value.find('#'); h != std::string::npos; h = value.find('#', h + 1))
        if (h > 0 && (value[h - 1] == ' ' || value[h - 1] == '\t')) {
          value = trim(value.substr(0, h));
          break;
        }
      if (value.find('#') != std::string::npos)
        throw InputError(at + ": key '" + (section.empty() ? "" : section + ".") + name + "': '#' starts a " +
                         "comment in a scenario file, so a value cannot hold it (got '" + value + "')");
      if (section.empty() && name == "include") {  // another scenario, read first, relative to this file
        if (!seen_here.empty()) throw InputError(at + ": include must come before any key");
        if (value.empty()) throw InputError(at + ": include: no file named (include = other.ini)");
        const auto target = std::filesystem::path(path).parent_path() / value;
        std::error_code inc_ec;
        if (!std::filesystem::exists(target, inc_ec))
          throw InputError(at + ": include: " + target.string() +
                           (inc_ec ? ": " + inc_ec.message() : " not found"));
        if (!std::filesystem::is_regular_file(target, inc_ec))
          throw InputError(at + ": include: " + target.string() + " is not a regular file (a scenario file)");
        const auto canonical = std::filesystem::weakly_canonical(target, inc_ec).string();
        for (const auto& f : chain)
          if (f == canonical)
            throw InputError(
                at + ": include: " + target.string() +
                (f == chain.back() ? " is this file itself" : " is already being read (a cycle)"));
        if (depth + 1 > 8)
          throw InputError(at + ": include: " + target.string() + ": includes nested deeper than 8");
        scan(target.string(), depth + 1);
        continue;
      }
      if (section == "arms") {  // not parameters: read here, applied per arm
        // An arm's name names HDF5 groups (/mechanisms/<arm>): no '/', not empty, not '.' or '..'.
        if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
          throw InputError(at + ": arm '" + name + "': an arm's name cannot be empty, '.', '..' or hold '/'");
        Arm arm{name, split_list(value, ';'), lineno, at};
        for (const auto& x : file.arms)
          if (x.name == arm.name) throw InputError(at + ": arm '" + arm.name + "' defined twice");
        file.arms.push_back(std::move(arm));
        continue;
      }
      // Read by Experiment, Calibration and Optimisation (experiment/experiment.h, calibration.h,
      // optimisation.h).
      if (section == "experiment" || section == "vary" || section == "calibration" || section == "priors" ||
          section == "targets" || section == "optimise" || section == "decisions" || section == "objectives" ||
          section == "constraints") {
        file.section_lines[section].push_back({name, value, lineno, path, at});
        continue;
      }
      if (section == "checks") {
        file.checks.push_back({name, value, lineno, at});
        continue;
      }
      if (section == "contrasts") {
        const auto pair = split_list(value);
        if (pair.size() != 2) throw InputError(at + ": contrast '" + name + "': expected 'name = arm_a, arm_b'");
        file.contrasts.push_back({name, pair[0], pair[1], lineno, at});
        continue;
      }
      const std::string key = (section.empty() ? "" : section + ".") + name;
      if (seen_here.count(key))
        throw InputError(at + ": key '" + key + "': given twice (first on line " + std::to_string(seen_here[key]) +
                         ")");
      seen_here[key] = lineno;
      key_lines[key] = at;
      values[key] = value;
    }
    chain.pop_back();
  }
};

}  // namespace

Scenario::Scenario() {
  params.declare(registry_);
  bind_mechanism_params(registry_, mechanisms);
}

// Binding sets every field to its default; the values are then copied into the fields just bound.
Scenario::Scenario(const Scenario& other) : Scenario() { *this = other; }

Scenario& Scenario::operator=(const Scenario& other) {
  params = other.params;  // field by field: the registry's pointers stay valid
  mechanisms = other.mechanisms;
  key_lines_ = other.key_lines_;
  return *this;
}

const Scenario& default_scenario() {
  static const Scenario defaults;
  return defaults;
}

std::vector<std::string> Scenario::mechanism_names() const { return split_list(params.run.mechanisms); }

std::string arms_text(const std::vector<Arm>& arms) {
  if (arms.empty()) return "";
  std::string text = "\n[arms]\n";
  for (const auto& a : arms) {
    text += a.name + " =";
    for (std::size_t i = 0; i < a.overrides.size(); ++i) text += (i ? "; " : " ") + a.overrides[i];
    text += "\n";
  }
  return text;
}

const std::vector<SectionLine>& ScenarioFile::lines(const std::string& section) const {
  static const std::vector<SectionLine> none;
  const auto it = section_lines.find(section);
  return it == section_lines.end() ? none : it->second;
}

ScenarioFile read_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  ScenarioFile file;
  file.path = path;
  IniReader reader{file, {}, {}, {}};
  reader.scan(path, 0);
  Scenario& s = file.base;
  s.key_lines_ = reader.key_lines;
  // Program_options reads the merged key = value lines and rejects unknown keys.
  std::stringstream text;
  for (const auto& [key, value] : reader.values) text << key << " = " << value << "\n";
  po::options_description desc;
  for (const auto& spec : s.registry_.specs()) desc.add_options()(spec.key.c_str(), po::value<std::string>());
  po::variables_map vm;
  auto where = [&](const std::string& key) {
    auto it = s.key_lines_.find(key);
    return it == s.key_lines_.end() ? path : it->second;
  };
  try {
    po::store(po::parse_config_file(text, desc, /*allow_unregistered=*/false), vm);
  } catch (const po::unknown_option& e) {
    const std::string key = e.get_option_name();
    throw InputError(where(key) + ": " + s.registry().unknown_key_text(key));
  } catch (const po::error& e) {
    throw InputError(path + ": " + e.what());
  }
  // Apply in file order so the first bad line is the one reported.
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& [key, value] : vm) order.emplace_back(s.key_lines_[key], key);
  std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
    auto split = [](const std::string& w) {
      const auto c = w.rfind(':');
      return std::pair(w.substr(0, c), std::stoi(w.substr(c + 1)));
    };
    return split(x.first) < split(y.first);
  });
  for (const auto& [at, key] : order) s.registry_.set(key, vm[key].as<std::string>(), at);
  s.apply_overrides(overrides);
  s.validate();
  for (const auto& c : file.contrasts)
    for (const auto& name : {c.a, c.b}) {
      bool found = false;
      for (const auto& a : file.arms) found |= a.name == name;
      if (!found) throw InputError(c.where + ": contrast '" + c.name + "': no arm named '" + name + "'");
    }
  return file;
}

void Scenario::apply_arm(const Arm& arm) {
  const std::string where = arm.where;
  for (const auto& kv : arm.overrides) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos)
      throw InputError(where + ": arm '" + arm.name + "': expected key=value, got '" + kv + "'");
    const std::string key = trim(kv.substr(0, eq));
    registry_.set(key, trim(kv.substr(eq + 1)), where);
    key_lines_[key] = where;
  }
  params.run.name = arm.name;
  validate();
}

void Scenario::set(const std::string& key, const std::string& value, const std::string& where) {
  registry_.set(key, value, where);
  key_lines_[key] = where;
}

void Scenario::apply_overrides(const std::vector<std::string>& overrides) {
  for (const auto& kv : overrides) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) throw InputError("command line: --set '" + kv + "': expected key=value");
    if (const std::string why = text_problem(kv); !why.empty())
      throw InputError("command line: --set '" + kv.substr(0, eq) + "': " + why);
    const std::string key = trim(kv.substr(0, eq));
    registry_.set(key, trim(kv.substr(eq + 1)), "command line");
    key_lines_[key] = "command line";  // a cross-parameter error then points here
  }
}

namespace {

// YYYY-MM-DD with a month's real days (leap years included), years 1 to 9999.
bool is_iso_date(const std::string& t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (t[i] < '0' || t[i] > '9') return false;
  const int y = std::stoi(t.substr(0, 4)), m = std::stoi(t.substr(5, 2)), d = std::stoi(t.substr(8, 2));
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

void Scenario::validate() const {
  auto where = [&](const std::string& key) {
    auto it = key_lines_.find(key);
    if (it == key_lines_.end()) return std::string("configuration");
    return it->second;
  };
  // A check over several keys names the one given last (the file line or "command line") among those set,
  // else the first: the message then points where the user can change something.
  auto where_any = [&](std::initializer_list<const char*> keys) {
    std::pair<std::string, std::string> best{where(*keys.begin()), *keys.begin()};
    for (const char* k : keys)
      if (key_lines_.count(k)) best = {where(k), k};
    return best;
  };
  // run.name is the arm's name where there are no [arms]: it names HDF5 groups like an arm's.
  const std::string& run_name = params.run.name;
  if (run_name.empty() || run_name.find('/') != std::string::npos || run_name == "." || run_name == "..")
    throw InputError(where("run.name") + ": key 'run.name': '" + run_name +
                     "': a run's name cannot be empty, '.', '..' or hold '/'");
  if (!is_iso_date(params.run.start_date))
    throw InputError(where("run.start_date") + ": key 'run.start_date': '" + params.run.start_date +
                     "' is not a calendar date YYYY-MM-DD");
  const auto known = known_mechanisms();
  const auto names = mechanism_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (names[i] == names[j])
        throw InputError(where("run.mechanisms") + ": key 'run.mechanisms': mechanism '" + names[i] +
                         "' named twice");
  for (const auto& m : mechanism_names()) {
    if (std::find(known.begin(), known.end(), m) == known.end())
      throw InputError(where("run.mechanisms") + ": key 'run.mechanisms': unknown mechanism '" + m +
                       "' (known: " + known_mechanisms_text() + ")");
  }
  // Ranges given as a least and a most (checked whether or not the mechanism is on: a later arm may switch
  // it on).
  const auto& jh = mechanisms.joint_handling;
  for (const auto& [lo, hi, a, b] :
       {std::tuple{jh.list_min, jh.list_max, "joint_handling.list_min", "joint_handling.list_max"},
        std::tuple{jh.committee_min, jh.committee_max, "joint_handling.committee_min",
                   "joint_handling.committee_max"}})
    if (lo > hi) {
      const auto [at, key] = where_any({a, b});
      throw InputError(at + ": key '" + key + "': " + a + " (" + std::to_string(lo) + ") exceeds " + b +
                       " (" + std::to_string(hi) + ")");
    }
  const auto& d = params.district;
  if (d.grids_per_community > d.residents_per_community) {
    const auto [at, key] = where_any({"district.grids_per_community", "district.residents_per_community"});
    throw InputError(at + ": key '" + key + "': district.grids_per_community (" +
                     format_real(d.grids_per_community) + ") exceeds district.residents_per_community (" +
                     format_real(d.residents_per_community) + "): a grid needs residents");
  }
  if (static_cast<double>(d.communities) * d.residents_per_community > 2.0e9) {
    const auto [at, key] = where_any({"district.communities", "district.residents_per_community"});
    throw InputError(at + ": key '" + key + "': district.communities x district.residents_per_community is " +
                     format_real(static_cast<double>(d.communities) * d.residents_per_community) +
                     " residents; govsim holds at most 2e9 (resident indices are 32-bit)");
  }
  if (d.share_young + d.share_elderly > 1.0) {
    const auto [at, key] = where_any({"district.share_young", "district.share_elderly"});
    throw InputError(at + ": key '" + key + "': district.share_young + district.share_elderly exceeds 1 (" +
                     format_real(d.share_young) + " + " + format_real(d.share_elderly) + ")");
  }
  // The type shares must sum to 1, and no type may get young and elderly shares above 1 at the expected mix.
  auto set_where = [&](const std::string& key) {
    // An error about the four shares names the first of them the scenario sets.
    if (key == "district.type_share_old")
      for (const char* k : {"district.type_share_old", "district.type_share_commercial",
                            "district.type_share_work_unit", "district.type_share_resettled"})
        if (key_lines_.count(k)) return where(k);
    // An error about a type's weights: the weight, or the district shares it is scaled to.
    const auto type = key.find("_elderly_weight");
    if (type != std::string::npos && !key_lines_.count(key))
      return where_any({key.c_str(), (key.substr(0, type) + "_young_weight").c_str(), "district.share_young",
                        "district.share_elderly"})
          .first;
    return where(key);
  };
  std::array<double, kCommunityTypes> expected{};
  const auto tw = type_weights(d);
  for (int t = 0; t < kCommunityTypes; ++t) expected[t] = tw[t].share;
  check_types(d, expected, set_where);
  const auto& q = params.demand;
  const double sums[3] = {q.household_p_community + q.household_p_street + q.household_p_department,
                          q.shared_p_community + q.shared_p_street + q.shared_p_department,
                          q.public_p_community + q.public_p_street + q.public_p_department};
  const char* kinds[3] = {"household", "shared", "public"};
  for (int k = 0; k < 3; ++k)
    if (sums[k] > 1.0) {
      const std::string kind = std::string("demand.") + kinds[k];
      const std::string a = kind + "_p_community", b = kind + "_p_street", c = kind + "_p_department";
      const auto [at, key] = where_any({c.c_str(), a.c_str(), b.c_str()});
      throw InputError(at + ": key '" + key + "': " + a + " + " + b + " + " + c + " exceed 1 (" +
                       format_real(sums[k]) + ")");
    }
}

}  // namespace govsim
