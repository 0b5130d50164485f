#include "model/simulation.h"

#include <algorithm>
#include <cmath>

#include "model/inequality.h"
#include "model/resolution_times.h"

namespace govsim {

// recording: per-community tallies, reduced in community order, handed to the recorder.

void Simulation::recording_community(std::uint32_t c) {
  auto& cs = s_.communities[c];
  std::vector<float> tmp = cs.resolution_hours;
  cs.tally.p90_resolution_hours = p90(tmp);
  tallies_[c] = cs.tally;  // tallies_ has one entry per community from the start
}

void Simulation::recording_district() {
  const auto C = s_.world.communities.size();
  const auto& tallies = tallies_;
  Tally district;
  std::vector<float> all;
  for (std::size_t c = 0; c < C; ++c) {
    district.add(tallies[c]);
    auto& v = s_.communities[c].resolution_hours;
    all.insert(all.end(), v.begin(), v.end());
    for (const float h : v) hist_[hist_bin(h)] += 1;
    v.clear();
    s_.communities[c].tally.clear_flows();
  }
  district.add(s_.district_flows);  // flows of no one community, after the communities'
  s_.district_flows.clear_flows();
  district.p90_resolution_hours = p90(all);
  record_inequality(district, tallies);
  run_work_hours_ += district.admin_hours + district.case_hours + district.scheduled_visit_hours;
  run_normal_hours_ += district.normal_hours;
  recorder_.record(s_.day, district, tallies);
}

// Inequality between communities: share good today, and mean resolution hours over the last
// kInequalityWindowDays days (a community without resolutions in the window takes no part).
void Simulation::record_inequality(Tally& district, const std::vector<Tally>& tallies) {
  const auto C = tallies.size();
  if (window_hours_.empty()) {
    window_hours_.assign(kInequalityWindowDays, std::vector<double>(C, 0.0));
    window_resolved_.assign(kInequalityWindowDays, std::vector<double>(C, 0.0));
    run_hours_.assign(C, 0.0);
    run_resolved_.assign(C, 0.0);
  }
  auto& hours = window_hours_[s_.day % kInequalityWindowDays];
  auto& resolved = window_resolved_[s_.day % kInequalityWindowDays];
  std::vector<double> good(C), mean_hours(C);
  // Each community's own sums, in the same order as ever: communities in parallel.
#pragma omp parallel for schedule(static)
  for (std::int64_t ci = 0; ci < static_cast<std::int64_t>(C); ++ci) {
    const auto c = static_cast<std::size_t>(ci);
    const Tally& t = tallies[c];
    const double n = t.resolved[0] + t.resolved[1] + t.resolved[2];
    hours[c] = t.resolution_hours_sum;
    resolved[c] = n;
    run_hours_[c] += t.resolution_hours_sum;
    run_resolved_[c] += n;
    good[c] = t.residents > 0 ? t.good / t.residents : std::nan("");
    double h = 0, k = 0;
    for (int d = 0; d < kInequalityWindowDays; ++d) {
      h += window_hours_[d][c];
      k += window_resolved_[d][c];
    }
    mean_hours[c] = k > 0 ? h / k : std::nan("");
  }
  district.gini_share_good = gini(good);
  district.worst_decile_share_good = worst_decile(good, /*low_is_worse=*/true);
  district.gini_resolution_hours = gini(mean_hours);
  district.worst_decile_resolution_hours = worst_decile(std::move(mean_hours), /*low_is_worse=*/false);
}

}  // namespace govsim
