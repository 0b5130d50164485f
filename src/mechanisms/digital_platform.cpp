#include "mechanisms/digital_platform.h"

#include <algorithm>
#include <limits>

#include "model/day_api.h"

namespace govsim {


void DigitalPlatform::initialize(DayApi& api) {
  Levers& lv = api.levers();
  // Combined with any other digital channel as independent chances of reaching a resident.
  lv.digital_uptake = 1.0 - (1.0 - lv.digital_uptake) * (1.0 - p_.uptake);
  lv.digital_participation = 1.0 - (1.0 - lv.digital_participation) * (1.0 - p_.participation_reach);
  lv.delay_reduction_days += static_cast<int>(p_.routing_days_saved);
  if (p_.grid_deadline_hours > 0)
    lv.grid_deadline_hours =
        lv.grid_deadline_hours > 0 ? std::min(lv.grid_deadline_hours, p_.grid_deadline_hours) : p_.grid_deadline_hours;

  // Who reports is measured by the core for every arm: share_reports_young, mean_report_ratio_young_elderly;
  // who takes part, by the mechanisms that hold councils and volunteering (triage, dual registration).
}

void DigitalPlatform::act(Phase, DayApi&) {}

void DigitalPlatform::describe(AttributeSink& out) const {
  GOVSIM_DIGITAL_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.text("monitoring", "dispatch deadline at the grid; breaches move the case to the community");
  out.text("summary",
           "Digital platform (智治平台 / 一网统管): digital reporting channel, faster dispatch, grid deadlines");
}

}  // namespace govsim
