#include "experiment/optimisation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "experiment/loop_support.h"
#include "io/h5_calibration.h"
#include "util/json.h"
#include "util/version.h"

namespace fs = std::filesystem;

namespace govsim {

namespace {

const char* kKeys =
    "population, generations, replicates, seed, crossover_probability, crossover_eta, mutation_probability, "
    "mutation_eta";

std::string value_text(const Decision& d, double x) {
  return d.integer ? std::to_string(static_cast<std::int64_t>(std::llround(x))) : format_real(x);
}

}  // namespace

void Optimisation::load(const std::string& path, const std::vector<std::string>& overrides) {
  *this = Optimisation();
  path_ = path;
  std::vector<SectionLine> sets;
  std::vector<std::string> param_sets;
  split_overrides(overrides, "optimise", sets, param_sets);
  file_ = read_scenario(path, param_sets);
  if (file_.has_section("experiment") || file_.has_section("vary") || file_.is_calibration())
    throw InputError(path +
                     ": an optimisation file has no [experiment], [vary], [calibration], [priors] or "
                     "[targets] (the decisions are what varies)");
  if (!file_.arms.empty())
    throw InputError(file_.arms.front().where +
                     ": an optimisation searches one configuration's decisions; [arms] "
                     "is not allowed");
  if (!file_.has_section("decisions") || !file_.has_section("objectives"))
    throw InputError(path +
                     ": an optimisation file needs [decisions] and [objectives] (docs/CALIBRATION.md)");
  const Scenario& base = file_.base;
  settings_.seed = static_cast<std::uint64_t>(base.params.run.seed);
  replicates_ = static_cast<int>(base.params.run.replicates);

  auto lines = file_.lines("optimise");
  lines.insert(lines.end(), sets.begin(), sets.end());
  const std::string sec = "optimise";
  for (const auto& l : merged_lines(lines, sec)) {
    const std::string& k = l.name;
    if (k == "population") {
      settings_.population =
          static_cast<std::size_t>(int_setting(sec, l, 4, 100000, "an even integer in [4, 100000]"));
      if (settings_.population % 2 != 0)
        throw InputError(l.where +
                         ": key 'optimise.population': expected an even integer in [4, 100000], got '" +
                         l.value + "'");
    } else if (k == "generations") {
      settings_.generations = static_cast<int>(int_setting(sec, l, 0, 100000, "an integer in [0, 100000]"));
    } else if (k == "replicates") {
      replicates_ = static_cast<int>(int_setting(sec, l, 1, 1000, "an integer in [1, 1000]"));
    } else if (k == "seed") {
      settings_.seed = static_cast<std::uint64_t>(int_setting(sec, l, 0, INT64_MAX, "an integer >= 0"));
    } else if (k == "crossover_probability") {
      settings_.crossover_probability = real_setting(sec, l, 0, 1, false, false, "a number in [0, 1]");
    } else if (k == "crossover_eta") {
      settings_.crossover_eta = real_setting(sec, l, 0, 1000, false, false, "a number in [0, 1000]");
    } else if (k == "mutation_probability") {
      settings_.mutation_probability = real_setting(sec, l, 0, 1, false, false, "a number in [0, 1]");
    } else if (k == "mutation_eta") {
      settings_.mutation_eta = real_setting(sec, l, 0, 1000, false, false, "a number in [0, 1000]");
    } else {
      throw InputError(l.where + ": unknown key 'optimise." + k + "' (known: " + kKeys + ")");
    }
  }

  // [decisions]: `key = [lo, hi]`, a numeric parameter other than run.*, both ends within its range.
  for (const auto& l : merged_lines(file_.lines("decisions"), "decisions")) {
    const ParamSpec* spec = base.registry().find(l.name);
    const std::string head = l.where + ": key '" + l.name + "': ";
    if (!spec)
      throw InputError(l.where + ": unknown key '" + l.name +
                       "' in [decisions] (govsim describe lists the keys)");
    if (l.name.rfind("run.", 0) == 0) throw InputError(head + "run.* cannot be a decision");
    if (spec->type != ParamType::kInt && spec->type != ParamType::kReal)
      throw InputError(head + "a decision needs a numeric parameter; this one is " + type_name(spec->type));
    const auto& v = l.value;
    const auto parts =
        split_list(v.size() > 1 && v.front() == '[' && v.back() == ']' ? v.substr(1, v.size() - 2) : "");
    if (parts.size() != 2) throw InputError(head + "expected bounds [lo, hi], got '" + v + "'");
    Decision d;
    d.key = l.name;
    d.where = l.where;
    d.integer = spec->type == ParamType::kInt;
    try {
      d.lo = parse_real(parts[0]);
      d.hi = parse_real(parts[1]);
    } catch (const std::invalid_argument&) {
      throw InputError(head + "bounds [" + parts[0] + ", " + parts[1] + "] must be numbers");
    }
    if (!(d.lo < d.hi)) throw InputError(head + "bounds [lo, hi] need lo < hi, got '" + v + "'");
    if (d.integer && std::ceil(d.lo) > std::floor(d.hi))
      throw InputError(head + "an integer parameter needs a whole number within its bounds, got '" + v + "'");
    if (d.lo < spec->min || d.hi > spec->max)
      throw InputError(head + "bounds " + v + " reach outside the parameter's range [" +
                       format_real(spec->min) + ", " + format_real(spec->max) + "]");
    decisions_.push_back(d);
  }
  if (decisions_.empty()) throw InputError(path + ": [decisions] is empty: nothing to choose");

  // [objectives]: `name = minimise|maximise METRIC [over FIRST-LAST]`.
  std::vector<Target> metrics;
  for (const auto& l : merged_lines(file_.lines("objectives"), "objectives")) {
    const std::string text = trim(l.value);
    const auto sp = text.find(' ');
    const std::string sense = text.substr(0, sp);
    if (sense != "minimise" && sense != "maximise" && sense != "minimize" && sense != "maximize")
      throw InputError(l.where + ": key '" + l.name +
                       "': expected 'minimise METRIC' or 'maximise METRIC', got '" + text + "'");
    Objective o;
    o.maximise = sense[3] == 'i' && sense[1] == 'a';
    o.metric = parse_metric(l.name, sp == std::string::npos ? "" : text.substr(sp + 1), l.where);
    objectives_.push_back(o);
    metrics.push_back(o.metric);
  }
  if (objectives_.empty()) throw InputError(path + ": [objectives] is empty: nothing to optimise");

  // [constraints]: `name = METRIC [over FIRST-LAST] <= VALUE` or `>= VALUE`.
  for (const auto& l : merged_lines(file_.lines("constraints"), "constraints")) {
    const auto le = l.value.find("<="), ge = l.value.find(">=");
    if ((le == std::string::npos) == (ge == std::string::npos))
      throw InputError(l.where + ": key '" + l.name +
                       "': expected 'METRIC [over FIRST-LAST] <= VALUE' or '>= VALUE', "
                       "got '" +
                       l.value + "'");
    const auto at = le != std::string::npos ? le : ge;
    Constraint c;
    c.at_most = le != std::string::npos;
    c.metric = parse_metric(l.name, l.value.substr(0, at), l.where);
    try {
      c.bound = parse_real(trim(l.value.substr(at + 2)));
    } catch (const std::invalid_argument&) {
      throw InputError(l.where + ": key '" + l.name + "': the bound must be a number, got '" +
                       trim(l.value.substr(at + 2)) + "'");
    }
    constraints_.push_back(c);
    metrics.push_back(c.metric);
  }
  std::set<std::string> names;
  for (const auto& m : metrics)
    if (!names.insert(m.name).second)
      throw InputError(m.where + ": key '" + m.name + "': an objective and a constraint share this name");
  check_metrics(base, metrics);

  config_text_ =
      base.registry().to_ini() + "\n[optimise]\npopulation = " + std::to_string(settings_.population) +
      "\ngenerations = " + std::to_string(settings_.generations) +
      "\nreplicates = " + std::to_string(replicates_) + "\nseed = " + std::to_string(settings_.seed) +
      "\ncrossover_probability = " + format_real(settings_.crossover_probability) +
      "\ncrossover_eta = " + format_real(settings_.crossover_eta) +
      "\nmutation_probability = " + format_real(settings_.mutation_probability) +
      "\nmutation_eta = " + format_real(settings_.mutation_eta) + "\n\n[decisions]\n";
  for (const auto& d : decisions_)
    config_text_ += d.key + " = [" + format_real(d.lo) + ", " + format_real(d.hi) + "]\n";
  auto window = [](const Target& t) {
    return t.first >= 0 ? " over " + std::to_string(t.first) + "-" + std::to_string(t.last) : std::string();
  };
  config_text_ += "\n[objectives]\n";
  for (const auto& o : objectives_)
    config_text_ += o.metric.name + " = " + (o.maximise ? "maximise " : "minimise ") + o.metric.metric +
                    window(o.metric) + "\n";
  if (!constraints_.empty()) {
    config_text_ += "\n[constraints]\n";
    for (const auto& c : constraints_)
      config_text_ += c.metric.name + " = " + c.metric.metric + window(c.metric) +
                      (c.at_most ? " <= " : " >= ") + format_real(c.bound) + "\n";
  }
}

std::string Optimisation::settings_json() const {
  Json j;
  j["population"] = settings_.population;
  j["generations"] = settings_.generations;
  j["replicates"] = replicates_;
  j["seed"] = settings_.seed;
  j["crossover_probability"] = settings_.crossover_probability;
  j["crossover_eta"] = settings_.crossover_eta;
  j["mutation_probability"] = settings_.mutation_probability;
  j["mutation_eta"] = settings_.mutation_eta;
  return json_text(j);
}

std::string Optimisation::fingerprint() const {
  return loop_fingerprint(config_text_);
}

OptimisationResult run_optimisation(const Optimisation& op, const OptimisationOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path dir = o.out_dir;
  claim_directory(dir, "optimisation", op.fingerprint(), op.path(), op.settings_json(), o.allow_changed,
                  o.batch.rank);
  const auto& ds = op.decisions();
  const auto& obj = op.objectives();
  const auto& con = op.constraints();
  std::vector<Target> metrics;
  for (const auto& x : obj) metrics.push_back(x.metric);
  for (const auto& c : con) metrics.push_back(c.metric);
  std::vector<VaryAxis> axes;
  std::vector<nsga2::Variable> vars;
  for (const auto& d : ds) {
    VaryAxis a;
    a.key = d.key;
    a.where = d.where;
    a.integer = d.integer;
    axes.push_back(a);
    vars.push_back({d.lo, d.hi, d.integer});
  }

  OptimisationResult res;
  // A generation: one sweep; each candidate's objectives (means over its replicates, negated where maximised)
  // and its total constraint violation (each constraint's shortfall relative to its bound's size).
  auto evaluate = [&](int g, const std::vector<std::vector<double>>& xs) {
    std::vector<std::vector<std::string>> points;
    std::vector<std::int64_t> groups;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      std::vector<std::string> pt;
      for (std::size_t j = 0; j < ds.size(); ++j) pt.push_back(value_text(ds[j], xs[i][j]));
      points.push_back(std::move(pt));
      groups.push_back(static_cast<std::int64_t>(i));
    }
    char name[32];
    std::snprintf(name, sizeof name, "gen-%03d", g);
    const auto values = run_points(op.file(), axes, points, groups, op.replicates(), name, metrics, false,
                                   (dir / name).string(), o.batch, res.counts);
    std::vector<nsga2::Evaluation> out;
    std::vector<std::vector<double>> objv, conv;
    for (const auto& runs : values) {
      std::vector<double> mean(metrics.size(), 0.0);
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        for (const auto& r : runs) mean[m] += r[m];  // NaN stays NaN: the worst objective
        mean[m] /= static_cast<double>(runs.size());
      }
      nsga2::Evaluation e;
      for (std::size_t k = 0; k < obj.size(); ++k)
        e.objectives.push_back(obj[k].maximise ? -mean[k] : mean[k]);
      for (std::size_t c = 0; c < con.size(); ++c) {
        const double v = mean[obj.size() + c];
        const double gap = con[c].at_most ? v - con[c].bound : con[c].bound - v;
        const double scale = std::abs(con[c].bound) > 0 ? std::abs(con[c].bound) : 1.0;
        e.violation += std::isnan(v) ? INFINITY : std::max(0.0, gap) / scale;
      }
      out.push_back(e);
      objv.emplace_back(mean.begin(), mean.begin() + static_cast<std::ptrdiff_t>(obj.size()));
      conv.emplace_back(mean.begin() + static_cast<std::ptrdiff_t>(obj.size()), mean.end());
    }
    res.objectives.push_back(objv);
    res.constraint_values.push_back(conv);
    return out;
  };

  // The values of the survivors: the parents' and the offspring's evaluations, matched by decisions.
  // Equal decisions give equal values (the same runs, under common random numbers), so decisions key them.
  std::map<std::vector<double>, std::pair<std::vector<double>, std::vector<double>>> pool;
  std::vector<std::vector<std::vector<double>>> surv_obj, surv_con;
  auto done = [&](const nsga2::Population& p) {
    std::vector<std::vector<double>> so, sc;
    for (const auto& x : p.x) {
      const auto& v = pool.at(x);
      so.push_back(v.first);
      sc.push_back(v.second);
    }
    surv_obj.push_back(so);
    surv_con.push_back(sc);
    if (o.log && o.batch.rank == 0) {
      std::size_t front = 0, feasible = 0;
      for (std::size_t i = 0; i < p.x.size(); ++i) {
        front += p.rank[i] == 0 ? 1 : 0;
        feasible += p.f[i].violation == 0 ? 1 : 0;
      }
      char buf[160];
      std::snprintf(buf, sizeof buf, "generation %d: %zu on the front, %zu feasible of %zu;", p.generation,
                    front, feasible, p.x.size());
      std::string line = buf;
      for (std::size_t k = 0; k < obj.size(); ++k) {
        double best = obj[k].maximise ? -INFINITY : INFINITY;
        for (const auto& v : so)
          if (std::isfinite(v[k])) best = obj[k].maximise ? std::max(best, v[k]) : std::min(best, v[k]);
        std::snprintf(buf, sizeof buf, " best %s %.4g", obj[k].metric.name.c_str(), best);
        line += buf;
      }
      o.log(line);
    }
  };
  // Every evaluated candidate's values enter the pool as their generation is evaluated.
  auto evaluate_and_pool = [&](int g, const std::vector<std::vector<double>>& xs) {
    auto out = evaluate(g, xs);
    const auto& ov = res.objectives.back();
    const auto& cv = res.constraint_values.back();
    for (std::size_t i = 0; i < xs.size(); ++i) pool.emplace(xs[i], std::make_pair(ov[i], cv[i]));
    return out;
  };
  res.generations = nsga2::run(vars, op.settings(), evaluate_and_pool, done);
  res.objectives = surv_obj;
  res.constraint_values = surv_con;

  // The front: the last generation's rank-0 candidates, each distinct decision once.
  const auto& last = res.generations.back();
  std::set<std::vector<double>> seen;
  for (std::size_t i = 0; i < last.x.size(); ++i)
    if (last.rank[i] == 0 && seen.insert(last.x[i]).second) res.front.push_back(i);

  if (o.batch.rank == 0) {
    OptimisationRecord rec;
    rec.command_line = o.batch.command_line;
    rec.config_text = op.config_text();
    rec.attributes = {{"fingerprint", op.fingerprint()},
                      {"settings", op.settings_json()},
                      {"optimisation", fs::absolute(op.path()).string()}};
    for (const auto& d : ds) {
      rec.decisions.push_back(d.key);
      rec.lo.push_back(d.lo);
      rec.hi.push_back(d.hi);
      rec.integer.push_back(d.integer ? 1 : 0);
    }
    auto window = [](const Target& t, std::vector<std::int64_t>& first, std::vector<std::int64_t>& lastd) {
      first.push_back(t.first);
      lastd.push_back(t.last);
    };
    for (const auto& x : obj) {
      rec.objectives.push_back(x.metric.name);
      rec.objective_metrics.push_back(x.metric.metric);
      rec.senses.push_back(x.maximise ? "maximise" : "minimise");
      window(x.metric, rec.objective_first, rec.objective_last);
    }
    for (const auto& c : con) {
      rec.constraints.push_back(c.metric.name);
      rec.constraint_metrics.push_back(c.metric.metric);
      rec.constraint_ops.push_back(c.at_most ? "<=" : ">=");
      rec.bounds.push_back(c.bound);
      window(c.metric, rec.constraint_first, rec.constraint_last);
    }
    rec.population = last.x.size();
    for (std::size_t g = 0; g < res.generations.size(); ++g) {
      const auto& p = res.generations[g];
      for (std::size_t i = 0; i < p.x.size(); ++i) {
        rec.x.insert(rec.x.end(), p.x[i].begin(), p.x[i].end());
        rec.objective_values.insert(rec.objective_values.end(), res.objectives[g][i].begin(),
                                    res.objectives[g][i].end());
        rec.constraint_values.insert(rec.constraint_values.end(), res.constraint_values[g][i].begin(),
                                     res.constraint_values[g][i].end());
        rec.violation.push_back(p.f[i].violation);
        rec.rank.push_back(p.rank[i]);
        rec.crowding.push_back(p.crowding[i]);
      }
    }
    rec.generations = res.generations.size();
    for (std::size_t i : res.front) rec.front.push_back(static_cast<std::int64_t>(i));
    res.file = (dir / "optimisation.h5").string();
    write_optimisation(res.file, rec);
  }
  res.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace govsim
