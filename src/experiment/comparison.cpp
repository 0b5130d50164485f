#include "experiment/comparison.h"

#include "experiment/work_queue.h"
#include "util/progress.h"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace govsim {

const std::vector<SummaryField>& summary_fields() {
  static const std::vector<SummaryField> f = {
      {"listed problems closed within 6 months", &RunSummary::listed_closed_6m_share, "%.3f", true},
      {"listed problems closed by deadline", &RunSummary::listed_closed_by_deadline_share, "%.3f", true},
      {"hard problems closed within 6 months", &RunSummary::hard_closed_6m_share, "%.3f", true},
      {"demands raised", &RunSummary::demands, "%.0f", false},
      {"demands reported", &RunSummary::reported, "%.0f", false},
      {"cases resolved", &RunSummary::resolved, "%.0f", false},
      {"hard problems reported", &RunSummary::hard_raised, "%.0f", false},
      {"hard problems closed", &RunSummary::hard_closed, "%.0f", true},
      {"cases abandoned", &RunSummary::abandoned, "%.0f", false},
      {"median resolution (h)", &RunSummary::median_resolution_hours, "%.2f", true},
      {"p90 resolution (h)", &RunSummary::p90_resolution_hours, "%.1f", true},
      {"grid-worker utilisation", &RunSummary::mean_gw_utilisation, "%.3f", true},
      {"grid workers quitting", &RunSummary::quits, "%.0f", false},
      {"share good/very good", &RunSummary::share_good, "%.3f", true},
      {"mean trust", &RunSummary::mean_trust, "%.3f", true},
      {"share aware", &RunSummary::share_aware, "%.3f", true},
      {"committee rated good", &RunSummary::committee_good, "%.3f", true},
      {"Gini share good", &RunSummary::gini_share_good, "%.4f", true},
      {"worst 10% share good", &RunSummary::worst_decile_share_good, "%.3f", true},
      {"Gini resolution time", &RunSummary::gini_resolution_hours, "%.4f", true},
      {"worst 10% resolution (h)", &RunSummary::worst_decile_resolution_hours, "%.1f", false},
      {"cost (million yuan/year)", &RunSummary::cost_myuan_year, "%.3f", true},
      {"added cost (million yuan/year)", &RunSummary::added_cost_myuan_year, "%.3f", true},
      {"cost per resolved demand (yuan)", &RunSummary::cost_per_resolved, "%.1f", true},
      {"wall seconds", &RunSummary::wall_seconds, "%.2f", false},
  };
  return f;
}

void Comparison::load(const std::string& scenario, const std::vector<std::string>& overrides) {
  file_ = read_scenario(scenario, overrides);
  if (file_.has_section("experiment") || file_.has_section("vary"))
    throw InputError(scenario +
                     ": this is an experiment file ([vary]/[experiment]); run it with govsim sweep");
  if (file_.is_calibration())
    throw InputError(scenario +
                     ": this is a calibration file ([calibration]/[priors]/[targets]); run it with govsim "
                     "calibrate");
  if (file_.is_optimisation())
    throw InputError(
        scenario +
        ": this is an optimisation file ([optimise]/[decisions]/[objectives]/[constraints]); run it "
        "with govsim optimise");
  arms_.clear();
  names_.clear();
  if (file_.arms.empty()) arms_.push_back(file_.base);
  for (const auto& arm : file_.arms) {
    arms_.push_back(file_.base);
    arms_.back().apply_arm(arm);
    const auto& first = arms_.front().params.run;
    const auto& p = arms_.back().params.run;
    if (p.replicates != first.replicates || p.seed != first.seed || p.days != first.days ||
        p.start_date != first.start_date)
      throw InputError(arm.where + ": arm '" + arm.name +
                       "': run.replicates, run.seed, run.days and run.start_date must be the same in every arm "
                       "(paired replicates on one calendar)");
  }
  for (const auto& a : arms_) names_.push_back(a.params.run.name);
}

void Comparison::run(std::ostream* log, bool progress) {
  const std::size_t A = arms_.size();
  const std::int64_t K = arms_.empty() ? 0 : arms_.front().params.run.replicates;  // the same in every arm
  results_.clear();
  results_.resize(A);
  for (auto& r : results_) r.resize(static_cast<std::size_t>(K));
  const std::size_t total = A * static_cast<std::size_t>(K);
  // On a terminal a line redrawn in place; off one (a Slurm log) a line at most once a minute.
  ProgressLine line("govsim run", !progress || total <= 1);
  // Runs are independent (each keyed by its seed and replicate): whole runs side by side, one per thread
  // (run_jobs). Same results at any thread count.
  const int threads = omp_get_max_threads();
  const int jobs = static_cast<int>(std::clamp<std::size_t>(total, 1, static_cast<std::size_t>(threads)));
  // Replicate by replicate, so that every arm's run k copies the world the first one built (common random
  // numbers: the same world unless an arm changes a parameter it is built from); replicate k's cache is
  // dropped once its runs are done, so only the replicates in progress (at most `jobs`) hold worlds.
  std::vector<std::unique_ptr<WorldCache>> caches(static_cast<std::size_t>(K));
  std::vector<std::size_t> left(static_cast<std::size_t>(K), A);
  std::mutex mu;
  std::size_t done = 0;
  const auto queue = make_local_queue(total);
  run_jobs(jobs, threads, [&] {
    while (const auto pos = queue->next()) {
      const std::size_t i = *pos, k = i / A, a = i % A;
      WorldCache* cache = nullptr;
      {
        std::lock_guard lock(mu);
        if (A > 1 && !caches[k]) caches[k] = std::make_unique<WorldCache>(kWorldCacheBytes);
        cache = caches[k].get();
      }
      RunResult r = run_replicate(arms_[a], static_cast<std::int64_t>(k), i == 0 ? log : nullptr, cache);
      std::lock_guard lock(mu);
      results_[a][k] = std::move(r);
      if (--left[k] == 0) caches[k].reset();
      line.update(++done, total, 0);
    }
  });
  line.finish();
}

std::size_t Comparison::arm_index(const std::string& name) const {
  return static_cast<std::size_t>(std::find(names_.begin(), names_.end(), name) - names_.begin());
}

std::vector<RunSummary> Comparison::summaries(std::size_t arm) const {
  std::vector<RunSummary> s;
  for (const auto& r : results_[arm]) s.push_back(r.summary);
  return s;
}

std::string Comparison::config_text() const {
  // [contrasts] too: the report draws the same contrasts as the printed table.
  std::string contrasts;
  for (const auto& c : file_.contrasts) contrasts += c.name + " = " + c.a + ", " + c.b + "\n";
  return file_.base.registry().to_ini() + arms_text(file_.arms) +
         (contrasts.empty() ? "" : "\n[contrasts]\n" + contrasts);
}

namespace {
const char* kReductions[] = {"mean:", "final:", "sum:", "max:", "year:", "drift:"};
}

bool is_known_metric_form(const std::string& metric) {
  for (const auto& f : summary_fields())
    if (metric == f.label) return true;
  for (const char* p : kReductions)
    if (metric.rfind(p, 0) == 0) return true;
  // Otherwise it may be a mechanism's outcome, known only after a run.
  return metric.find(':') == std::string::npos;
}

double run_value(const RunResult& r, const std::string& metric) {
  for (const auto& f : summary_fields())
    if (metric == f.label) return r.summary.*f.field;
  for (const char* p : kReductions) {
    const std::string prefix = p;
    if (metric.rfind(prefix, 0) != 0) continue;
    const std::string name = metric.substr(prefix.size());
    const auto& rec = *r.recorder;
    const auto& v = rec.series(rec.index(name));  // throws out_of_range for an unknown series
    // year: the mean of the last 365 days; drift: that minus the mean of the 365 days before (stationarity).
    if (prefix == "year:" || prefix == "drift:") {
      auto year_mean = [&](std::size_t end) {
        double s = 0;
        int k = 0;
        for (std::size_t i = end >= 365 ? end - 365 : 0; i < end; ++i)
          if (std::isfinite(v[i])) s += v[i], ++k;
        return end >= 365 && k ? s / k : NAN;
      };
      std::size_t end = v.size();
      while (end > 0 && !std::isfinite(v[end - 1])) --end;
      return prefix == "year:" ? year_mean(end) : year_mean(end) - year_mean(end >= 365 ? end - 365 : 0);
    }
    double acc = prefix == "max:" ? -INFINITY : 0.0, last = NAN;
    int n = 0;
    for (double x : v) {
      if (!std::isfinite(x)) continue;
      last = x;
      ++n;
      if (prefix == "max:")
        acc = std::max(acc, x);
      else
        acc += x;
    }
    if (prefix == "final:") return last;
    if (prefix == "mean:") return n ? acc / n : NAN;
    return n ? acc : NAN;
  }
  for (const auto& [name, value] : r.record.outcomes)
    if (name == metric) return value;
  throw std::invalid_argument(
      "unknown metric '" + metric +
      "' (a summary field, an outcome, or mean:/final:/sum:/max:/year:/drift: of a series)");
}

}  // namespace govsim
