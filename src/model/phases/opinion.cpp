#include "model/simulation.h"

#include <algorithm>
#include <cmath>

#include "core/rng.h"

namespace govsim {

// opinion: residents live with their problems. A problem closed today gives back its grievance if resolved,
// and costs its resident what it cost while open since its last review, plus a loss if it closed late,
// was abandoned or lapsed; bad news passes to the neighbours. Then every open problem reaching a review
// (each kReviewDays of its age) costs its resident the open cost of the interval (docs/ODD.md §7.2).

void Simulation::phase_opinion() {
  const auto& o = s_.params.opinion;
  const double expect[kKinds] = {o.expect_household_hours, o.expect_shared_hours, o.expect_public_hours};
  auto& res = s_.world.residents;
  const auto C = static_cast<std::int64_t>(s_.world.communities.size());
  const auto day = static_cast<std::uint32_t>(s_.day);
  const double rate = ledger_.relaxation().rate;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    const auto c = static_cast<std::uint32_t>(ci);
    auto& cs = s_.communities[c];
    Rng rng(s_.seed, Purpose::kOpinion, c, day);
    for (const ClosedEvent& e : cs.closed) {
      const std::uint32_t r = e.resident;
      const Case& k = cs.pool[e.case_id];  // its slot is released only after today's sweeps
      const int age = s_.day - k.day_raised;
      const int last_review = age > 0 ? kReviewDays * ((age - 1) / kReviewDays) : 0;
      double lost = ledger_.open_loss(e.kind, last_review, age);  // share of satisfaction
      switch (e.outcome) {
        case Outcome::kResolved: {
          // The problem is gone: its grievance comes back, as much of it as has not relaxed away already.
          const double left = std::exp(-rate * std::max(0, age));
          ledger_.adjust_opinion(cs, r, k.grievance_sat * left, k.grievance_trust * left);
          const double ratio = e.hours / expect[e.kind];
          if (ratio > 1.0) lost += o.loss_missed * std::min(ratio - 1.0, o.miss_cap);
          break;
        }
        case Outcome::kAbandoned: lost += o.loss_abandoned; break;
        case Outcome::kGaveUp: lost += o.loss_gave_up; break;
      }
      const bool contact = e.level >= static_cast<std::uint8_t>(Level::kCommunity);
      if (contact && !(res[r].flags & kAware) && rng.bernoulli(o.aware_on_contact)) ledger_.make_aware(cs, r);
      const bool source_aware = (res[r].flags & kAware) != 0;
      const double d = -std::min(1.0, lost) * ledger_.satisfaction(r);
      // The experience reaches the resident and, by word of mouth, the neighbours, who may hear of the committee.
      ledger_.experience(cs, r, d, [&](std::uint32_t j) {
        if (contact && source_aware && !(res[j].flags & kAware) && rng.bernoulli(o.aware_by_wom))
          ledger_.make_aware(cs, j);
      });
      cs.pending_release.push_back(e.case_id);
    }
    cs.closed.clear();
    // Problems still open at a review cost their residents (and, told, their neighbours) the interval's cost.
    auto& due = cs.review[static_cast<std::size_t>(s_.day % kReviewDays)];
    std::size_t keep = 0;
    for (const CaseHandle& h : due) {
      if (cs.pool.generation(h.id) != h.generation) continue;
      const Case& k = cs.pool[h.id];
      const bool open = k.state == CaseState::kLatent || k.state == CaseState::kQueued ||
                        k.state == CaseState::kEscalated || k.state == CaseState::kHeld;
      if (!open) continue;
      due[keep++] = h;
      const int age = s_.day - k.day_raised;
      if (age < kReviewDays) continue;
      const double lost = ledger_.open_loss(k.kind, age - kReviewDays, age);
      if (lost > 0) ledger_.experience(cs, k.resident, -lost * ledger_.satisfaction(k.resident), [](std::uint32_t) {});
    }
    due.resize(keep);
  }
}

}  // namespace govsim
