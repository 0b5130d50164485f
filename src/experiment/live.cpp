#include "experiment/live.h"

#include <cmath>
#include <limits>
#include <memory>

#include "experiment/world_cache.h"

namespace govsim {

LiveComparison::LiveComparison(const Comparison& cmp) : arms_(cmp.arms()), names_(cmp.names()) {
  if (arms_.empty()) return;
  days_ = static_cast<int>(arms_.front().params.run.days);
  const auto replicates = arms_.front().params.run.replicates;
  runs_.resize(arms_.size());
  for (std::int64_t k = 0; k < replicates; ++k) {
    WorldCache worlds(std::numeric_limits<std::size_t>::max());  // replicate k's world, built once
    for (std::size_t a = 0; a < arms_.size(); ++a)
      runs_[a].push_back(start_replicate(arms_[a], k, nullptr, arms_.size() > 1 ? &worlds : nullptr));
  }
}

void LiveComparison::step() {
  if (done()) return;
  for (auto& arm : runs_)
    for (auto& r : arm) r.sim->step();
  ++day_;
  if (done())
    for (auto& arm : runs_)
      for (auto& r : arm) r.sim->finish();
}

const std::vector<MetricSpec>& LiveComparison::metrics(std::size_t a) const {
  return runs_[a].front().sim->recorder().specs();
}

double LiveComparison::value_at(std::size_t a, std::size_t m, int day) const {
  double sum = 0;
  for (const auto& r : runs_[a]) sum += r.sim->recorder().series(m)[static_cast<std::size_t>(day)];
  return sum / static_cast<double>(runs_[a].size());
}

double LiveComparison::value(std::size_t a, const std::string& name, int day) const {
  const auto& specs = metrics(a);
  for (std::size_t m = 0; m < specs.size(); ++m)
    if (specs[m].name == name) return value_at(a, m, day);
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> LiveComparison::community_values(std::size_t a, const std::string& name, int day) const {
  const Recorder& rec = runs_[a].front().sim->recorder();
  std::vector<double> out;
  for (std::size_t m = 0; m < rec.specs().size(); ++m) {
    if (rec.specs()[m].name != name || rec.by_community(m).empty()) continue;
    for (int c = 0; c < rec.communities(); ++c)
      out.push_back(rec.by_community(m)[static_cast<std::size_t>(c) * static_cast<std::size_t>(rec.days()) +
                                        static_cast<std::size_t>(day)]);
  }
  return out;
}

}  // namespace govsim
