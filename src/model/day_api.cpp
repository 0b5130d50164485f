#include "model/day_api.h"

#include <algorithm>

namespace govsim {

std::uint32_t DayApi::raise_demand(std::uint32_t g, std::uint32_t hh, DemandKind kind, Level required,
                                   float size_hours, float hour) {
  const std::uint32_t c = s_.world.grids.community[g];
  auto& cs = s_.communities[c];
  const std::uint32_t h = s_.world.grids.first_household[g] + hh;
  const std::uint32_t id = cs.pool.alloc();
  Case& k = cs.pool[id];
  k = Case{};
  k.grid = g;
  k.household = hh;
  k.resident = s_.world.households.first_resident[h];
  k.day_raised = std::max(s_.day, 0);
  k.seq = 0x80000000u | static_cast<std::uint32_t>(cs.raised_today.size());
  k.hour_raised = hour;
  k.kind = static_cast<std::uint8_t>(kind);
  k.required = static_cast<std::uint8_t>(required);
  k.size = size_hours;
  k.state = CaseState::kLatent;  // until the reporting phase decides
  cs.raised_today.push_back(id);
  cs.tally.demands[static_cast<int>(kind)] += 1;
  return id;
}

void DayApi::experience_met(std::uint32_t c, std::uint32_t r, double multiple) {
  const double d = multiple * s_.params.opinion.gain_met * (1.0 - ledger_.satisfaction(r));
  ledger_.experience(s_.communities[c], r, d, [](std::uint32_t) {});
}

double DayApi::arrival_rate(std::uint32_t g, DemandKind kind, bool with_grid_lever) const {
  return ledger_.arrival_rate(g, static_cast<int>(kind), with_grid_lever);
}

}  // namespace govsim
