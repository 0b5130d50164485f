// The mechanism interface: a mechanism subscribes to named phases of the day, acts there after the core's
// own work for that phase, and describes its configuration into the output. Mechanisms are built by the
// explicit factory in factory.cpp (no self-registering statics that a linker could drop).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace govsim {

// The fixed order of a day. Printed by `govsim describe` and documented in docs/ODD.md.
enum class Phase : std::uint8_t {
  kDemand = 0,
  kReporting,
  kAssignment,
  kHandling,
  kEscalation,
  kMechanisms,
  kOpinion,
  kRecording,
};
inline constexpr int kPhases = 8;
const char* phase_name(Phase p);
using PhaseMask = std::uint32_t;
constexpr PhaseMask phase_bit(Phase p) { return 1u << static_cast<unsigned>(p); }

// Where a mechanism writes its own configuration (an HDF5 group's attributes, or a text listing).
class AttributeSink {
 public:
  virtual ~AttributeSink() = default;
  virtual void text(const std::string& key, const std::string& value) = 0;
  virtual void number(const std::string& key, double value) = 0;
};

inline void describe_value(AttributeSink& out, const std::string& key, const std::string& v) { out.text(key, v); }
template <class T>
void describe_value(AttributeSink& out, const std::string& key, T v) {
  out.number(key, static_cast<double>(v));
}

class Simulation;

class Mechanism {
 public:
  virtual ~Mechanism() = default;
  virtual std::string name() const = 0;
  // The phases in which act() is called, after the core's work of that phase.
  virtual PhaseMask phases() const = 0;
  virtual void initialize(Simulation& sim) { (void)sim; }
  virtual void act(Phase phase, Simulation& sim) = 0;
  virtual void finalize(Simulation& sim) { (void)sim; }
  virtual void describe(AttributeSink& out) const = 0;
  // Run-level outcomes (e.g. a shock's peak backlog), written as /runs/<name> columns; after finalize.
  virtual void outcomes(std::vector<std::pair<std::string, double>>& out) const { (void)out; }
};

}  // namespace govsim
