#include "model/simulation.h"

#include <algorithm>

#include "core/rng.h"

namespace govsim {

// opinion: each closed demand moves its resident's satisfaction and trust, and passes on to neighbours.

void Simulation::phase_opinion() {
  const auto& o = s_.params.opinion;
  const double expect[kKinds] = {o.expect_household_hours, o.expect_shared_hours, o.expect_public_hours};
  auto& res = s_.world.residents;
  const auto C = static_cast<std::int64_t>(s_.world.communities.size());
  const auto day = static_cast<std::uint32_t>(s_.day);
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    const auto c = static_cast<std::uint32_t>(ci);
    auto& cs = s_.communities[c];
    auto& t = cs.tally;
    Rng rng(s_.seed, Purpose::kOpinion, c, day);
    for (const ClosedEvent& e : cs.closed) {
      const std::uint32_t r = e.resident;
      const double s = res.satisfaction[r];
      double d = 0;
      switch (e.outcome) {
        case Outcome::kResolved: {
          const double ratio = e.hours / expect[e.kind];
          d = ratio <= 1.0 ? o.gain_met * (1.0 - s) : -o.loss_missed * std::min(ratio - 1.0, o.miss_cap) * s;
          break;
        }
        case Outcome::kAbandoned: d = -o.loss_abandoned * s; break;
        case Outcome::kGaveUp: d = -o.loss_gave_up * s; break;
      }
      const bool contact = e.level >= static_cast<std::uint8_t>(Level::kCommunity);
      if (contact && !(res.flags[r] & kAware) && rng.bernoulli(o.aware_on_contact)) ledger_.make_aware(t, r);
      const bool source_aware = (res.flags[r] & kAware) != 0;
      // The experience reaches the resident and, by word of mouth, the neighbours, who may hear of the committee.
      ledger_.experience(r, d, t, [&](std::uint32_t j) {
        if (contact && source_aware && !(res.flags[j] & kAware) && rng.bernoulli(o.aware_by_wom))
          ledger_.make_aware(t, j);
      });
      cs.pending_release.push_back(e.case_id);
    }
    cs.closed.clear();
  }
}

}  // namespace govsim
