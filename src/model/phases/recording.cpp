#include "model/simulation.h"

#include <algorithm>
#include <cmath>

#include "model/resolution_times.h"

namespace govsim {

// recording: per-community tallies, reduced in community order, handed to the recorder.

void Simulation::phase_recording() {
  const auto C = s_.world.communities.size();
  std::vector<Tally> tallies(C);
#pragma omp parallel for schedule(dynamic, 8)
  for (std::int64_t ci = 0; ci < static_cast<std::int64_t>(C); ++ci) {
    auto& cs = s_.communities[ci];
    std::vector<float> tmp = cs.resolution_hours;
    cs.tally.p90_resolution_hours = p90(tmp);
    tallies[ci] = cs.tally;
  }
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
  run_work_hours_ += district.admin_hours + district.case_hours + district.scheduled_visit_hours;
  run_normal_hours_ += district.normal_hours;
  recorder_.record(s_.day, district, tallies);
}

}  // namespace govsim
