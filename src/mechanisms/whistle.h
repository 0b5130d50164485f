// Whistle-and-report (街乡吹哨、部门报到), Beijing's practice cited in seed 002: when public affairs pile up in a
// street's communities, the street "blows the whistle" and the district departments "report" to the street,
// working those affairs on the spot instead of waiting for them to climb the ladder. Here a street whose
// communities have `threshold` or more public affairs queued at the street or department level summons the
// departments; their team reports after `report_delay_days` and works the summoned cases at the street with
// `summoned_hours` staff-hours a day, taken from the departments' own capacity, until all are closed. The
// department hours are the cost; the outcome is the resolution time of public affairs.
#pragma once

#include <cstdint>
#include <vector>

#include "model/mechanism.h"
#include "model/cases.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_WHISTLE_PARAMS(X)                                                                              \
  X(threshold, Int, 5, 1, 1000000, "cases", "assumption (seed 002: 街乡吹哨、部门报到, no threshold given)",   \
    "Public affairs of a street's communities queued at the street or department level at which the street " \
    "summons the departments")                                                                              \
  X(report_delay_days, Int, 1, 0, 365, "days", "assumption", "Days until the summoned departments report")   \
  X(summoned_hours, Real, 16, 0, 10000, "staff-hours/day", "assumption",                                     \
    "Department staff-hours per day a summons brings to the street (taken from the departments' capacity)")

struct WhistleParams {
  GOVSIM_WHISTLE_PARAMS(GOVSIM_DECLARE_FIELD)
};

class Whistle : public Mechanism {
 public:
  static constexpr const char* kName = "whistle";
  explicit Whistle(const WhistleParams& p) : p_(p) {}
  std::string name() const override { return kName; }
  static constexpr PhaseMask kPhases = phase_mask(Phase::kEscalation, Phase::kMechanisms);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;
  void outcomes(std::vector<std::pair<std::string, double>>& out) const override;

 private:
  using Target = CaseHandle;  // a summoned case
  struct InHand {  // held by the team, with the work it still needs
    Target t;
    double work_left;
  };
  struct Summons {  // per street; at most one at a time
    bool active = false;
    std::int32_t report_day = 0;
    std::vector<Target> list;  // the public affairs counted when the whistle blew, oldest report first
    std::size_t next = 0;      // first entry of `list` not yet taken
    std::vector<InHand> in_hand;
  };
  struct Flows {  // district, today
    double summons = 0, department_hours = 0, taken = 0, resolved = 0;
  };
  std::vector<std::vector<Target>> candidates(const DayApi& api) const;
  double work(DayApi& api, Summons& m, double hours);
  bool listed_and_queued(const DayApi& api, const Target& t) const;

  WhistleParams p_;
  std::vector<Summons> summons_;  // per street
  double charged_ = 0;            // department hours taken off the departments' capacity for tomorrow
  Flows flows_;
  std::vector<double> public_hours_, public_resolved_;  // per community, today
  double run_summons_ = 0, run_hours_ = 0, run_taken_ = 0, run_resolved_ = 0, run_public_hours_ = 0,
         run_public_resolved_ = 0;
};

}  // namespace govsim
