// Opinion between experiences. A resident's satisfaction and trust are stored as their value on the day the
// resident was last touched; between touches they relax toward the resident's resting level in closed form,
//   v(t) = rest + (v(tau) - rest) * exp(-(t - tau) / memory_days),
// so a day on which nothing happens to a resident costs nothing. The community's stocks follow without
// per-resident work: sums decay by one factor a day, and the counts above a threshold (share good, the
// committee rating) change on the days residents cross it, which are known when they are touched and kept
// in a calendar (docs/ODD.md §7.2).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace govsim {

inline constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

struct Relaxation {
  double rate = 0.0;  // per day: 1 / opinion.memory_days
  // Optional: table[n] = exp(-rate * n) for n < table_size (the Ledger's, for the days of the run), the same
  // bits as computing it; without it, each decay is computed.
  const double* table = nullptr;
  std::int32_t table_size = 0;

  // exp(-rate * days), days > 0.
  double decay(std::int32_t days) const { return days < table_size ? table[days] : std::exp(-rate * days); }
  double value(double v, double rest, std::int32_t since_days) const {
    if (since_days <= 0 || rate <= 0.0) return v;
    return decayed(v, rest, decay(since_days));
  }
  // value() with its decay factor exp(-rate * since_days) given, for callers that move several values
  // relaxed over the same days (the same arithmetic, so the same bits).
  double value(double v, double rest, std::int32_t since_days, double factor) const {
    if (since_days <= 0 || rate <= 0.0) return v;
    return decayed(v, rest, factor);
  }
  double factor(std::int32_t since_days) const {
    return since_days <= 0 || rate <= 0.0 ? 1.0 : decay(since_days);
  }
  static double decayed(double v, double rest, double factor) { return rest + (v - rest) * factor; }
  // The first day after `tau` on which a value v at `tau` stands on the other side of `threshold` (at or
  // above counts as above), or kNever.
  std::int32_t crossing_day(double v, double rest, std::int32_t tau, double threshold) const {
    if (rate <= 0.0) return kNever;
    const bool above = v >= threshold;
    if (above == (rest >= threshold)) return kNever;  // relaxes toward its own side
    double x = 0;
    std::int32_t after = 0;
    if (above) {  // falls: below once (v - rest) e^{-rate n} < threshold - rest
      x = std::log((v - rest) / (threshold - rest)) / rate;
      after = static_cast<std::int32_t>(std::floor(x)) + 1;
      // floor(x) + 1 is the first whole day strictly beyond x; check against value() so both agree.
      while (after > 1 && value(v, rest, after - 1) < threshold) --after;
      while (value(v, rest, after) >= threshold) ++after;
    } else {  // rises: at or above once rest - value <= rest - threshold
      x = std::log((rest - v) / (rest - threshold)) / rate;
      if (!(x < 1.0e7)) return kNever;
      after = std::max<std::int32_t>(1, static_cast<std::int32_t>(std::ceil(x)));
      while (after > 1 && value(v, rest, after - 1) >= threshold) --after;
      while (value(v, rest, after) < threshold) {
        ++after;
        if (after > 10'000'000) return kNever;
      }
    }
    if (static_cast<double>(tau) + after >= static_cast<double>(kNever)) return kNever;
    return tau + after;
  }
  // Whether a value v at `tau`, whose crossing day is `due`, is at or above `threshold` on day t (exactly as
  // the calendar counts it).
  static bool above_on(double v, double threshold, std::int32_t due, std::int32_t t) {
    const bool above = v >= threshold;
    return due <= t ? !above : above;
  }
};

// Changes in several counts (lanes) that fall due on future days: a ring of whole days for the near future, a
// list beyond. A day's changes of every lane sit side by side, so taking a day's changes and adding one
// resident's crossings to two lanes touch one cache line, where a ring per count touched one each.
template <int kLanes>
class CrossingCalendar {
 public:
  static constexpr std::int32_t kRing = 512;
  void add(int lane, std::int32_t day, std::int32_t delta) {
    if (day == kNever || delta == 0) return;
    if (ring_.empty()) ring_.assign(static_cast<std::size_t>(kRing) * kLanes, 0);
    if (day - base_ < kRing)
      ring_[slot(day) + static_cast<std::size_t>(lane)] += delta;
    else
      far_.push_back({day, lane, delta});
  }
  // The net changes due on `day`, by lane; call once per day, in order, from day 0.
  std::array<std::int32_t, kLanes> take(std::int32_t day) {
    if (ring_.empty()) ring_.assign(static_cast<std::size_t>(kRing) * kLanes, 0);
    base_ = day;
    // Bring the far list within the ring every half turn.
    if (day % (kRing / 2) == 0 && !far_.empty()) {
      std::size_t keep = 0;
      for (const auto& e : far_) {
        if (e.day - day < kRing)
          ring_[slot(e.day) + static_cast<std::size_t>(e.lane)] += e.delta;
        else
          far_[keep++] = e;
      }
      far_.resize(keep);
    }
    std::array<std::int32_t, kLanes> d{};
    std::int32_t* at = &ring_[slot(day)];
    for (int l = 0; l < kLanes; ++l) {
      d[static_cast<std::size_t>(l)] = at[l];
      at[l] = 0;
    }
    return d;
  }

 private:
  struct Far {
    std::int32_t day;
    std::int32_t lane;
    std::int32_t delta;
  };
  static std::size_t slot(std::int32_t day) { return static_cast<std::size_t>(day % kRing) * kLanes; }
  std::vector<std::int32_t> ring_;
  std::vector<Far> far_;
  std::int32_t base_ = 0;
};

}  // namespace govsim
