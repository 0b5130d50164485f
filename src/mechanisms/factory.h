// The explicit list of mechanisms: each entry binds its parameter block (under its own INI section) into a
// registry and builds the mechanism from that block. Adding a mechanism means adding a member to
// MechanismParams and an entry to the list in factory.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mechanisms/digital_platform.h"
#include "mechanisms/downshift.h"
#include "mechanisms/dual_registration.h"
#include "mechanisms/joint_handling.h"
#include "mechanisms/property_tiers.h"
#include "mechanisms/shock.h"
#include "mechanisms/social_workers.h"
#include "mechanisms/triage.h"
#include "mechanisms/visits.h"
#include "mechanisms/whistle.h"
#include "model/mechanism.h"
#include "params/registry.h"

namespace govsim {

// Every mechanism's parameter block, one member per entry, named as its INI section; a plain value.
// The fields are set to their declared defaults when bound (bind_mechanism_params()).
struct MechanismParams {
  ShockParams shock;
  PropertyTiersParams property_tiers;
  DigitalPlatformParams digital_platform;
  SocialWorkersParams social_workers;
  DownshiftParams downshift;
  VisitsParams visits;
  DualRegistrationParams dual_registration;
  TriageParams triage;
  JointHandlingParams joint_handling;
  WhistleParams whistle;
};

struct MechanismEntry {
  std::string name;
  PhaseMask phases;  // the phases it acts in (the class's kPhases): the schedule as data
  std::string summary;
  // Registers the mechanism's parameters under its section in `reg`, bound to (and set to the defaults of) its
  // member of `m`.
  void (*bind)(ParamRegistry& reg, MechanismParams& m);
  std::unique_ptr<Mechanism> (*create)(const MechanismParams& m);
};

// In the order mechanisms act within a phase.
const std::vector<MechanismEntry>& mechanism_entries();
// Every entry's bind(), in list order.
void bind_mechanism_params(ParamRegistry& reg, MechanismParams& m);
std::vector<std::string> known_mechanisms();
// The first day on which the named mechanism does anything: a shock's start_day, joint handling's first
// meeting; 0 for the others.
std::int64_t mechanism_first_day(const std::string& name, const MechanismParams& m);
// A later stage before which much of a mechanism cannot act: its first day and what it is, or day -1 for
// none (joint handling's first list of hard problems, compiled at the first meeting of the campaign window).
struct MechanismStage {
  std::int64_t day = -1;
  std::string what;
};
MechanismStage mechanism_late_stage(const std::string& name, const MechanismParams& m);
std::string known_mechanisms_text();  // "a, b, c" or "none yet"
// Builds the named mechanism; throws std::invalid_argument "Unknown mechanism 'x' (known: ...)".
std::unique_ptr<Mechanism> create_mechanism(const std::string& name, const MechanismParams& m);

}  // namespace govsim
