#include "model/simulation.h"

#include <algorithm>
#include <cmath>

#include "model/inequality.h"
#include "model/resolution_times.h"

namespace govsim {

// recording: per-community tallies, reduced in community order, handed to the recorder.

void Simulation::recording_community(std::uint32_t c) {
  auto& cs = s_.communities[c];
  // In place: the district reads the same values after (its quantile and histogram do not depend on their
  // order), so no copy.
  cs.tally.p90_resolution_hours = p90(cs.resolution_hours);
  tallies_[c] = cs.tally;  // tallies_ has one entry per community from the start
  cs.tally.clear_flows();  // the district adds up the copy
  inequality_community(c);
  recorder_.record_community(s_.day, c, tallies_[c]);
}

void Simulation::recording_district() {
  const auto C = s_.world.communities.size();
  Tally district;
  std::vector<float> all;
  for (std::size_t c = 0; c < C; ++c) {
    district.add(tallies_[c]);
    auto& v = s_.communities[c].resolution_hours;
    all.insert(all.end(), v.begin(), v.end());
    for (const float h : v) hist_[hist_bin(h)] += 1;
    v.clear();
  }
  district.add(s_.district_flows);  // flows of no one community, after the communities'
  s_.district_flows.clear_flows();
  district.p90_resolution_hours = p90(all);
  district.gini_share_good = gini(good_);
  district.worst_decile_share_good = worst_decile(good_, /*low_is_worse=*/true);
  district.gini_resolution_hours = gini(mean_hours_);
  district.worst_decile_resolution_hours = worst_decile(mean_hours_, /*low_is_worse=*/false);
  run_work_hours_ += district.admin_hours + district.case_hours + district.scheduled_visit_hours;
  run_normal_hours_ += district.normal_hours;
  recorder_.record_district(s_.day, district);
}

// Inequality between communities: share good today, and mean resolution hours over the last
// kInequalityWindowDays days (a community without resolutions in the window takes no part); the district
// takes the Gini and worst decile of these.
void Simulation::inequality_community(std::uint32_t c) {
  const Tally& t = tallies_[c];
  const double n = t.resolved[0] + t.resolved[1] + t.resolved[2];
  double* hours = &window_hours_[static_cast<std::size_t>(c) * kInequalityWindowDays];
  double* resolved = &window_resolved_[static_cast<std::size_t>(c) * kInequalityWindowDays];
  hours[s_.day % kInequalityWindowDays] = t.resolution_hours_sum;
  resolved[s_.day % kInequalityWindowDays] = n;
  run_hours_[c] += t.resolution_hours_sum;
  run_resolved_[c] += n;
  good_[c] = t.residents > 0 ? t.good / t.residents : std::nan("");
  double h = 0, k = 0;
  for (int d = 0; d < kInequalityWindowDays; ++d) {
    h += hours[d];
    k += resolved[d];
  }
  mean_hours_[c] = k > 0 ? h / k : std::nan("");
}

}  // namespace govsim
