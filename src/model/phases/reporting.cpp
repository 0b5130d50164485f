#include "model/simulation.h"

#include <algorithm>

#include "core/rng.h"

namespace govsim {

// reporting: a new problem costs its resident a grievance (given back when it is resolved); it is reported
// with probability participation * (1 - w + 2 w trust); the others wait unreported until a visit finds them
// or they lapse.

void Simulation::reporting_community(std::uint32_t c) {
  const auto& o = s_.params.opinion;
  auto& cs = s_.communities[c];
  const double coupling = o.trust_coupling;
  // Yesterday's reports (those found on visits included) have been seen by every phase that reads them.
  cs.reported_today.clear();
  const auto& raised = cs.raised_today;
  // The resident's record is a cache miss; start it a few arrivals ahead (the first four before the loop).
  for (std::size_t i = 0; i < std::min<std::size_t>(raised.size(), 4); ++i)
    ledger_.prefetch_experience(cs.pool[raised[i]].resident, 0);
  for (std::size_t i = 0; i < raised.size(); ++i) {
    if (i + 4 < raised.size()) ledger_.prefetch_experience(cs.pool[raised[i + 4]].resident, 0);
    const std::uint32_t id = raised[i];
    Case& k = cs.pool[id];
    // Each arrival has its own draw, so common random numbers hold whatever else a mechanism changes.
    Rng rng(s_.seed, Purpose::kReporting, k.grid, static_cast<std::uint32_t>(k.day_raised), k.seq);
    const double part = s_.world.residents[k.resident].participation / 255.0;
    const auto [satisfaction, trust] = ledger_.opinion(k.resident);
    double p = part * (1.0 - o.report_trust_weight + 2.0 * o.report_trust_weight * trust);
    p = std::min(1.0, p);
    // A digital channel reaches those the usual channels miss, in proportion to their digital propensity.
    if (s_.levers.digital_uptake > 0)
      p += (1.0 - p) * (s_.world.residents[k.resident].digital / 255.0) * s_.levers.digital_uptake;
    // The problem itself costs its resident at once (after the decision to report, which
    // rests on trust before it); resolution gives it back (phases/opinion.cpp).
    const double taken = -o.grievance * satisfaction;
    const auto moved = ledger_.adjust_opinion(cs, k.resident, taken, coupling * taken);
    k.grievance_sat = static_cast<float>(-moved.first);
    k.grievance_trust = static_cast<float>(-moved.second);
    cs.review[static_cast<std::size_t>(k.day_raised % kReviewDays)].push_back(
        {id, cs.pool.generation(id), k.day_raised + first_review_age_from(s_.day - k.day_raised)});
    if (rng.bernoulli(p)) {
      ledger_.enqueue_at_grid(cs, id, s_.day + 1,
                              k.day_raised == s_.day ? k.hour_raised : s_.params.ladder.work_start_hour);
    } else {
      const std::uint32_t gl = k.grid - s_.world.communities.first_grid[c];
      cs.grid_latent[gl].push_back({id, cs.pool.generation(id), k.household, k.day_raised});
      cs.tally.latent += 1;
    }
  }
  cs.raised_today.clear();
  // Unreported demands that waited too long lapse. Each grid's list is a cache miss: start it two ahead.
  const std::size_t n_grids = cs.grid_latent.size();
  for (std::size_t gl = 0; gl < n_grids; ++gl) {
    if (gl + 2 < n_grids && !cs.grid_latent[gl + 2].empty())
      __builtin_prefetch(cs.grid_latent[gl + 2].data());
    auto& lat = cs.grid_latent[gl];
    std::size_t keep = 0;
    for (const LatentEntry& e : lat) {
      if (s_.day - e.day_raised < o.latent_give_up_days) {
        lat[keep++] = e;
        continue;
      }
      if (!cs.pool.find(e.id, e.generation, CaseState::kLatent)) continue;  // closed by a mechanism
      ledger_.close_case(cs, e.id, Outcome::kGaveUp, static_cast<float>(s_.params.ladder.work_start_hour));
    }
    lat.resize(keep);
  }
}

}  // namespace govsim
