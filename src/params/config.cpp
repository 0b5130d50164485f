#include "params/config.h"

#include <boost/program_options.hpp>

#include <fstream>
#include <sstream>

#include "mechanisms/factory.h"

namespace po = boost::program_options;

namespace govsim {

namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

}  // namespace

std::vector<std::string> split_list(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, sep)) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Config::Config() {
  params.declare(registry_);
  for (const auto& e : mechanism_entries()) e.declare(*this);
}

std::vector<std::string> Config::mechanism_names() const { return split_list(params.run.mechanisms); }

void Config::load(const std::string& path, const std::vector<std::string>& overrides) {
  source_file_ = path;
  std::ifstream file(path);
  if (!file) throw InputError(path + ": cannot open scenario file");

  // Our own pass gives each key its line (Program_options does not report lines) and catches lines that
  // are neither a section, a key = value pair nor a comment.
  std::string line;
  std::string section;
  int lineno = 0;
  std::stringstream text;
  while (std::getline(file, line)) {
    ++lineno;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') {
      if (t.back() != ']') throw InputError(path + ":" + std::to_string(lineno) + ": malformed section header");
      section = trim(t.substr(1, t.size() - 2));
      if (section != "arms" && section != "contrasts" && section != "checks") text << line << '\n';
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos)
      throw InputError(path + ":" + std::to_string(lineno) + ": expected 'key = value', got '" + t + "'");
    if (section == "arms") {  // not parameters: read here, applied per arm
      Arm arm{trim(t.substr(0, eq)), split_list(t.substr(eq + 1), ';'), lineno};
      for (const auto& a : arms_)
        if (a.name == arm.name)
          throw InputError(path + ":" + std::to_string(lineno) + ": arm '" + arm.name + "' defined twice");
      arms_.push_back(std::move(arm));
      continue;
    }
    if (section == "checks") {
      checks_.push_back({trim(t.substr(0, eq)), trim(t.substr(eq + 1)), lineno});
      continue;
    }
    if (section == "contrasts") {
      const auto pair = split_list(t.substr(eq + 1));
      if (pair.size() != 2)
        throw InputError(path + ":" + std::to_string(lineno) + ": contrast '" + trim(t.substr(0, eq)) +
                         "': expected 'name = arm_a, arm_b'");
      contrasts_.push_back({trim(t.substr(0, eq)), pair[0], pair[1], lineno});
      continue;
    }
    text << line << '\n';
    const std::string key = (section.empty() ? "" : section + ".") + trim(t.substr(0, eq));
    if (key_lines_.count(key))
      throw InputError(path + ":" + std::to_string(lineno) + ": key '" + key + "': given twice (first on line " +
                       std::to_string(key_lines_[key]) + ")");
    key_lines_[key] = lineno;
  }

  po::options_description desc;
  for (const auto& s : registry_.specs()) desc.add_options()(s.key.c_str(), po::value<std::string>());
  po::variables_map vm;
  auto where = [&](const std::string& key) {
    auto it = key_lines_.find(key);
    return path + ":" + (it == key_lines_.end() ? std::string("?") : std::to_string(it->second));
  };
  try {
    po::store(po::parse_config_file(text, desc, /*allow_unregistered=*/false), vm);
  } catch (const po::unknown_option& e) {
    const std::string key = e.get_option_name();
    throw InputError(where(key) + ": unknown key '" + key + "' (govsim describe lists the known keys)");
  } catch (const po::error& e) {
    throw InputError(path + ": " + e.what());
  }
  // Apply in file order so the first bad line is the one reported.
  std::vector<std::pair<int, std::string>> order;
  for (const auto& [key, value] : vm) order.emplace_back(key_lines_[key], key);
  std::sort(order.begin(), order.end());
  for (const auto& [ln, key] : order)
    registry_.set(key, vm[key].as<std::string>(), path + ":" + std::to_string(ln));
  apply_overrides(overrides);
  validate();
  for (const auto& c : contrasts_)
    for (const auto& name : {c.a, c.b}) {
      bool found = false;
      for (const auto& a : arms_) found |= a.name == name;
      if (!found)
        throw InputError(path + ":" + std::to_string(c.line) + ": contrast '" + c.name + "': no arm named '" +
                         name + "'");
    }
}

void Config::apply_arm(const Arm& arm) {
  const std::string where = source_file_ + ":" + std::to_string(arm.line);
  for (const auto& kv : arm.overrides) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos)
      throw InputError(where + ": arm '" + arm.name + "': expected key=value, got '" + kv + "'");
    const std::string key = trim(kv.substr(0, eq));
    registry_.set(key, trim(kv.substr(eq + 1)), where);
    key_lines_[key] = arm.line;
  }
  params.run.name = arm.name;
  validate();
}

void Config::apply_overrides(const std::vector<std::string>& overrides) {
  for (const auto& kv : overrides) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos)
      throw InputError("command line: --set '" + kv + "': expected key=value");
    registry_.set(trim(kv.substr(0, eq)), trim(kv.substr(eq + 1)), "command line");
  }
}

void Config::validate() const {
  auto where = [&](const std::string& key) {
    auto it = key_lines_.find(key);
    if (it == key_lines_.end()) return std::string("configuration");
    return source_file_ + ":" + std::to_string(it->second);
  };
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
  const auto& d = params.district;
  if (d.share_young + d.share_elderly > 1.0)
    throw InputError(where("district.share_elderly") +
                     ": key 'district.share_elderly': share_young + share_elderly exceeds 1");
  const auto& q = params.demand;
  const double sums[3] = {q.household_p_community + q.household_p_street + q.household_p_department,
                          q.shared_p_community + q.shared_p_street + q.shared_p_department,
                          q.public_p_community + q.public_p_street + q.public_p_department};
  const char* keys[3] = {"demand.household_p_department", "demand.shared_p_department",
                         "demand.public_p_department"};
  for (int k = 0; k < 3; ++k)
    if (sums[k] > 1.0)
      throw InputError(where(keys[k]) + ": key '" + keys[k] + "': level probabilities of the kind exceed 1");
}

}  // namespace govsim
