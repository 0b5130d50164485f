#include "model/simulation.h"

#include <cmath>

#include "core/rng.h"

namespace govsim {

// demand: arrivals per grid and kind, Poisson in the grid's households; traits of each arrival.

void Simulation::demand_community(std::uint32_t c) {
  const auto& q = s_.params.demand;
  const double p_level[kKinds][3] = {
      {q.household_p_community, q.household_p_street, q.household_p_department},
      {q.shared_p_community, q.shared_p_street, q.shared_p_department},
      {q.public_p_community, q.public_p_street, q.public_p_department}};
  const double hours[kLevels] = {q.hours_grid, q.hours_community, q.hours_street, q.hours_department};
  const auto day = static_cast<std::uint32_t>(s_.day);
  auto& cs = s_.communities[c];
  for (std::uint32_t g = s_.world.communities.first_grid[c]; g < s_.world.communities.first_grid[c + 1];
       ++g) {
    const std::uint32_t h0 = s_.world.grids.first_household[g];
    const std::uint32_t H = s_.world.grids.first_household[g + 1] - h0;
    for (int k = 0; k < kKinds; ++k) {
      // One stream per kind, so a mechanism that changes one kind's rate leaves the others' draws alone.
      Rng count(s_.seed, Purpose::kDemandCount, g, day, static_cast<std::uint32_t>(k));
      Rng traits(s_.seed, Purpose::kDemandTraits, g, day, static_cast<std::uint32_t>(k));
      const double lambda = ledger_.arrival_rate(g, k, /*with_grid_lever=*/true);
      const std::uint32_t n = count.poisson(lambda);
      for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t hh = traits.below(H);
        const std::uint32_t r0 = s_.world.households.first_resident[h0 + hh];
        const std::uint32_t nr = s_.world.households.first_resident[h0 + hh + 1] - r0;
        const std::uint32_t r = r0 + traits.below(nr);
        const double hour = traits.uniform() * 24.0;
        const double u = traits.uniform();
        // u below p_department picks the department, below p_department + p_street the street, and so on.
        double acc = 0;
        int level = 0;
        for (int l = 2; l >= 0; --l) {
          acc += p_level[k][l];
          if (u < acc) {
            level = l + 1;
            break;
          }
        }
        const double size = traits.lognormal_mean(hours[level], q.size_sigma);
        // Parties a hard problem needs: one, plus a geometric number with mean extra_parties_mean (drawn
        // for every arrival, so the stream does not depend on the levels' probabilities).
        const double u_parties = traits.uniform();
        int parties = 0;
        if (level >= static_cast<int>(Level::kStreet)) {
          const double m = s_.params.ladder.extra_parties_mean;
          const double extra =
              m > 0 ? std::floor(std::log(std::max(u_parties, 1e-300)) / std::log(m / (1.0 + m))) : 0.0;
          parties = 1 + static_cast<int>(std::min(extra, 7.0));
        }
        const std::uint32_t id = cs.pool.alloc();
        Case& kc = cs.pool[id];
        kc = Case{};
        kc.grid = g;
        kc.household = hh;
        kc.resident = r;
        kc.day_raised = s_.day;
        kc.seq = (static_cast<std::uint32_t>(k) << 24) | i;
        kc.hour_raised = static_cast<float>(hour);
        kc.kind = static_cast<std::uint8_t>(k);
        kc.required = static_cast<std::uint8_t>(level);
        kc.size = static_cast<float>(size);
        kc.parties = static_cast<std::uint8_t>(parties);
        kc.state = CaseState::kLatent;
        cs.raised_today.push_back(id);
        cs.tally.demands[k] += 1;
      }
    }
  }
}

}  // namespace govsim
