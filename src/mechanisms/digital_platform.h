// Digital platform (智治平台 / 一网统管, seed 001): Chongqing's grassroots smart-governance platform covers
// every grid and "实现网格事件派单交办、统计分析、运行监测等功能" (grid event dispatch, statistics, operation
// monitoring). Seed 004's failures are about its Party-building activities, not a platform: those taking part
// are "主要是少數(shù)老年人" (mostly a few elderly residents), and "新興媒介平臺利用率低" (new media
// platforms little used) among the activities' forms; its remedy, "推廣“互聯(lián)網(wǎng)+黨建” … 打破傳統(tǒng)黨建受時間、
// 空間的限制" (Party building online, free of the limits of time and place). The mechanism sets four of the core's
// levers once, in initialize:
//   a digital reporting channel, taken up in proportion to each resident's digital propensity (which is
//     mostly that of the young and working age), for demands the usual channels miss;
//   a digital way to take part in councils and volunteering, which gives back, in proportion to digital
//     propensity, the share of the chance of taking part that a resident's workload takes away;
//   dispatch that takes days off every transfer delay between levels;
//   a dispatch deadline at the grid, monitored: a case still at the grid past it moves up to the community.
// The platform's statistics have no rule of their own; its monitoring is the deadline. It draws no random
// numbers; its effects follow from the core's rules (docs/ODD.md, digital platform).
#pragma once

#include "model/mechanism.h"
#include "params/params.h"

namespace govsim {

#define GOVSIM_DIGITAL_PARAMS(X)                                                                              \
  X(uptake, Real, 0.6, 0, 1, "share",                                                                        \
    "assumption (no seed figure; seed 004's 新興媒介平臺利用率低 is about Party-building activities)",       \
    "Share of the demands the usual channels miss that the digital channel brings in, per unit of digital propensity") \
  X(participation_reach, Real, 0.6, 0, 1, "share",                                                           \
    "assumption (seed 004: 打破傳統(tǒng)黨建受時間、空間的限制; no share given)",                               \
    "Share of the workload barrier to taking part (councils, volunteering) the platform removes, per unit of digital propensity") \
  X(routing_days_saved, Int, 1, 0, 365, "days", "assumption (seed 001: grid event dispatch, 网格事件派单交办)", \
    "Days the platform's dispatch takes off every transfer delay between levels (not below 0)")             \
  X(grid_deadline_hours, Real, 72, 0, 8760, "hours",                                                         \
    "assumption (seed 001: operation monitoring, 运行监测; its 24小时 is a slogan, not a deadline)",         \
    "Hours after its report that a case may stay at the grid before it moves up to the community (0: none)")

struct DigitalPlatformParams {
  GOVSIM_DIGITAL_PARAMS(GOVSIM_DECLARE_FIELD)
};

class DigitalPlatform : public Mechanism {
 public:
  static constexpr const char* kName = "digital_platform";
  explicit DigitalPlatform(const DigitalPlatformParams& p) : p_(p) {}
  std::string name() const override { return kName; }
  static constexpr PhaseMask kPhases = PhaseMask{0};  // levers only, set once
  PhaseMask phases() const override { return kPhases; }
  void initialize(DayApi& api) override;
  void act(Phase phase, DayApi& api) override;
  void describe(AttributeSink& out) const override;

 private:
  DigitalPlatformParams p_;
};

}  // namespace govsim
