// A comparison advanced one day at a time, its state readable between days (govsim serve). Every arm x
// replicate run is built as run_replicate builds it and steps the same days, so the series read here and
// the file `govsim run` writes for the same configuration hold the same bits.
#pragma once

#include <string>
#include <vector>

#include "experiment/comparison.h"
#include "experiment/runner.h"

namespace govsim {

class LiveComparison {
 public:
  // Builds every run of `cmp`'s arms (replicate k of every arm shares its world: common random numbers).
  explicit LiveComparison(const Comparison& cmp);

  int days() const { return days_; }
  int day() const { return day_; }  // the last day stepped, -1 before the first
  bool done() const { return day_ + 1 >= days_; }
  void step();  // one day of every run; after the last day, each run's mechanisms finalize

  std::size_t arms() const { return runs_.size(); }
  std::size_t replicates() const { return runs_.empty() ? 0 : runs_.front().size(); }
  const std::string& arm_name(std::size_t a) const { return names_[a]; }
  // An arm's district series (known after the first day; arms with other mechanisms have other metrics).
  const std::vector<MetricSpec>& metrics(std::size_t a) const;
  // The mean over replicates of metric `name` on `day` in arm `a` (NaN if the arm lacks it).
  double value(std::size_t a, const std::string& name, int day) const;
  // The same for the arm's metric number `m` (its place in metrics(a): the same in every replicate of an arm,
  // which all run the same mechanisms).
  double value_at(std::size_t a, std::size_t m, int day) const;
  // Replicate 0's value of `name` in each community on `day` (empty unless it is kept by community).
  std::vector<double> community_values(std::size_t a, const std::string& name, int day) const;

 private:
  std::vector<Scenario> arms_;
  std::vector<std::string> names_;
  std::vector<std::vector<ReplicateRun>> runs_;  // [arm][replicate]
  int days_ = 0, day_ = -1;
};

}  // namespace govsim
