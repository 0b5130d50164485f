// Joint handling of hard problems (难题联办), Fuyang's community "big Party committee" (seed 000):
// joint meetings (monthly by default) list each community's oldest open hard problems, assign each to a lead co-building
// unit and co-handlers by capability, engagement and remaining budget (district leaders lead some items,
// which makes refusals rarer), publish a deadline, and follow the work. A met deadline raises trust and
// awareness among the residents who hear of it; a missed one costs more. Units' engagement decays with
// every one-way ask and recovers with reciprocal projects and recognition (seed 004).
#pragma once

#include <cstdint>
#include <vector>

#include "model/cases.h"
#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_JOINT_PARAMS(X)                                                                               \
  X(meeting_interval_days, Int, 30, 1, 3650, "days", "seed 000: joint meeting once a month",                 \
    "Days between joint meetings of the big Party committee")                                                \
  X(listing, Str, "campaign", 0, 0, "-", "seed 000: a demand list per community, ~100 problems a year",      \
    "When the demand list is compiled: at the first meeting of each year's campaign, or at every meeting")   \
  X(list_min, Int, 3, 0, 1000, "items/community/meeting", "seed 000: 3-5 problems per community",            \
    "Fewest hard problems listed per community when the list is compiled (if that many are open)")           \
  X(list_max, Int, 5, 0, 1000, "items/community/meeting", "seed 000: 3-5 problems per community",            \
    "Most hard problems listed per community when the list is compiled")                                     \
  X(committee_min, Int, 7, 1, 100, "members", "seed 000: 7-15 members", "Fewest committee members")          \
  X(committee_max, Int, 15, 1, 100, "members", "seed 000: 7-15 members", "Most committee members")           \
  X(leader_items_min, Int, 2, 0, 100, "items/leader/meeting", "seed 000: each leader leads 2-3 problems",    \
    "Fewest items a linked district leader leads per meeting")                                               \
  X(leader_items_max, Int, 3, 0, 100, "items/leader/meeting", "seed 000: each leader leads 2-3 problems",    \
    "Most items a linked district leader leads per meeting")                                                 \
  X(unit_items_max, Int, 2, 1, 100, "items/unit/meeting", "seed 000: each co-building organ takes 1-2",      \
    "Most new items one unit takes on per meeting")                                                          \
  X(cohandlers, Int, 1, 0, 3, "units/item", "assumption", "Co-handling units per item besides the lead")     \
  X(refusal_scale, Real, 1.0, 0, 1, "probability", "assumption",                                             \
    "A unit asked to take an item refuses with probability refusal_scale * (1 - engagement)")                \
  X(leader_refusal_factor, Real, 0.3, 0, 1, "x", "assumption (seed 000: leaders' authority)",                \
    "Refusal probability multiplier when a district leader leads the item")                                  \
  X(work_factor, Real, 1.0, 0.01, 100, "x", "assumption",                                                    \
    "Staff-hours a listed item needs, as a multiple of the work it needs at its required level")             \
  X(deadline_days, Int, 100, 1, 3650, "days", "seed 000: 百日解百难, a hundred days",                        \
    "Published deadline after listing")                                                                      \
  X(campaign_start_day, Int, 120, 0, 364, "day of year", "assumption (seed 000: May-November 2019)",         \
    "First day of the yearly campaign window (百日解百难)")                                                  \
  X(campaign_days, Int, 100, 0, 365, "days", "seed 000: about 100 days a year",                              \
    "Length of the campaign window")                                                                         \
  X(campaign_multiplier, Real, 2.0, 1, 100, "x", "assumption",                                               \
    "Units' daily staff time on listed items during the campaign, relative to outside it")                   \
  X(publicity_reach, Real, 0.05, 0, 1, "share of residents", "assumption",                                   \
    "Share of a community's residents who hear that a published deadline was met or missed")                 \
  X(trust_gain_met, Real, 0.05, 0, 1, "share of gap", "assumption", "Trust gain of a hearer, deadline met")  \
  X(trust_loss_missed, Real, 0.08, 0, 1, "share", "assumption (missed costs more than met gains)",           \
    "Trust loss of a hearer, deadline missed")                                                               \
  X(satisfaction_gain_met, Real, 0.03, 0, 1, "share of gap", "assumption",                                   \
    "Satisfaction gain, deadline met")                                                                       \
  X(satisfaction_loss_missed, Real, 0.05, 0, 1, "share", "assumption", "Satisfaction loss, deadline missed") \
  X(ask_cost, Real, 0.03, 0, 1, "engagement/ask", "assumption (seed 004: units asked much, served little)",  \
    "Engagement a unit loses each time it is asked to take an item")                                         \
  X(reciprocity, Real, 0.5, 0, 1, "0-1", "assumption (seed 004: reciprocal projects as the remedy)",         \
    "Level of reciprocal projects that serve the units too")                                                 \
  X(recovery_rate, Real, 0.01, 0, 1, "1/day", "assumption",                                                  \
    "Daily recovery of engagement towards 1, times reciprocity")                                             \
  X(recognition_gain, Real, 0.03, 0, 1, "engagement/item", "assumption",                                     \
    "Engagement gained by a unit for each item it helped close")                                             \
  X(staff_day_hours, Real, 8, 0.5, 24, "hours/staff-day", "assumption",                                      \
    "Hours in a co-building unit's staff-day: turns district.unit_budget_staff_days into hours, and spans "  \
    "the day over which an item closes")                                                                     \
  X(meeting_hours, Real, 2, 0, 24, "hours/member/meeting",                                                   \
    "assumption (seed 000: a monthly joint meeting, no length given)",                                       \
    "Cost accounting only: hours each committee member spends at a joint meeting (cadres' hours)")           \
  X(leader_hours_per_item, Real, 4, 0, 1000, "hours/item",                                                   \
    "assumption (seed 000: each leader leads 2-3 problems)",                                                 \
    "Cost accounting only: a district leader's hours on an item they lead, counted when it is assigned")

struct JointHandlingParams {
  GOVSIM_JOINT_PARAMS(GOVSIM_DECLARE_FIELD)
};

class JointHandling : public Mechanism {
 public:
  static constexpr const char* kName = "joint_handling";
  explicit JointHandling(const JointHandlingParams& p) : p_(p) {}
  std::string name() const override { return kName; }
  static constexpr PhaseMask kPhases = phase_mask(Phase::kMechanisms, Phase::kRecording);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void finalize(DayApi& api) override;
  void describe(AttributeSink& out) const override;
  void outcomes(std::vector<std::pair<std::string, double>>& out) const override;

  struct Item {
    CaseHandle handle;  // the held case
    std::int32_t day_listed;  // the meeting that put it on the demand list
    std::int32_t deadline;
    std::int32_t units[4];  // lead first, then co-handlers; -1 when empty
    float work_left;
    bool leader;
    bool missed;
  };
  const std::vector<Item>& items() const { return items_; }

 private:
  struct Flows {  // per community, today
    double listed = 0, assigned = 0, refused = 0, closed = 0, met = 0, missed = 0, unit_hours = 0, returned = 0;
    double cadre_hours = 0;
  };
  void meeting(DayApi& api);
  void work(DayApi& api);
  void publicise(DayApi& api, std::uint32_t c, bool met, std::uint32_t salt);

  JointHandlingParams p_;
  std::vector<Item> items_;
  std::vector<float> budget_left_;  // staff-hours left this year, per unit
  std::vector<int> active_items_;   // per unit
  std::vector<std::vector<std::uint32_t>> units_of_;  // per community
  std::vector<Flows> flows_;
  std::vector<double> open_items_;  // per community, stock
  std::vector<int> committee_size_;
  struct Pending {
    CaseHandle handle;
    std::int32_t day_listed;
  };
  std::vector<std::vector<Pending>> pending_;  // per community: listed problems waiting for a unit
  // Run totals for the seed's headline: listed problems closed within six months and by their deadline,
  // over the items listed early enough for the run to see that horizon.
  struct Totals {
    double listed = 0, cohort_6m = 0, closed_6m = 0, cohort_deadline = 0, closed_by_deadline = 0, closed = 0;
  } totals_;
  int last_listing_year_ = -1;
};

}  // namespace govsim
