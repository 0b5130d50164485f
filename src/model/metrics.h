// Recording declared in one place: each metric has a name (n_ stock, new_ flow, cum_ total, mean_/share_/
// p90_ state summaries, gini_/worst_decile_ summaries across communities), a unit, a description, whether it
// is also kept per community, and how to read it off a day's Tally. The HDF5 writer lays out whatever is
// registered here.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/tally.h"

namespace govsim {

enum class MetricKind { kStock, kFlow, kTotal, kMean, kShare, kQuantile };
const char* metric_kind_name(MetricKind k);

struct MetricSpec {
  std::string name;
  MetricKind kind;
  std::string unit;
  std::string description;
  bool by_community = false;
  // Value from a Tally; `community` is -1 for the district (mechanisms may keep their own state).
  std::function<double(const Tally&, int community)> value;
  std::string cumulates;  // for kTotal: the flow metric it sums
};

// The core metrics, in output order.
std::vector<MetricSpec> core_metrics();

// The headline metrics: the one list that govsim run's headline table, the file's root attribute
// headline_metrics and govsim report's comparison table share. Each is a series reduced to one value per run
// (`how`: final, mean or sum; run_value's forms), with a practical-significance margin: the smallest paired
// difference taken to matter, absolute (in the metric's units) or relative (a share of the baseline arm's
// mean). The margins are assumptions (docs/ODD.md §10, headline metrics).
struct HeadlineMetric {
  const char* name;
  const char* how;
  double margin;
  bool relative;
};
const std::vector<HeadlineMetric>& headline_metrics();
// The list as JSON text ([{"name", "how", "margin", "relative"}, ...]) for the root attribute.
std::string headline_metrics_json();
// "5%" or "0.01": a margin as the tables print it.
std::string margin_text(const HeadlineMetric& h);

class Recorder {
 public:
  Recorder() = default;
  // Fixes the metric list and sizes the buffers; no metric may be added afterwards.
  void start(std::vector<MetricSpec> specs, int days, int communities);
  // A day's values: the district's, and each community's (communities may be recorded in parallel, each
  // once a day; metric functions only read).
  void record_district(int day, const Tally& district);
  void record_community(int day, std::uint32_t c, const Tally& community) {
    for (const std::size_t i : by_community_index_)
      by_community_[i][static_cast<std::size_t>(c) * days_ + day] =
          static_cast<float>(specs_[i].value(community, static_cast<int>(c)));
  }

  const std::vector<MetricSpec>& specs() const { return specs_; }
  int days() const { return days_; }
  int communities() const { return communities_; }
  const std::vector<double>& series(std::size_t m) const { return series_[m]; }
  // [community][day] as float; empty unless the metric is kept by community.
  const std::vector<float>& by_community(std::size_t m) const { return by_community_[m]; }
  double at(const std::string& name, int day) const;
  std::size_t index(const std::string& name) const;  // throws if unknown
  // After the run: keeps only the metrics named (unknown names are ignored), and their per-community series
  // only if `by_community`, so that a run written afterwards carries only those (a calibration's
  // simulations keep what their targets read). No day may be recorded afterwards.
  void keep_only(const std::vector<std::string>& names, bool by_community);

 private:
  std::vector<MetricSpec> specs_;
  std::vector<int> cum_source_;
  int days_ = 0, communities_ = 0;
  std::vector<std::vector<double>> series_;
  std::vector<std::vector<float>> by_community_;
  std::vector<std::size_t> by_community_index_;  // the metrics kept by community
};

}  // namespace govsim
