// The explicit list of mechanisms: each entry declares its parameters (under its own INI section) and
// builds the mechanism from a resolved configuration. Adding a mechanism means adding an entry here.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/mechanism.h"

namespace govsim {

class Config;
class ParamRegistry;

struct MechanismEntry {
  std::string name;
  std::string summary;
  std::function<void(Config&)> declare;  // binds the mechanism's parameters in cfg's registry
  std::function<std::unique_ptr<Mechanism>(const Config&)> create;
};

const std::vector<MechanismEntry>& mechanism_entries();
std::vector<std::string> known_mechanisms();
std::string known_mechanisms_text();  // "a, b, c" or "none yet"
// Builds the named mechanism; throws std::invalid_argument "Unknown mechanism 'x' (known: ...)".
std::unique_ptr<Mechanism> create_mechanism(const std::string& name, const Config& cfg);

}  // namespace govsim
