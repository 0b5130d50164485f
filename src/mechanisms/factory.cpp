#include "mechanisms/factory.h"

#include <stdexcept>

#include "params/config.h"

namespace govsim {

const char* phase_name(Phase p) {
  static const char* names[] = {"demand",     "reporting",  "assignment", "handling",
                                "escalation", "mechanisms", "opinion",    "recording"};
  return names[static_cast<int>(p)];
}

const std::vector<MechanismEntry>& mechanism_entries() {
  // The baseline escalation ladder is the core model, not an entry. Within a phase, mechanisms act in the
  // order in which run.mechanisms names them.
  static const std::vector<MechanismEntry> entries = {};
  return entries;
}

std::vector<std::string> known_mechanisms() {
  std::vector<std::string> out;
  for (const auto& e : mechanism_entries()) out.push_back(e.name);
  return out;
}

std::string known_mechanisms_text() {
  std::string s;
  for (const auto& n : known_mechanisms()) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none yet" : s;
}

std::unique_ptr<Mechanism> Mechanism::create(const std::string& name, const Config& cfg) {
  for (const auto& e : mechanism_entries())
    if (e.name == name) return e.create(cfg);
  throw std::invalid_argument("Unknown mechanism '" + name + "' (known: " + known_mechanisms_text() + ")");
}

}  // namespace govsim
