// The plug-in contract: a mechanism acts in the phases it declares (after the core's work of each), sees
// the day only through DayApi (model/day_api.h), and describes its configuration into the output.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/phase.h"

namespace govsim {

class DayApi;

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

class Mechanism {
 public:
  virtual ~Mechanism() = default;
  virtual std::string name() const = 0;
  // The phases in which act() is called, after the core's work of that phase (each class's kPhases).
  virtual PhaseMask phases() const = 0;
  // Before the first day: size state, set levers, declare metrics.
  virtual void initialize(DayApi& day) { (void)day; }
  virtual void act(Phase phase, DayApi& day) = 0;
  virtual void finalize(DayApi& day) { (void)day; }
  virtual void describe(AttributeSink& out) const = 0;
  // Run-level outcomes (e.g. a shock's peak backlog), written as /runs/<name> columns; after finalize.
  virtual void outcomes(std::vector<std::pair<std::string, double>>& out) const { (void)out; }
};

}  // namespace govsim
