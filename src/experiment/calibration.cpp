#include "experiment/calibration.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "experiment/comparison.h"
#include "experiment/experiment.h"
#include "experiment/loop_support.h"
#include "experiment/work_queue.h"
#include "io/h5_calibration.h"
#include "io/h5_combine.h"
#include "util/json.h"
#include "util/version.h"

namespace fs = std::filesystem;

namespace govsim {

namespace {

const char* kWindowed[] = {"mean:", "final:", "sum:", "max:"};

// The [calibration] keys, their defaults and what they take (docs/CALIBRATION.md).
const char* kKeys =
    "particles, replicates, generations, ess_keep, resample_below, tolerance, tolerances, min_acceptance, "
    "max_moves, stay, kernel_scale, seed, predictive";

std::string series_of(const std::string& metric) {
  const auto colon = metric.find(':');
  return colon == std::string::npos ? "" : metric.substr(colon + 1);
}

bool windowed_form(const std::string& metric) {
  for (const char* p : kWindowed)
    if (metric.rfind(p, 0) == 0) return true;
  return false;
}

}  // namespace

Target parse_metric(const std::string& name, const std::string& text, const std::string& where) {
  const std::string head = where + ": key '" + name + "': ";
  if (name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
          std::string::npos)
    throw InputError(head + "a name takes letters, digits and _ only (it names a /runs column)");
  Target t;
  t.name = name;
  t.where = where;
  std::string lhs = trim(text);
  const auto over = lhs.find(" over ");
  if (over != std::string::npos) {
    const std::string window = trim(lhs.substr(over + 6));
    lhs = trim(lhs.substr(0, over));
    const auto dash = window.find('-');
    bool ok = dash != std::string::npos;
    if (ok) {
      try {
        t.first = static_cast<int>(parse_int(trim(window.substr(0, dash))));
        t.last = static_cast<int>(parse_int(trim(window.substr(dash + 1))));
      } catch (const std::invalid_argument&) {
        ok = false;
      }
    }
    if (!ok || t.first < 0 || t.last < t.first)
      throw InputError(head + "window 'over " + window +
                       "': expected days FIRST-LAST with 0 <= FIRST <= LAST");
    if (!windowed_form(lhs))
      throw InputError(head +
                       "a window 'over FIRST-LAST' needs mean:, final:, sum: or max: of a series, got '" +
                       lhs + "'");
  }
  t.metric = lhs;
  if (t.metric.empty() || !is_known_metric_form(t.metric))
    throw InputError(head + "unknown metric '" + t.metric +
                     "' (a summary field, an outcome, or mean:/final:/sum:/max:/year:/drift: of a series)");
  return t;
}

Target parse_target(const std::string& name, const std::string& text, const std::string& where) {
  const std::string head = where + ": key '" + name + "': ";
  const std::string form = "expected 'METRIC [over FIRST-LAST] ~ OBSERVED +- SE'";
  const auto tilde = text.find('~');
  if (tilde == std::string::npos || text.find('~', tilde + 1) != std::string::npos)
    throw InputError(head + form + ", got '" + text + "'");
  Target t = parse_metric(name, text.substr(0, tilde), where);
  const std::string rhs = trim(text.substr(tilde + 1));
  auto pm = rhs.find("+-");
  const std::size_t pm_len = 2;  // "+-", or "±" in UTF-8
  if (pm == std::string::npos) pm = rhs.find("\xC2\xB1");
  if (pm == std::string::npos) throw InputError(head + form + ", got '" + text + "'");
  try {
    t.observed = parse_real(trim(rhs.substr(0, pm)));
    t.se = parse_real(trim(rhs.substr(pm + pm_len)));
  } catch (const std::invalid_argument&) {
    throw InputError(head + "OBSERVED and SE must be numbers, got '" + rhs + "'");
  }
  if (!std::isfinite(t.observed)) throw InputError(head + "OBSERVED must be finite, got '" + rhs + "'");
  if (!(t.se > 0) || !std::isfinite(t.se))
    throw InputError(head + "SE must be a positive number (the distance divides by it), got '" + rhs + "'");
  return t;
}

void check_metrics(const Scenario& base, const std::vector<Target>& metrics) {
  const auto days = base.params.run.days;
  for (const auto& t : metrics)
    if (t.last >= days)
      throw InputError(t.where + ": key '" + t.name + "': window ends on day " + std::to_string(t.last) +
                       " but the run has days 0-" + std::to_string(days - 1) +
                       " (run.days = " + std::to_string(days) + ")");
  // Every metric exists: a one-day pilot on one community gives the series and outcome names.
  const auto pilot = pilot_run(base);
  if (!pilot) return;
  const RunResult& r = *pilot;
  for (const auto& t : metrics) {
    try {
      if (t.metric.find(':') != std::string::npos)
        (void)r.recorder->index(series_of(t.metric));
      else
        (void)run_value(r, t.metric);
    } catch (const std::exception&) {
      throw InputError(
          t.where + ": key '" + t.name + "': unknown metric '" + t.metric +
          "' (a summary field, a mechanism's outcome, or a reduction of a series; docs/OUTPUT.md "
          "lists them)");
    }
  }
}

double target_value(const RunResult& r, const Target& t) {
  if (t.first < 0) return run_value(r, t.metric);
  const std::string prefix = t.metric.substr(0, t.metric.find(':') + 1);
  const auto& rec = *r.recorder;
  const auto& v = rec.series(rec.index(series_of(t.metric)));
  const auto end = std::min<std::size_t>(static_cast<std::size_t>(t.last) + 1, v.size());
  double acc = prefix == "max:" ? -INFINITY : 0.0, last = NAN;
  int n = 0;
  for (std::size_t i = static_cast<std::size_t>(t.first); i < end; ++i) {
    if (!std::isfinite(v[i])) continue;
    last = v[i];
    ++n;
    acc = prefix == "max:" ? std::max(acc, v[i]) : acc + v[i];
  }
  if (n == 0) return NAN;
  if (prefix == "final:") return last;
  if (prefix == "mean:") return acc / n;
  return acc;
}

void Calibration::load(const std::string& path, const std::vector<std::string>& overrides) {
  *this = Calibration();
  path_ = path;
  std::vector<SectionLine> cal_sets;
  std::vector<std::string> param_sets;
  split_overrides(overrides, "calibration", cal_sets, param_sets);
  file_ = read_scenario(path, param_sets);
  if (file_.has_section("experiment") || file_.has_section("vary"))
    throw InputError(path +
                     ": a calibration file has no [experiment] or [vary] (the priors are what varies)");
  if (!file_.arms.empty())
    throw InputError(file_.arms.front().where +
                     ": a calibration fits one configuration; [arms] is not allowed (calibrate each arm's "
                     "configuration in its own file)");
  if (!file_.has_section("priors") || !file_.has_section("targets"))
    throw InputError(path + ": a calibration file needs [priors] and [targets] (docs/CALIBRATION.md)");
  const Scenario& base = file_.base;
  const auto& run = base.params.run;
  settings_.seed = static_cast<std::uint64_t>(run.seed);

  // [calibration]
  auto lines = file_.lines("calibration");
  lines.insert(lines.end(), cal_sets.begin(), cal_sets.end());
  for (const auto& l : merged_lines(lines, "calibration")) {
    const std::string& k = l.name;
    if (k == "particles") {
      settings_.particles =
          static_cast<std::size_t>(int_setting("calibration", l, 2, 1000000, "an integer in [2, 1000000]"));
    } else if (k == "replicates") {
      settings_.replicates =
          static_cast<int>(int_setting("calibration", l, 1, 1000, "an integer in [1, 1000]"));
    } else if (k == "generations") {
      settings_.generations =
          static_cast<int>(int_setting("calibration", l, 0, 10000, "an integer in [0, 10000]"));
    } else if (k == "ess_keep") {
      settings_.ess_keep = real_setting("calibration", l, 0, 1, true, true, "a number in (0, 1)");
    } else if (k == "resample_below") {
      settings_.resample_below = real_setting("calibration", l, 0, 1, false, false, "a number in [0, 1]");
    } else if (k == "tolerance") {
      settings_.tolerance = real_setting("calibration", l, 0, INFINITY, false, true, "a number >= 0");
    } else if (k == "tolerances") {
      double prev = INFINITY;
      for (const auto& item : split_list(l.value)) {
        SectionLine one = l;
        one.value = item;
        const double v = real_setting("calibration", one, 0, INFINITY, true, true, "decreasing numbers > 0");
        if (!(v < prev))
          throw InputError(l.where +
                           ": key 'calibration.tolerances': expected decreasing numbers > 0, got '" +
                           l.value + "'");
        settings_.schedule.push_back(v);
        prev = v;
      }
    } else if (k == "min_acceptance") {
      settings_.min_acceptance = real_setting("calibration", l, 0, 1, false, false, "a number in [0, 1]");
    } else if (k == "max_moves") {
      settings_.max_moves =
          static_cast<int>(int_setting("calibration", l, 1, 1000, "an integer in [1, 1000]"));
    } else if (k == "stay") {
      settings_.stay = real_setting("calibration", l, 0, 1, true, true, "a number in (0, 1)");
    } else if (k == "kernel_scale") {
      settings_.kernel_scale = real_setting("calibration", l, 0, 100, true, false, "a number in (0, 100]");
    } else if (k == "seed") {
      settings_.seed =
          static_cast<std::uint64_t>(int_setting("calibration", l, 0, INT64_MAX, "an integer >= 0"));
    } else if (k == "predictive") {
      predictive_ =
          static_cast<std::size_t>(int_setting("calibration", l, 0, 1000000, "an integer in [0, 1000000]"));
    } else {
      throw InputError(l.where + ": unknown key 'calibration." + k + "' (known: " + kKeys + ")");
    }
  }

  // [priors]: numeric parameters other than run.*, the prior's support within the parameter's range.
  for (const auto& l : merged_lines(file_.lines("priors"), "priors")) {
    const ParamSpec* spec = base.registry().find(l.name);
    if (!spec)
      throw InputError(l.where + ": unknown key '" + l.name +
                       "' in [priors] (govsim describe lists the known keys)");
    if (l.name.rfind("run.", 0) == 0)
      throw InputError(l.where + ": key '" + l.name +
                       "': run.* cannot be calibrated (each simulation's run.seed " + "is the sampler's)");
    if (spec->type != ParamType::kInt && spec->type != ParamType::kReal)
      throw InputError(l.where + ": key '" + l.name + "': a prior needs a numeric parameter; this one is " +
                       type_name(spec->type));
    abc::Prior p = abc::parse_prior(l.name, l.value, l.where);
    p.integer = spec->type == ParamType::kInt;
    if (p.lower() < spec->min || p.upper() > spec->max)
      throw InputError(l.where + ": key '" + l.name + "': the prior " + p.text() + " reaches outside the " +
                       "parameter's range [" + format_real(spec->min) + ", " + format_real(spec->max) + "]" +
                       (p.kind == abc::Prior::Kind::kNormal ? " (use truncnormal(mean, sd, lo, hi))" : ""));
    priors_.push_back(std::move(p));
  }
  if (priors_.empty()) throw InputError(path + ": [priors] is empty: nothing to calibrate");

  // [targets]
  for (const auto& l : merged_lines(file_.lines("targets"), "targets"))
    targets_.push_back(parse_target(l.name, l.value, l.where));
  if (targets_.empty()) throw InputError(path + ": [targets] is empty: nothing to fit");
  check_metrics(base, targets_);

  // Provenance: the resolved scenario, then the three sections as they were read.
  config_text_ = base.registry().to_ini();
  config_text_ += "\n[calibration]\nparticles = " + std::to_string(settings_.particles) +
                  "\nreplicates = " + std::to_string(settings_.replicates) +
                  "\ngenerations = " + std::to_string(settings_.generations) +
                  "\ness_keep = " + format_real(settings_.ess_keep) +
                  "\nresample_below = " + format_real(settings_.resample_below) +
                  "\ntolerance = " + format_real(settings_.tolerance);
  if (!settings_.schedule.empty()) {
    config_text_ += "\ntolerances = ";
    for (std::size_t i = 0; i < settings_.schedule.size(); ++i)
      config_text_ += (i ? ", " : "") + format_real(settings_.schedule[i]);
  }
  config_text_ += "\nmin_acceptance = " + format_real(settings_.min_acceptance) +
                  "\nmax_moves = " + std::to_string(settings_.max_moves) +
                  "\nstay = " + format_real(settings_.stay) +
                  "\nkernel_scale = " + format_real(settings_.kernel_scale) +
                  "\nseed = " + std::to_string(settings_.seed) +
                  "\npredictive = " + std::to_string(predictive_) + "\n\n[priors]\n";
  for (const auto& p : priors_) config_text_ += p.key + " = " + p.text() + "\n";
  config_text_ += "\n[targets]\n";
  for (const auto& t : targets_) {
    config_text_ += t.name + " = " + t.metric;
    if (t.first >= 0) config_text_ += " over " + std::to_string(t.first) + "-" + std::to_string(t.last);
    config_text_ += " ~ " + format_real(t.observed) + " +- " + format_real(t.se) + "\n";
  }
}

std::string Calibration::settings_json() const {
  Json j;
  j["particles"] = settings_.particles;
  j["replicates"] = settings_.replicates;
  j["generations"] = settings_.generations;
  j["ess_keep"] = settings_.ess_keep;
  j["resample_below"] = settings_.resample_below;
  j["tolerance"] = settings_.tolerance;
  j["tolerances"] = settings_.schedule;
  j["min_acceptance"] = settings_.min_acceptance;
  j["max_moves"] = settings_.max_moves;
  j["stay"] = settings_.stay;
  j["kernel_scale"] = settings_.kernel_scale;
  j["seed"] = settings_.seed;
  j["predictive"] = predictive_;
  return json_text(j);
}

std::string Calibration::fingerprint() const {
  return loop_fingerprint(config_text_);
}

std::vector<std::vector<std::vector<double>>> run_points(
    const ScenarioFile& file, const std::vector<VaryAxis>& axes,
    const std::vector<std::vector<std::string>>& points, const std::vector<std::int64_t>& groups,
    int replicates, const std::string& block, const std::vector<Target>& metrics, bool all_series,
    const std::string& dir, const BatchOptions& opt, BatchCounts& counts) {
  using Values = std::vector<std::vector<std::vector<double>>>;
  if (points.empty()) return {};
  std::vector<std::string> columns, keep;
  for (const auto& t : metrics) {
    columns.push_back(t.column());
    if (t.metric.find(':') != std::string::npos) keep.push_back(series_of(t.metric));
  }
  Experiment e;
  e.load_points(file, axes, points, groups, replicates, block);
  SweepOptions so;
  so.out_dir = dir;
  so.threads = opt.threads;
  so.jobs = opt.jobs;
  so.rank = opt.rank;
  so.ranks = opt.ranks;
  so.command_line = opt.command_line;
  so.allow_changed = opt.allow_changed;
  so.finish_run = [&](const PlannedRun&, RunResult& res) {
    for (const auto& t : metrics) res.record.outcomes.emplace_back(t.column(), target_value(res, t));
    if (!all_series) res.recorder->keep_only(keep, false);
  };
  const SweepResult sr = run_sweep(e, so, opt.progress);
  counts.executed += sr.executed;
  counts.skipped += sr.skipped;
  if (sr.failed > 0)
    throw std::runtime_error(std::to_string(sr.failed) + " run(s) of " + dir + " failed (their message: " +
                             "/runs/message of " + sr.file + "); rerun the same command to retry them");
  std::vector<std::string> files;
  if (opt.ranks > 1) {
    mpi_barrier();  // every rank's file is written
    for (int r = 0; r < opt.ranks; ++r)
      files.push_back(
          (fs::path(dir) / ("rank-" + std::to_string(r) + "-of-" + std::to_string(opt.ranks) + ".h5"))
              .string());
  } else {
    files.push_back(sr.file);
  }
  Values out(points.size(), std::vector<std::vector<double>>(static_cast<std::size_t>(replicates),
                                                             std::vector<double>(metrics.size(), NAN)));
  std::size_t found = 0;
  for (const auto& f : files) {
    if (!fs::exists(f)) continue;  // a rank that took no run
    const FileRuns fr = read_runs(f, columns);
    for (std::size_t row = 0; row < fr.index.size(); ++row) {
      const auto idx = fr.index[row];
      if (idx < 0 || static_cast<std::size_t>(idx) >= e.runs().size())
        throw std::runtime_error(f + ": /runs/index " + std::to_string(idx) + " is not a row of its table");
      const PlannedRun& r = e.runs()[static_cast<std::size_t>(idx)];
      if (fr.run_hash[row] != r.id)
        throw std::runtime_error(f + ": run " + fr.run_hash[row] + " is not this table's");
      for (std::size_t t = 0; t < metrics.size(); ++t)
        out[static_cast<std::size_t>(r.point)][static_cast<std::size_t>(r.replicate)][t] = fr.reals[t][row];
      ++found;
    }
  }
  if (found != e.runs().size())
    throw std::runtime_error(dir + ": " + std::to_string(found) + " of " + std::to_string(e.runs().size()) +
                             " runs found in its files");
  return out;
}

CalibrationResult run_calibration(const Calibration& cal, const CalibrationOptions& opt) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const fs::path dir = opt.out_dir;
  claim_directory(dir, "calibration", cal.fingerprint(), cal.path(), cal.settings_json(), opt.allow_changed,
                  opt.batch.rank);

  const auto& priors = cal.priors();
  const auto& targets = cal.targets();
  const abc::Settings& s = cal.settings();
  std::vector<double> observed, se;
  for (const auto& t : targets) {
    observed.push_back(t.observed);
    se.push_back(t.se);
  }
  // The points' axes: the priors' parameters, then run.seed (each proposal's own).
  std::vector<VaryAxis> axes;
  for (const auto& p : priors) {
    VaryAxis a;
    a.key = p.key;
    a.where = p.where;
    a.integer = p.integer;
    axes.push_back(a);
  }
  {
    VaryAxis a;
    a.key = "run.seed";
    a.where = cal.path() + ": the sampler's seed";
    a.integer = true;
    axes.push_back(a);
  }

  CalibrationResult result;
  // One sweep of `values` (per point: each prior's parameter value) at `seeds`, `replicates` each, into
  // DIR/name; the targets' values of every simulation, read back from the sweep's files (so a resumed
  // calibration reads exactly what a fresh one computed). `district_only`: the journals keep the district
  // series the targets read and nothing per community.
  const BatchOptions& bo = opt.batch;
  BatchCounts counts;
  // One batch of points (per point: each prior's parameter value, and its run.seed) into DIR/name.
  auto sweep = [&](const std::string& name, const std::vector<std::vector<double>>& values,
                   const std::vector<std::uint64_t>& seeds, const std::vector<std::int64_t>& groups,
                   int replicates, bool all_series) -> abc::Stats {
    std::vector<std::vector<std::string>> points;
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::vector<std::string> pt;
      for (std::size_t j = 0; j < priors.size(); ++j)
        pt.push_back(priors[j].integer ? std::to_string(static_cast<std::int64_t>(values[i][j]))
                                       : format_real(values[i][j]));
      pt.push_back(std::to_string(seeds[i]));
      points.push_back(std::move(pt));
    }
    return run_points(cal.file(), axes, points, groups, replicates, name, targets, all_series,
                      (dir / name).string(), bo, counts);
  };

  auto simulate = [&](int gen, int move, const std::vector<abc::Proposal>& batch) -> abc::Stats {
    if (batch.empty()) return {};
    char name[48];
    std::snprintf(name, sizeof name, "gen-%03d-move-%02d", gen, move);
    std::vector<std::vector<double>> values;
    std::vector<std::uint64_t> seeds;
    std::vector<std::int64_t> groups;
    for (const auto& p : batch) {
      std::vector<double> x;
      for (std::size_t j = 0; j < priors.size(); ++j) x.push_back(priors[j].value(p.z[j]));
      values.push_back(std::move(x));
      seeds.push_back(p.seed);
      groups.push_back(static_cast<std::int64_t>(p.particle));
    }
    abc::Stats stats = sweep(name, values, seeds, groups, s.replicates, false);
    // A target no simulation of the prior's generation gives (NaN: e.g. a 6-month share in a shorter run)
    // would leave every distance infinite.
    if (gen == 0)
      for (std::size_t t = 0; t < targets.size(); ++t) {
        bool any = false;
        for (const auto& point : stats)
          for (const auto& rep : point) any = any || std::isfinite(rep[t]);
        if (!any)
          throw InputError(
              targets[t].where + ": key '" + targets[t].name + "': '" + targets[t].metric +
              "' is NaN in every simulation of the prior's generation (nothing to fit; is the run " +
              "long enough for it?)");
      }
    return stats;
  };
  auto log_generation = [&](const abc::Generation& g) {
    if (!opt.log || opt.batch.rank != 0) return;
    const abc::Posterior p = abc::summarise(priors, g, false);
    char buf[256];
    std::snprintf(buf, sizeof buf, "generation %d: tolerance %.4g, ESS %.1f%s, %d move(s), acceptance %.3f;",
                  g.index, g.tolerance, g.ess, g.resampled ? " (resampled)" : "", g.moves, g.acceptance);
    std::string line = buf;
    for (std::size_t j = 0; j < priors.size(); ++j) {
      std::snprintf(buf, sizeof buf, " %s %.4g (sd %.3g)", priors[j].key.c_str(), p.mean[j], p.sd[j]);
      line += buf;
    }
    opt.log(line);
  };

  result.generations = abc::run(priors, s, observed, se, simulate, log_generation);
  const abc::Generation& last = result.generations.back();
  result.posterior = abc::summarise(priors, last);

  // Posterior-predictive runs: particles drawn by weight, each simulated once more with a fresh seed.
  std::vector<std::vector<double>> values;
  std::vector<std::uint64_t> seeds;
  if (cal.predictive() > 0) {
    result.predictive_particles = abc::draw_particles(last, cal.predictive(), s.seed);
    std::vector<std::int64_t> groups;
    for (std::size_t k = 0; k < result.predictive_particles.size(); ++k) {
      const std::size_t i = result.predictive_particles[k];
      std::vector<double> x;
      for (std::size_t j = 0; j < priors.size(); ++j) x.push_back(priors[j].value(last.z[i][j]));
      values.push_back(std::move(x));
      seeds.push_back(abc::simulation_seed(s.seed, k, -1, 0));
      groups.push_back(static_cast<std::int64_t>(i));
    }
    result.predictive = sweep("predictive", values, seeds, groups, 1, true);
  }

  if (opt.batch.rank == 0) {
    CalibrationRecord rec;
    rec.command_line = opt.batch.command_line;
    rec.config_text = cal.config_text();
    rec.attributes = {{"fingerprint", cal.fingerprint()},
                      {"settings", cal.settings_json()},
                      {"calibration", fs::absolute(cal.path()).string()},
                      {"predictive_runs", cal.predictive() > 0 ? "predictive/" : ""}};
    for (const auto& p : priors) {
      rec.parameters.push_back(p.key);
      rec.priors.push_back(p.text());
      rec.integer.push_back(p.integer ? 1 : 0);
    }
    for (const auto& t : targets) {
      rec.targets.push_back(t.name);
      rec.metrics.push_back(t.metric);
      rec.first_day.push_back(t.first);
      rec.last_day.push_back(t.last);
      rec.observed.push_back(t.observed);
      rec.se.push_back(t.se);
    }
    rec.particles = s.particles;
    rec.replicates = static_cast<std::size_t>(s.replicates);
    for (const auto& g : result.generations) {
      rec.tolerance.push_back(g.tolerance);
      rec.ess.push_back(g.ess);
      rec.acceptance.push_back(g.acceptance);
      rec.resampled.push_back(g.resampled ? 1 : 0);
      rec.moves.push_back(g.moves);
      rec.proposed.push_back(static_cast<std::int64_t>(g.proposed));
      rec.simulated.push_back(static_cast<std::int64_t>(g.simulated));
      rec.accepted.push_back(static_cast<std::int64_t>(g.accepted));
      for (std::size_t i = 0; i < g.z.size(); ++i) {
        for (std::size_t j = 0; j < priors.size(); ++j) rec.theta.push_back(priors[j].value(g.z[i][j]));
        rec.weight.push_back(g.weight[i]);
        rec.seed.push_back(g.seed[i]);
        for (std::size_t k = 0; k < static_cast<std::size_t>(s.replicates); ++k) {
          rec.distance.push_back(g.distance[i][k]);
          for (std::size_t t = 0; t < targets.size(); ++t) rec.stats.push_back(g.stats[i][k][t]);
        }
      }
    }
    const auto& post = result.posterior;
    rec.mean = post.mean;
    rec.sd = post.sd;
    rec.q025 = post.q025;
    rec.q50 = post.q50;
    rec.q975 = post.q975;
    rec.map = post.map;
    rec.map_particle = static_cast<std::int64_t>(post.map_particle);
    for (const auto& row : post.correlation)
      rec.correlation.insert(rec.correlation.end(), row.begin(), row.end());
    rec.posterior_ess = post.ess;
    for (std::size_t k = 0; k < result.predictive_particles.size(); ++k) {
      rec.predictive_particle.push_back(static_cast<std::int64_t>(result.predictive_particles[k]));
      rec.predictive_seed.push_back(seeds[k]);
      rec.predictive_theta.insert(rec.predictive_theta.end(), values[k].begin(), values[k].end());
      for (std::size_t t = 0; t < targets.size(); ++t)
        rec.predictive_stats.push_back(result.predictive[k][0][t]);
    }
    result.file = (dir / "calibration.h5").string();
    write_calibration(result.file, rec);
  }
  result.executed = counts.executed;
  result.skipped = counts.skipped;
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return result;
}

}  // namespace govsim
