// The day's phases: their fixed order, names and what the core does in each. The schedule is data: each
// mechanism declares the phases it acts in (its kPhases mask), and `govsim describe` prints the table.
#pragma once

#include <cstdint>

namespace govsim {

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

struct PhaseInfo {
  Phase phase;
  const char* name;
  const char* core;  // what the core does in the phase, before the mechanisms that act there
};

// In the order of the day.
inline constexpr PhaseInfo kSchedule[kPhases] = {
    {Phase::kDemand, "demand", "demands arise per grid and kind (Poisson in households)"},
    {Phase::kReporting, "reporting", "each demand is reported or waits unreported; unreported ones lapse"},
    {Phase::kAssignment, "assignment", "administrative tasks pre-empt grid workers' hours"},
    {Phase::kHandling, "handling", "each level works its FIFO queue; grid visits find unreported demands"},
    {Phase::kEscalation, "escalation", "cases passed up join the next queue after a delay; old cases abandoned"},
    {Phase::kMechanisms, "mechanisms", "(none: mechanisms act on the day's state)"},
    {Phase::kOpinion, "opinion", "closed demands move satisfaction and trust, and spread to neighbours"},
    {Phase::kRecording, "recording", "tallies reduced in community order and recorded"},
};

inline const char* phase_name(Phase p) { return kSchedule[static_cast<int>(p)].name; }

using PhaseMask = std::uint32_t;
constexpr PhaseMask phase_bit(Phase p) { return 1u << static_cast<unsigned>(p); }
template <class... P>
constexpr PhaseMask phase_mask(P... p) {
  return (PhaseMask{0} | ... | phase_bit(p));
}

}  // namespace govsim
