#include "model/simulation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.h"

namespace govsim {

// opinion: residents live with their problems. A problem closed today gives back its grievance if resolved,
// and costs its resident what it cost while open since its last review, plus a loss if it closed late,
// was abandoned or lapsed; bad news passes to the neighbours. Then every open problem reaching a review age
// (7, 14, 28, ... days: is_review_age) costs its resident the open cost since its last review (docs/ODD.md
// §7.8).

void Simulation::opinion_community(std::uint32_t c) {
  const auto& o = s_.params.opinion;
  const double expect[kKinds] = {o.expect_household_hours, o.expect_shared_hours, o.expect_public_hours};
  auto& res = s_.world.residents;
  const auto day = static_cast<std::uint32_t>(s_.day);
  const Relaxation rx = ledger_.relaxation();
  auto& cs = s_.communities[c];
  Rng rng(s_.seed, Purpose::kOpinion, c, day);
  const std::size_t n_closed = cs.closed.size();
  // Each event's resident and neighbours are cache misses; start them a few events ahead.
  const auto closed_resident = [&](std::size_t j) { return cs.closed[j].resident; };
  ledger_.prefetch_experiences_first(n_closed, closed_resident);
  for (std::size_t i = 0; i < n_closed; ++i) {
    ledger_.prefetch_experiences_ahead(i, n_closed, closed_resident);
    const ClosedEvent& e = cs.closed[i];
    const std::uint32_t r = e.resident;
    const int age = s_.day - e.day_raised;
    const int last_review = last_review_before(age);
    double lost = ledger_.open_loss(e.kind, last_review, age);  // share of satisfaction
    switch (e.outcome) {
      case Outcome::kResolved: {
        // The problem is gone: its grievance comes back, as much of it as has not relaxed away already.
        const double left = rx.factor(age);
        ledger_.adjust_opinion(cs, r, e.grievance_sat * left, e.grievance_trust * left);
        const double ratio = e.hours / expect[e.kind];
        if (ratio > 1.0) lost += o.loss_missed * std::min(ratio - 1.0, o.miss_cap);
        break;
      }
      case Outcome::kAbandoned:
        lost += o.loss_abandoned;
        break;
      case Outcome::kGaveUp:
        lost += o.loss_gave_up;
        break;
    }
    const bool contact = e.level >= static_cast<std::uint8_t>(Level::kCommunity);
    if (contact && !(res[r].flags & kAware) && rng.bernoulli(o.aware_on_contact)) ledger_.make_aware(cs, r);
    const bool source_aware = (res[r].flags & kAware) != 0;
    auto hear_of_committee = [&](std::uint32_t j) {
      if (contact && source_aware && !(res[j].flags & kAware) && rng.bernoulli(o.aware_by_wom))
        ledger_.make_aware(cs, j);
    };
    // The experience reaches the resident and, by word of mouth, the neighbours, who may hear of the
    // committee. A problem met in time costs nothing more, so only the news of the committee travels
    // (most closures: touching five residents for no change was most of this phase's time).
    if (lost > 0) {
      ledger_.experience(cs, r, -std::min(1.0, lost) * ledger_.satisfaction(r), hear_of_committee);
    } else if (contact && source_aware) {
      s_.world.for_each_neighbour(r, [&](std::uint32_t j, float) { hear_of_committee(j); });
    }
    cs.pending_release.push_back(e.case_id);
  }
  cs.closed.clear();
  // Problems still open at a review cost their residents (and, told, their neighbours) the interval's cost.
  auto& due = cs.review[static_cast<std::size_t>(s_.day % kReviewDays)];
  std::size_t keep = 0;
  const std::size_t n_due = due.size();
  // The entries due today, so that their cases, residents and neighbours can be fetched a few ahead: each
  // is a cache miss, and one after the other they were most of this loop's time.
  thread_local std::vector<std::uint32_t> today;
  today.clear();
  for (std::size_t i = 0; i < n_due; ++i)
    if (due[i].next_day == s_.day) today.push_back(static_cast<std::uint32_t>(i));
  const std::size_t n_today = today.size(), n_residents = res.size();
  auto resident_of = [&](std::size_t t) {  // a listed slot's resident, whether or not it still holds the case
    const std::uint32_t r = cs.pool[due[today[t]].id].resident;
    return r < n_residents ? r : 0;
  };
  for (std::size_t t = 0; t < std::min<std::size_t>(n_today, 12); ++t) cs.pool.prefetch(due[today[t]].id);
  ledger_.prefetch_experiences_first(n_today, resident_of);
  std::size_t reached = 0;  // of today's entries
  for (std::size_t i = 0; i < n_due; ++i) {
    ReviewEntry& e = due[i];
    if (e.next_day != s_.day) {  // not due today: kept without reading the case
      due[keep++] = e;
      continue;
    }
    const std::size_t t = reached++;
    if (t + 12 < n_today) cs.pool.prefetch(due[today[t + 12]].id);
    ledger_.prefetch_experiences_ahead(t, n_today, resident_of);
    const Case* found = cs.pool.find(e.id, e.generation);
    if (found == nullptr) continue;
    const Case& k = *found;
    const bool open = k.state == CaseState::kLatent || k.state == CaseState::kQueued ||
                      k.state == CaseState::kEscalated || k.state == CaseState::kHeld;
    if (!open) continue;
    const int age = s_.day - k.day_raised;
    e.next_day = k.day_raised + 2 * age;  // today's age is a review age; the next is twice it
    due[keep++] = e;
    const double lost = ledger_.open_loss(k.kind, last_review_before(age), age);
    if (lost > 0)
      ledger_.experience(cs, k.resident, -lost * ledger_.satisfaction(k.resident), [](std::uint32_t) {});
  }
  due.resize(keep);
}

}  // namespace govsim
