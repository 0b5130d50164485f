// Property service tiers and "red property" (红色物业) in old neighbourhoods, Erdao district (seed 002): old,
// scattered estates without property management (老旧散弃小区) get a property service of one of three tiers,
// standard / basic / guaranteed (分类提供标准型、基本型、保障型差异服务); better service means fewer shared
// affairs (共事) for the residents to raise. Property and community Party committees cross-appoint their
// members (双向进入、交叉任职, seed 002; red property also in seed 001), so the property company takes on part
// of the shared affairs at grid level and resolves them itself, off the grid workers' queue. A shared affair
// that the service prevents pleases its resident like one resolved in time (our reading; the core's opinion
// rule moves satisfaction only when a demand closes). The fee of each tier is the mechanism's cost.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "model/cases.h"
#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_PROPERTY_PARAMS(X)                                                                            \
  X(tier, Str, "basic", 0, 0, "-", "seed 002: standard / basic / guaranteed service (标准型、基本型、保障型)",  \
    "Service tier of every old-neighbourhood grid (standard, basic, guaranteed), or mixed: drawn per grid")  \
  X(share_standard, Real, 0.3, 0, 1, "share of old grids", "assumption",                                    \
    "mixed: chance that an old grid gets the standard tier")                                                 \
  X(share_basic, Real, 0.4, 0, 1, "share of old grids", "assumption",                                       \
    "mixed: chance that an old grid gets the basic tier (the rest get guaranteed)")                          \
  X(shared_multiplier_standard, Real, 0.6, 0, 10, "x", "assumption (seed 002: better service, fewer shared affairs)", \
    "Shared-affair rate multiplier of an old grid with standard service (on top of demand.old_shared_multiplier)") \
  X(shared_multiplier_basic, Real, 0.75, 0, 10, "x", "assumption",                                          \
    "Shared-affair rate multiplier of an old grid with basic service")                                      \
  X(shared_multiplier_guaranteed, Real, 0.9, 0, 10, "x", "assumption",                                      \
    "Shared-affair rate multiplier of an old grid with guaranteed service")                                 \
  X(prevented_satisfaction, Real, 1.0, 0, 10, "x", "assumption",                                           \
    "Satisfaction gain of a resident whose shared affair the service prevented, as a multiple of an in-time resolution's") \
  X(fee_standard, Real, 48, 0, 10000, "yuan/household/month", "assumption",                                 \
    "Property service fee per household, standard tier")                                                    \
  X(fee_basic, Real, 30, 0, 10000, "yuan/household/month", "assumption",                                    \
    "Property service fee per household, basic tier")                                                       \
  X(fee_guaranteed, Real, 15, 0, 10000, "yuan/household/month", "assumption",                               \
    "Property service fee per household, guaranteed tier")                                                  \
  X(red_property, bool, true, 0, 1, "-", "seed 002: cross-appointment of property and community committees (交叉任职)", \
    "Red property: the property company takes on part of the old grids' shared affairs at grid level")      \
  X(red_property_share, Real, 0.3, 0, 1, "probability", "assumption",                                       \
    "Chance that a newly reported shared affair at grid level in an old grid goes to the property company")  \
  X(property_days, Int, 1, 1, 365, "days", "assumption",                                                    \
    "Days from the report until the property company has resolved a shared affair it took on")

struct PropertyTiersParams {
  GOVSIM_PROPERTY_PARAMS(GOVSIM_DECLARE_FIELD)
};

class PropertyTiers : public Mechanism {
 public:
  static constexpr const char* kName = "property_tiers";
  enum Tier : std::int8_t { kNone = -1, kStandard = 0, kBasic = 1, kGuaranteed = 2 };
  explicit PropertyTiers(const PropertyTiersParams& p);
  std::string name() const override { return kName; }
  static constexpr PhaseMask kPhases = phase_mask(Phase::kReporting, Phase::kRecording);
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void finalize(DayApi& api) override;
  void describe(AttributeSink& out) const override;
  void outcomes(std::vector<std::pair<std::string, double>>& out) const override;

  // Per grid: the tier of an old grid, kNone for the others.
  const std::vector<Tier>& tiers() const { return tier_; }
  double cost_per_day() const;  // yuan/day, all old grids

 private:
  struct Held {  // a shared affair with the property company
    CaseHandle handle;
    std::int32_t due;
  };
  struct Flows {  // per community, today
    double taken = 0, resolved = 0, prevented = 0;
  };
  double multiplier(Tier t) const;
  double fee(Tier t) const;
  void resolve_due(DayApi& api);
  void take_new(DayApi& api);
  void prevent(DayApi& api);

  PropertyTiersParams p_;
  bool mixed_ = false;
  Tier fixed_ = kBasic;
  std::vector<Tier> tier_;             // per grid
  std::vector<float> other_;           // per grid: the shared_multiplier lever before this mechanism's factor
  std::vector<double> cost_;           // yuan/day, per community
  std::vector<Flows> flows_;           // per community
  std::vector<double> held_count_;     // per community, stock
  std::vector<Held> held_;             // in the order taken (so in order of due day)
  std::size_t old_grids_ = 0, old_households_ = 0;
  std::size_t grids_of_[3] = {0, 0, 0};
  double old_satisfaction_ = std::numeric_limits<double>::quiet_NaN();
  double old_share_good_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace govsim
