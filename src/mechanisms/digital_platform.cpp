#include "mechanisms/digital_platform.h"

#include <algorithm>
#include <limits>

#include "model/simulation.h"

namespace govsim {

namespace {
double ratio(double a, double b) { return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN(); }
constexpr int kYoung = static_cast<int>(AgeBand::kYoung), kElderly = static_cast<int>(AgeBand::kElderly);
}  // namespace

void DigitalPlatform::initialize(Simulation& sim) {
  Levers& lv = sim.levers();
  // Combined with any other digital channel as independent chances of reaching a resident.
  lv.digital_uptake = 1.0 - (1.0 - lv.digital_uptake) * (1.0 - p_.uptake);
  lv.delay_reduction_days += static_cast<int>(p_.routing_days_saved);
  if (p_.grid_deadline_hours > 0)
    lv.grid_deadline_hours =
        lv.grid_deadline_hours > 0 ? std::min(lv.grid_deadline_hours, p_.grid_deadline_hours) : p_.grid_deadline_hours;

  // Who reports, read off the core's tallies by age band (the core does not say which channel a report used).
  using K = MetricKind;
  sim.add_metric({"share_dp_reports_young", K::kShare, "share",
                  "Share of today's reports (including found by visits) made by young residents", true,
                  [](const Tally& t, int) {
                    return ratio(t.reported_by_age[kYoung],
                                 t.reported_by_age[0] + t.reported_by_age[1] + t.reported_by_age[2]);
                  },
                  ""});
  sim.add_metric({"mean_dp_report_ratio_young_elderly", K::kMean, "x",
                  "Today's reports per young resident divided by reports per elderly resident", false,
                  [](const Tally& t, int) {
                    return ratio(ratio(t.reported_by_age[kYoung], t.residents_by_age[kYoung]),
                                 ratio(t.reported_by_age[kElderly], t.residents_by_age[kElderly]));
                  },
                  ""});
}

void DigitalPlatform::act(Phase, Simulation&) {}

void DigitalPlatform::describe(AttributeSink& out) const {
  GOVSIM_DIGITAL_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.text("monitoring", "dispatch deadline at the grid; breaches move the case to the community");
  out.text("summary",
           "Digital platform (智治平台 / 一网统管): digital reporting channel, faster dispatch, grid deadlines");
}

}  // namespace govsim
