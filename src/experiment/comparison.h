// A scenario's arms run with paired replicates, and the values researchers compare read off the runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "experiment/runner.h"
#include "experiment/scenario.h"

namespace govsim {

// The run summary's named fields (the rows of the printed tables).
struct SummaryField {
  const char* label;
  double RunSummary::*field;
  const char* format;
  bool in_comparison;  // a column of the comparison table
};
const std::vector<SummaryField>& summary_fields();

class Comparison {
 public:
  // Builds and checks every arm's configuration (a scenario without [arms] is one arm); throws InputError.
  void load(const std::string& scenario, const std::vector<std::string>& overrides);
  // Runs arms x replicates; replicate k of every arm uses the same seed (common random numbers).
  void run(std::ostream* log, bool progress);

  const ScenarioFile& file() const { return file_; }  // the scenario file: base, [arms], [contrasts], [checks]
  const std::vector<Scenario>& arms() const { return arms_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::vector<RunResult>>& results() const { return results_; }  // [arm][replicate]
  std::size_t arm_index(const std::string& name) const;  // names().size() if none
  std::vector<RunSummary> summaries(std::size_t arm) const;
  std::string config_text() const;  // the base configuration plus the [arms] and [contrasts] sections

 private:
  ScenarioFile file_;
  std::vector<Scenario> arms_;  // the base, or a copy of it per arm with the arm's overrides
  std::vector<std::string> names_;
  std::vector<std::vector<RunResult>> results_;
};

// A value per run: a summary field's label ("hard problems closed"), a mechanism outcome
// ("shock_peak_backlog"), or a reduction of a recorded series: "mean:NAME", "final:NAME", "sum:NAME",
// "max:NAME" (NaN days skipped), "year:NAME" (mean of the last 365 days) or "drift:NAME" (that minus the
// mean of the 365 days before: stationarity). Throws std::invalid_argument naming what is unknown.
double run_value(const RunResult& r, const std::string& metric);
bool is_known_metric_form(const std::string& metric);

}  // namespace govsim
