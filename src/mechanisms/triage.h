// Three-affairs triage (三会解三事 / 三事分流), seed 001: Jiangjin (Chongqing) sorts community affairs into
// public affairs (公事), handled by government; household affairs (家事), handled by residents themselves;
// and shared affairs (共事), negotiated jointly in consultation councils (Runzhou's red property: 2,700+
// consultations led, the solution of 1,100+ problems coordinated). Every report is sorted as it reaches the
// grid, in the reporting phase or, for the demands visits find, right after the handling phase: household
// affairs within the grid's remit go to residents and Party members (settled after a few days, or handed back
// to the grid); shared affairs wait for the community's consultation council, which meets only with a quorum
// and settles a share of them (the rest go to the community level); public affairs go straight to the street
// (or a department), skipping the grid's and the community's assessments. A misrouted case spends a delay in
// a wrong channel and then enters its right one as a correctly sorted case would (it never skips its
// channel), so misrouting only costs time.
#pragma once

#include <cstdint>
#include <vector>

#include "model/cases.h"
#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_TRIAGE_PARAMS(X)                                                                              \
  X(self_days, Int, 2, 1, 365, "days", "assumption",                                                         \
    "Days residents and members take over a household affair before it is settled or handed back")           \
  X(self_success, Real, 0.7, 0, 1, "probability", "assumption",                                              \
    "Chance that residents and members settle a household affair themselves")                                \
  X(council_interval_days, Int, 14, 1, 3650, "days",                                                         \
    "assumption (seed 001: consultation councils, no cadence given)",                                        \
    "Days between meetings of a community's consultation council")                                           \
  X(council_invitees, Int, 15, 0, 1000, "residents", "assumption", "Residents invited to a council meeting") \
  X(council_quorum, Int, 7, 0, 1000, "residents", "assumption",                                              \
    "Attendees a council meeting needs to take place")                                                       \
  X(settle_share, Real, 0.41, 0, 1, "probability",                                                           \
    "derived from seed 001 (Runzhou red property: 2,700+ consultations led, 1,100+ problems' solution "      \
    "coordinated; 0.41 problems per consultation); a chance per case is our reading",                        \
    "Chance that a council meeting settles a shared affair on its agenda")                                   \
  X(misroute_rate, Real, 0.1, 0, 1, "probability", "assumption",                                             \
    "Chance that a triaged case is first sent to a wrong channel")                                           \
  X(misroute_delay_days, Int, 3, 0, 365, "days", "assumption",                                               \
    "Days a misrouted case spends in the wrong channel before it enters its right one")                      \
  X(public_scope, Str, "hard", 0, 0, "-",                                                                    \
    "seed 001: public affairs (公事) are the government's; our reading",                                     \
    "Public affairs sent to government: all, or only those beyond the community's remit (hard)")

struct TriageParams {
  GOVSIM_TRIAGE_PARAMS(GOVSIM_DECLARE_FIELD)
};

class Triage : public Mechanism {
 public:
  static constexpr const char* kName = "triage";
  enum Channel : std::uint8_t { kResidents = 0, kCouncil = 1, kGovernment = 2, kNone = 3 };
  explicit Triage(const TriageParams& p);
  std::string name() const override { return kName; }
  // Reporting: the day's reports, returns and councils; handling: the demands today's visits found.
  static constexpr PhaseMask kPhases = phase_mask(Phase::kReporting, Phase::kHandling);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;
  void outcomes(std::vector<std::pair<std::string, double>>& out) const override;

  // The channel a case belongs to by its kind and required level (kNone: stays on the ladder untriaged).
  Channel channel_of(std::uint8_t kind, std::uint8_t required) const;
  // Mean participation propensity of each community's residents (computed once in initialize).
  const std::vector<double>& participation() const { return participation_; }

 private:
  struct Held {  // a case held by triage
    CaseHandle handle;
    std::int32_t due;  // misrouted: day it enters its channel; residents: day it comes back; council: day put
                       // on the agenda
    bool success;      // residents settle it / the council settles it (drawn when it is sorted)
    Channel right;     // the channel it belongs to
  };
  struct Flows {  // per community, today
    double triaged = 0, residents = 0, council = 0, government = 0, misrouted = 0, misroute_redirected = 0;
    double self_resolved = 0, self_returned = 0, meetings = 0, meetings_failed = 0, settled = 0,
           council_returned = 0;
    double participants_young = 0, participants_working = 0, participants_elderly = 0;  // at meetings held
    double misrouted_to[3] = {0, 0, 0};  // by the wrong channel drawn
  };
  struct Totals {  // the run's totals, for outcomes()
    double triaged = 0, misrouted = 0, self_resolved = 0, self_returned = 0, meetings = 0, meetings_failed = 0,
           settled = 0, council_returned = 0;
    double misrouted_to[3] = {0, 0, 0};  // by the wrong channel drawn
  };
  void sort_reports(DayApi& api, std::uint32_t c);
  // Puts a case into its right channel today; `held`: it is held already (back from a wrong channel).
  void enter(DayApi& api, std::uint32_t c, Held h, bool held);
  void come_back(DayApi& api, std::uint32_t c);
  void council(DayApi& api, std::uint32_t c);
  // Routes the public affairs entered today to the street or a department, in community order.
  void route_to_government(DayApi& api);

  TriageParams p_;
  bool public_all_ = true;  // public_scope: all (true) or hard (false)
  std::vector<double> participation_;                   // per community
  std::vector<std::vector<Held>> with_residents_;       // per community
  std::vector<std::vector<Held>> on_agenda_;            // per community: waiting for the council
  std::vector<std::vector<Held>> misrouted_;            // per community: in a wrong channel
  std::vector<Flows> flows_;
  std::vector<std::size_t> sorted_;  // per community: entries of today's reports sorted so far
  // Per community: public affairs entered today, routed after the communities' parallel work because the
  // street's and departments' queues are shared (`held`: back from a wrong channel).
  struct ToGovernment {
    CaseHandle handle;
    bool held;
  };
  std::vector<std::vector<ToGovernment>> to_government_;
  Totals totals_;
};

}  // namespace govsim
