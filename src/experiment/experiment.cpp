#include "experiment/experiment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/rng.h"
#include "experiment/design.h"
#include "util/json.h"
#include "util/text.h"
#include "util/version.h"

namespace govsim {

namespace {

const char* kDesigns[] = {"factorial", "lhs", "sobol", "saltelli", "morris"};
constexpr double kMaxRuns = 1e7;             // a table this large is a typo, not a plan
constexpr std::int64_t kMaxLevels = 100000;  // per axis

// FNV-1a 64 over text, finished with splitmix64's mixer so that nearby inputs spread over all 64 bits.
struct Hash {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void add(const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ull;
    }
  }
  std::string hex() const {
    std::uint64_t z = h;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(z));
    return buf;
  }
};

// Parameters that do not change what a run computes: the number of replicates (each run knows its own).
bool outside_run(const std::string& key) {
  return key == "run.replicates";
}

// The hash of a configuration's parameter values (one text per registry spec, in declaration order);
// run_id() adds the seed, replicate and code version.
Hash params_hash(const std::vector<ParamSpec>& specs, const std::vector<std::string>& values) {
  Hash h;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (outside_run(specs[i].key)) continue;
    h.add(specs[i].key);
    h.add("=");
    h.add(values[i]);
    h.add("\n");
  }
  return h;
}

std::vector<std::string> resolved_values(const Scenario& cfg) {
  std::vector<std::string> v;
  v.reserve(cfg.registry().specs().size());
  for (const auto& s : cfg.registry().specs()) v.push_back(s.get());
  return v;
}

std::string finish_id(Hash h, std::uint64_t seed, std::int64_t replicate) {
  h.add("seed=" + std::to_string(seed) + "\nreplicate=" + std::to_string(replicate) +
        "\nversion=" + govsim_version() + "\nrevision=" + git_revision() + "\n");
  return h.hex();
}

Hash with_row(Hash h, std::int64_t point, const std::string& block, std::int64_t group) {
  if (point >= 0)
    h.add("point=" + std::to_string(point) + "\nblock=" + block + "\ngroup=" + std::to_string(group) + "\n");
  return h;
}

// `a, "b, c", d`: comma-separated levels; double quotes keep commas (and an empty level, "").
std::vector<std::string> split_levels(const std::string& text, const std::string& where,
                                      const std::string& key) {
  std::vector<std::string> out;
  std::string item;
  bool quoted = false, was_quoted = false;
  for (char c : text) {
    if (c == '"') {
      if (!quoted && !was_quoted) item = trim(item);  // space before the opening quote is not part of it
      quoted = !quoted;
      was_quoted = true;
    } else if (c == ',' && !quoted) {
      const std::string t = was_quoted ? item : trim(item);
      if (t.empty() && !was_quoted)
        throw InputError(where + ": key '" + key + "': empty level in '" + text + "'");
      out.push_back(t);
      item.clear();
      was_quoted = false;
    } else if (!(was_quoted && !quoted && (c == ' ' || c == '\t'))) {
      item += c;
    }
  }
  if (quoted) throw InputError(where + ": key '" + key + "': unbalanced quote in '" + text + "'");
  const std::string t = was_quoted ? item : trim(item);
  if (t.empty() && !was_quoted)
    throw InputError(where + ": key '" + key + "': empty level in '" + text + "'");
  out.push_back(t);
  return out;
}

// A level as [vary] text: quoted when it has a comma, a quote or is empty.
std::string level_text(const std::string& v) {
  if (!v.empty() && v.find_first_of(",\"") == std::string::npos && trim(v) == v) return v;
  return "\"" + v + "\"";
}

// Range values computed as start + i*step, printed without the binary noise (0.1:0.3:0.1 gives 0.3, not
// 0.30000000000000004): 15 significant digits, then the registry's shortest form.
std::string clean_real(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return format_real(parse_real(buf));
}

VaryAxis parse_axis(const SectionLine& line, Scenario& scratch) {
  VaryAxis axis;
  axis.key = line.name;
  axis.where = line.where;
  const std::string& w = line.where;
  const std::string k = "key '" + line.name + "': ";
  const ParamSpec* spec = scratch.registry().find(line.name);
  if (!spec)
    throw InputError(w + ": unknown key '" + line.name +
                     "' in [vary] (govsim describe lists the known keys)");
  const bool numeric = spec->type == ParamType::kInt || spec->type == ParamType::kReal;
  axis.integer = spec->type == ParamType::kInt;
  const std::string& v = line.value;
  auto set = [&](const std::string& text) {
    scratch.registry().set(axis.key, text, w);
    return spec->get();
  };
  if (v.empty()) throw InputError(w + ": " + k + "no levels (give a, b, c or start:stop:step or [lo, hi])");
  if (v.front() == '[') {  // bounds, sampled by the design
    const auto parts = split_list(v.back() == ']' ? v.substr(1, v.size() - 2) : "");
    if (v.back() != ']' || parts.size() != 2)
      throw InputError(w + ": " + k + "expected bounds [lo, hi], got '" + v + "'");
    if (!numeric)
      throw InputError(w + ": " + k + "bounds need a numeric parameter; this one is " +
                       type_name(spec->type) + " (give its levels: a, b, c)");
    try {
      if (axis.integer) {
        axis.lo = static_cast<double>(parse_int(parts[0]));
        axis.hi = static_cast<double>(parse_int(parts[1]));
      } else {
        axis.lo = parse_real(parts[0]);
        axis.hi = parse_real(parts[1]);
      }
    } catch (const std::invalid_argument&) {
      throw InputError(w + ": " + k + "bounds [" + parts[0] + ", " + parts[1] + "] must be " +
                       (axis.integer ? "integers" : "numbers"));
    }
    if (!(axis.lo < axis.hi))
      throw InputError(w + ": " + k + "bounds [lo, hi] need lo < hi, got '" + v + "'");
    set(parts[0]);  // both ends within the parameter's range
    set(parts[1]);
    axis.sampled = true;
    return axis;
  }
  std::vector<std::string> texts;
  if (numeric && std::count(v.begin(), v.end(), ':') == 2 && v.find(',') == std::string::npos) {
    const auto c1 = v.find(':'), c2 = v.rfind(':');
    const std::string a = trim(v.substr(0, c1)), b = trim(v.substr(c1 + 1, c2 - c1 - 1)),
                      s = trim(v.substr(c2 + 1));
    const std::string bad = w + ": " + k + "bad range '" + v + "': ";
    if (axis.integer) {
      std::int64_t start = 0, stop = 0, step = 0;
      try {
        start = parse_int(a);
        stop = parse_int(b);
        step = parse_int(s);
      } catch (const std::invalid_argument&) {
        throw InputError(bad + "an integer parameter needs integer start:stop:step");
      }
      if (step <= 0) throw InputError(bad + "step must be > 0");
      if (stop < start) throw InputError(bad + "stop is below start");
      // Counted in unsigned arithmetic (stop - start can exceed INT64_MAX); no level is computed past stop.
      const std::uint64_t n = (static_cast<std::uint64_t>(stop) - static_cast<std::uint64_t>(start)) /
                              static_cast<std::uint64_t>(step);
      if (n + 1 > static_cast<std::uint64_t>(kMaxLevels) || n + 1 == 0)
        throw InputError(bad + "more than 100000 levels");
      for (std::uint64_t i = 0; i <= n; ++i)
        texts.push_back(std::to_string(
            static_cast<std::int64_t>(static_cast<std::uint64_t>(start) + i * static_cast<std::uint64_t>(step))));
    } else {
      double start = 0, stop = 0, step = 0;
      try {
        start = parse_real(a);
        stop = parse_real(b);
        step = parse_real(s);
      } catch (const std::invalid_argument&) {
        throw InputError(bad + "expected start:stop:step with numbers");
      }
      if (!(step > 0)) throw InputError(bad + "step must be > 0");
      if (stop < start) throw InputError(bad + "stop is below start");
      // stop is included when it lies within 1e-9 steps of the grid
      const double n = std::floor((stop - start) / step + 1e-9);
      if (n + 1 > kMaxLevels) throw InputError(bad + "more than 100000 levels");
      for (std::int64_t i = 0; i <= static_cast<std::int64_t>(n); ++i)
        texts.push_back(clean_real(start + static_cast<double>(i) * step));
    }
  } else {
    texts = split_levels(v, w, axis.key);
  }
  for (const auto& t : texts) {
    const std::string level = set(t);  // the parameter's own text: "1e2" reads back as "100"
    if (std::find(axis.levels.begin(), axis.levels.end(), level) != axis.levels.end())
      throw InputError(w + ": " + k + "level '" + level + "' given twice");
    axis.levels.push_back(level);
  }
  return axis;
}

// A sampled coordinate u in [0,1] mapped into an axis's bounds, as parameter text.
std::string sampled_text(const VaryAxis& axis, double u) {
  double v = u >= 1.0 ? axis.hi : axis.lo + u * (axis.hi - axis.lo);
  v = std::clamp(v, axis.lo, axis.hi);
  if (axis.integer) return std::to_string(static_cast<std::int64_t>(std::llround(v)));
  return format_real(v);
}

}  // namespace

std::string hash_hex(const std::string& text) {
  Hash h;
  h.add(text);
  return h.hex();
}

std::string run_id(const Scenario& cfg, std::uint64_t seed, std::int64_t replicate, std::int64_t point,
                   const std::string& block, std::int64_t group) {
  return finish_id(with_row(params_hash(cfg.registry().specs(), resolved_values(cfg)), point, block, group),
                   seed, replicate);
}

void Experiment::load(const std::string& path, const std::vector<std::string>& overrides) {
  *this = Experiment();
  path_ = path;
  // `--set experiment.KEY=VALUE` changes the [experiment] section; every other override is a parameter.
  std::vector<std::pair<std::string, std::string>> exp_sets;
  std::vector<std::string> param_sets;
  for (const auto& kv : overrides) {
    const auto eq = kv.find('=');
    if (kv.rfind("experiment.", 0) == 0 && eq != std::string::npos)
      exp_sets.emplace_back(trim(kv.substr(11, eq - 11)), trim(kv.substr(eq + 1)));
    else
      param_sets.push_back(kv);
  }
  const ScenarioFile file = read_scenario(path, param_sets);
  const Scenario& base = file.base;
  if (file.is_calibration())
    throw InputError(path +
                     ": this is a calibration file ([calibration]/[priors]/[targets]); run it with govsim "
                     "calibrate");
  if (file.is_optimisation())
    throw InputError(
        path +
        ": this is an optimisation file ([optimise]/[decisions]/[objectives]/[constraints]); run it "
        "with govsim optimise");

  // [experiment]: a key given twice in one file is an error; across included files the last wins (in the
  // place of the first, so that the first bad line in reading order is the one reported).
  struct Given {
    std::string name, value, where, file;
  };
  std::vector<Given> given;
  auto find_given = [&](const std::string& name) {
    return std::find_if(given.begin(), given.end(), [&](const Given& g) { return g.name == name; });
  };
  auto give = [&](Given g) {
    const auto it = find_given(g.name);
    if (it == given.end()) {
      given.push_back(std::move(g));
      return;
    }
    if (!g.file.empty() && it->file == g.file)
      throw InputError(g.where + ": key 'experiment." + g.name + "': given twice (first at " + it->where +
                       ")");
    *it = std::move(g);
  };
  for (const auto& l : file.lines("experiment")) give({l.name, l.value, l.where, l.file});
  for (const auto& [name, value] : exp_sets) give({name, value, "command line", ""});
  auto where_of = [&](const std::string& name) {
    const auto it = find_given(name);
    return it == given.end() ? path : it->where;
  };
  auto int_value = [&](const std::string& name, std::int64_t lo, std::int64_t hi, const char* what) {
    const Given& g = *find_given(name);
    std::int64_t v = 0;
    try {
      v = parse_int(g.value);
    } catch (const std::invalid_argument&) {
      v = lo - 1;
    }
    if (v < lo || v > hi)
      throw InputError(g.where + ": key 'experiment." + name + "': expected " + what + ", got '" + g.value +
                       "'");
    return v;
  };
  replicates_ = base.params.run.replicates;
  bool have_samples = false, have_levels = false;
  for (const auto& g : given) {
    const std::string& name = g.name;
    if (name == "design") {
      if (std::find(std::begin(kDesigns), std::end(kDesigns), g.value) == std::end(kDesigns))
        throw InputError(g.where + ": key 'experiment.design': '" + g.value +
                         "' is not one of factorial, lhs, sobol, saltelli, morris");
      design_ = g.value;
    } else if (name == "samples") {
      samples_ = int_value(name, 1, 100000000, "a positive integer");
      have_samples = true;
    } else if (name == "design_seed") {
      design_seed_ = static_cast<std::uint64_t>(int_value(name, 0, INT64_MAX, "an integer >= 0"));
    } else if (name == "replicates") {
      replicates_ = int_value(name, 1, 100000, "an integer in [1, 100000]");
    } else if (name == "levels") {
      morris_levels_ = static_cast<int>(int_value(name, 2, 1000, "an even integer in [2, 1000]"));
      if (morris_levels_ % 2 != 0)
        throw InputError(g.where + ": key 'experiment.levels': expected an even integer in [2, 1000], got '" +
                         g.value + "' (the Morris step is levels/(2(levels-1)))");
      have_levels = true;
    } else {
      throw InputError(g.where + ": unknown key 'experiment." + name +
                       "' (known: design, samples, design_seed, replicates, levels)");
    }
  }

  // [vary]: one axis per key, in file order; a later file's line for the same key replaces it in place.
  {
    Scenario scratch;
    for (const auto& l : file.lines("vary")) {
      VaryAxis axis = parse_axis(l, scratch);
      auto it =
          std::find_if(axes_.begin(), axes_.end(), [&](const VaryAxis& a) { return a.key == axis.key; });
      if (it == axes_.end()) {
        axes_.push_back(std::move(axis));
        continue;
      }
      if (it->where.substr(0, it->where.rfind(':')) == l.file)
        throw InputError(l.where + ": key '" + l.name + "': given twice in [vary] (first at " + it->where +
                         ")");
      *it = std::move(axis);
    }
  }
  std::vector<std::size_t> sampled_axes, level_axes, level_sizes;
  for (std::size_t i = 0; i < axes_.size(); ++i) {
    if (axes_[i].sampled) {
      sampled_axes.push_back(i);
    } else {
      level_axes.push_back(i);
      level_sizes.push_back(axes_[i].levels.size());
    }
  }
  const std::string dw = where_of("design");
  const std::string dk = dw + ": key 'experiment.design': ";
  const std::size_t d = sampled_axes.size();
  if (design_ == "factorial") {
    if (have_samples)
      throw InputError(
          where_of("samples") +
          ": key 'experiment.samples': the factorial design takes no samples (it crosses the [vary] "
          "levels; a sampled design is lhs, sobol, saltelli or morris)");
    if (d > 0)
      throw InputError(
          axes_[sampled_axes[0]].where + ": key '" + axes_[sampled_axes[0]].key +
          "': bounds [lo, hi] need a sampled design (experiment.design = lhs, sobol, saltelli or "
          "morris); the factorial design takes levels");
  } else {
    if (!have_samples)
      throw InputError(dk + "design " + design_ + " needs experiment.samples > 0 (" +
                       (design_ == "saltelli" ? "base points N"
                        : design_ == "morris" ? "trajectories"
                                              : "points") +
                       ")");
    if (d == 0)
      throw InputError(dk + "design " + design_ + " needs at least one [vary] axis with bounds [lo, hi]");
    if (design_ == "sobol" && d > design::sobol_max_dims())
      throw InputError(dk + "sobol supports at most " + std::to_string(design::sobol_max_dims()) +
                       " bounds axes");
    if (design_ == "saltelli" && 2 * d > design::sobol_max_dims())
      throw InputError(dk + "saltelli supports at most " + std::to_string(design::sobol_max_dims() / 2) +
                       " bounds axes");
  }
  if (have_levels && design_ != "morris")
    throw InputError(where_of("levels") +
                     ": key 'experiment.levels': only the morris design has grid levels");

  // The table's size before anything is built: a typo like samples = 100000000 is refused, not allocated.
  {
    double rows_planned = 1;
    if (design_ == "lhs" || design_ == "sobol") rows_planned = static_cast<double>(samples_);
    if (design_ == "saltelli") rows_planned = static_cast<double>(samples_) * static_cast<double>(d + 2);
    if (design_ == "morris") rows_planned = static_cast<double>(samples_) * static_cast<double>(d + 1);
    double tuples_planned = 1;
    for (std::size_t n : level_sizes) tuples_planned *= static_cast<double>(n);
    const double arms_planned = static_cast<double>(std::max<std::size_t>(1, file.arms.size()));
    const double total_planned =
        rows_planned * tuples_planned * arms_planned * static_cast<double>(replicates_);
    if (total_planned > kMaxRuns)
      throw InputError(path + ": " + format_real(total_planned) +
                       " runs (points x arms x replicates) is more than 10,000,000");
  }

  // Design rows over the bounds axes, then crossed with the levels axes: point = row * F + tuple.
  std::vector<design::SampleRow> rows;
  const auto n = static_cast<std::size_t>(samples_);
  if (design_ == "factorial") {
    rows.push_back({{}, "", 0});
  } else if (design_ == "lhs" || design_ == "sobol") {
    const auto u = design_ == "lhs" ? design::latin_hypercube(n, d, design_seed_) : design::sobol(n, d, 0);
    for (std::size_t i = 0; i < u.size(); ++i) rows.push_back({u[i], "", static_cast<std::int64_t>(i)});
  } else if (design_ == "saltelli") {
    rows = design::saltelli(n, d);
  } else {
    rows = design::morris(n, d, morris_levels_, design_seed_);
  }
  const auto tuples = design::factorial(level_sizes);
  const auto F = static_cast<std::int64_t>(tuples.size());
  points_ = static_cast<std::int64_t>(rows.size()) * F;

  point_values_.clear();
  point_values_.reserve(static_cast<std::size_t>(points_));
  std::vector<std::int64_t> groups;
  std::vector<std::string> blocks;
  for (std::size_t s = 0; s < rows.size(); ++s)
    for (std::int64_t f = 0; f < F; ++f) {
      std::vector<std::pair<std::string, std::string>> values(axes_.size());
      for (std::size_t j = 0; j < d; ++j) {
        const VaryAxis& a = axes_[sampled_axes[j]];
        values[sampled_axes[j]] = {a.key, sampled_text(a, rows[s].u[j])};
      }
      for (std::size_t j = 0; j < level_axes.size(); ++j) {
        const VaryAxis& a = axes_[level_axes[j]];
        values[level_axes[j]] = {a.key, a.levels[tuples[static_cast<std::size_t>(f)][j]]};
      }
      point_values_.push_back(std::move(values));
      blocks.push_back(rows[s].block);
      groups.push_back(rows[s].group * F + f);
    }

  build_table(base, file.arms, blocks, groups);

  // Provenance: the resolved base scenario, then the sections that make it an experiment.
  config_text_ = base.registry().to_ini() + arms_text(arms_);
  config_text_ += "\n[experiment]\ndesign = " + design_ + "\n";
  if (design_ != "factorial") config_text_ += "samples = " + std::to_string(samples_) + "\n";
  if (design_ == "lhs" || design_ == "morris")
    config_text_ += "design_seed = " + std::to_string(design_seed_) + "\n";
  if (design_ == "morris") config_text_ += "levels = " + std::to_string(morris_levels_) + "\n";
  config_text_ += "replicates = " + std::to_string(replicates_) + "\n";
  if (!axes_.empty()) {
    config_text_ += "\n[vary]\n";
    for (const auto& a : axes_) {
      config_text_ += a.key + " = ";
      if (a.sampled) {
        config_text_ += "[" + format_real(a.lo) + ", " + format_real(a.hi) + "]";
      } else {
        for (std::size_t i = 0; i < a.levels.size(); ++i)
          config_text_ += (i ? ", " : "") + level_text(a.levels[i]);
      }
      config_text_ += "\n";
    }
  }
}

void Experiment::load_points(const ScenarioFile& file, std::vector<VaryAxis> axes,
                             std::vector<std::vector<std::string>> points,
                             const std::vector<std::int64_t>& groups, std::int64_t replicates,
                             const std::string& block) {
  *this = Experiment();
  path_ = file.path;
  design_ = "given";
  replicates_ = replicates;
  axes_ = std::move(axes);
  points_ = static_cast<std::int64_t>(points.size());
  samples_ = points_;
  for (auto& pt : points) {
    std::vector<std::pair<std::string, std::string>> values;
    for (std::size_t i = 0; i < axes_.size(); ++i) values.emplace_back(axes_[i].key, std::move(pt.at(i)));
    point_values_.push_back(std::move(values));
  }
  build_table(file.base, file.arms, std::vector<std::string>(points.size(), block), groups);
  config_text_ = file.base.registry().to_ini() + arms_text(arms_);
  config_text_ += "\n[experiment]\ndesign = given\nreplicates = " + std::to_string(replicates_) + "\n";
}

void Experiment::build_table(const Scenario& base, std::vector<Arm> arms,
                             const std::vector<std::string>& blocks,
                             const std::vector<std::int64_t>& groups) {
  if (arms.empty()) {
    arm_names_ = {base.params.run.name};
  } else {
    for (const auto& a : arms) arm_names_.push_back(a.name);
  }
  const double total = static_cast<double>(points_) * static_cast<double>(arm_names_.size()) *
                       static_cast<double>(replicates_);
  if (total > kMaxRuns)
    throw InputError(path_ + ": " + format_real(total) +
                     " runs (points x arms x replicates) is more than 10,000,000");

  // One configuration per (point, arm): replicates differ only in their seed. Copying the base for each
  // (build()) binds a new registry every time, too slow for large tables; instead one copy per arm is
  // made once and, for every point, given the point's values and then the arm's overrides again. Every
  // key either keeps the scenario's value or is set anew for each point, so the result equals build()'s
  // (a unit test checks that config(run) reproduces every run id).
  const auto& specs = base.registry().specs();
  std::vector<Scenario> work(arm_names_.size(), base);
  std::vector<std::string> first_values;
  std::vector<bool> differs(specs.size(), false);
  std::int64_t days = 0;
  // Per axis: a mechanism's parameter whose mechanism acts within the run's days in some (point, arm); a
  // varied parameter that never acts cannot change any outcome, which plan, sweep and report say.
  const auto known = known_mechanisms();
  std::vector<std::string> axis_mechanism(axes_.size());
  std::vector<bool> acts(axes_.size(), true), staged(axes_.size(), true);
  for (std::size_t i = 0; i < axes_.size(); ++i) {
    const std::string section = axes_[i].key.substr(0, axes_[i].key.find('.'));
    if (std::find(known.begin(), known.end(), section) == known.end()) continue;
    axis_mechanism[i] = section;
    acts[i] = staged[i] = false;
  }
  std::vector<std::int64_t> earliest(axes_.size(), -1);  // the first day it acts, where it is on
  std::vector<std::string> stage(axes_.size());          // its later stage, where none falls within the days
  runs_.reserve(static_cast<std::size_t>(total));
  for (std::int64_t p = 0; p < points_; ++p)
    for (std::size_t a = 0; a < arm_names_.size(); ++a) {
      Scenario& cfg = work[a];
      try {
        const auto& values = point_values_[static_cast<std::size_t>(p)];
        for (std::size_t i = 0; i < values.size(); ++i)
          cfg.set(values[i].first, values[i].second, axes_[i].where);
        cfg.validate();
        if (!arms.empty()) cfg.apply_arm(arms[a]);
        // A sweep's files hold [run, day] series: every run of a table has the same days as the first.
        if (p == 0 && a == 0) days = cfg.params.run.days;
        if (cfg.params.run.days != days) {
          const std::string at = cfg.where("run.days");
          throw InputError(
              (at.empty() ? path_ : at) + ": key 'run.days': " + std::to_string(cfg.params.run.days) +
              " here, " + std::to_string(days) +
              " in the table's first run: every run of an experiment has the same days (its files "
              "hold [run, day] series); run the lengths as separate experiments");
        }
      } catch (const InputError& e) {
        std::string values;
        for (const auto& [key, text] : point_values_[static_cast<std::size_t>(p)])
          values += (values.empty() ? ": " : ", ") + key + "=" + text;
        throw InputError(std::string(e.what()) + " (design point " + std::to_string(p) + ", arm '" +
                         arm_names_[a] + "'" + values + ")");
      }
      const auto on = cfg.mechanism_names();
      for (std::size_t i = 0; i < axes_.size(); ++i) {
        if (acts[i] && staged[i]) continue;
        if (std::find(on.begin(), on.end(), axis_mechanism[i]) == on.end()) continue;
        const std::int64_t first = mechanism_first_day(axis_mechanism[i], cfg.mechanisms);
        if (earliest[i] < 0 || first < earliest[i]) earliest[i] = first;
        acts[i] = acts[i] || first < cfg.params.run.days;
        const MechanismStage later = mechanism_late_stage(axis_mechanism[i], cfg.mechanisms);
        staged[i] = staged[i] || later.day < cfg.params.run.days;
        if (!staged[i]) stage[i] = later.what;
      }
      const auto vals = resolved_values(cfg);
      if (p == 0 && a == 0) first_values = vals;
      for (std::size_t i = 0; i < vals.size(); ++i) differs[i] = differs[i] || vals[i] != first_values[i];
      const Hash h = params_hash(specs, vals);
      const auto& rp = cfg.params.run;
      const double cost = static_cast<double>(cfg.params.district.communities) *
                          cfg.params.district.residents_per_community * static_cast<double>(rp.days);
      for (std::int64_t k = 0; k < replicates_; ++k) {
        PlannedRun r;
        r.index = static_cast<std::int64_t>(runs_.size());
        r.seed = derive_seed(static_cast<std::uint64_t>(rp.seed), static_cast<std::uint64_t>(k));
        r.replicate = k;
        r.point = p;
        r.block = blocks[static_cast<std::size_t>(p)];
        r.group = groups[static_cast<std::size_t>(p)];
        // The design row is part of the id: rows that happen to share a configuration (Saltelli's A_0 and
        // B_0) stay distinct runs, so every row has its own journal file and its own row in every file.
        r.id = finish_id(with_row(h, r.point, r.block, r.group), r.seed, k);
        r.arm = rp.name;
        r.values = point_values_[static_cast<std::size_t>(p)];
        r.cost = cost;
        runs_.push_back(std::move(r));
      }
    }
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (differs[i] && specs[i].key != "run.seed" && specs[i].key != "run.name" && !outside_run(specs[i].key))
      varied_keys_.push_back(specs[i].key);
  for (std::size_t i = 0; i < axes_.size(); ++i) {
    const VaryAxis& ax = axes_[i];
    const std::string& mech = axis_mechanism[i];
    const std::string after = ", after the run's " + std::to_string(days) + " days";
    if (!acts[i])
      idle_warnings_.push_back(ax.where + ": [vary] " + ax.key + ": " + mech +
                               (earliest[i] < 0 ? " is in no arm's run.mechanisms"
                                                : " first acts on day " + std::to_string(earliest[i]) + after) +
                               ": its levels cannot change any outcome");
    else if (!staged[i])
      idle_warnings_.push_back(ax.where + ": [vary] " + ax.key + ": " + mech + " " + stage[i] + after +
                               ": its levels can change only what " + mech + " does before that");
  }
  arms_ = std::move(arms);
  base_ = base;
}

Scenario Experiment::build(std::int64_t point, const Arm* arm) const {
  Scenario cfg = base_;
  const auto& values = point_values_.at(static_cast<std::size_t>(point));
  for (std::size_t i = 0; i < values.size(); ++i) cfg.set(values[i].first, values[i].second, axes_[i].where);
  cfg.validate();
  if (arm) cfg.apply_arm(*arm);
  return cfg;
}

Scenario Experiment::config(const PlannedRun& run) const {
  for (const auto& a : arms_)
    if (a.name == run.arm) return build(run.point, &a);
  return build(run.point, nullptr);
}

std::string Experiment::fingerprint() const {
  Hash h;
  for (const auto& r : runs_) h.add(r.id + "\n");
  return h.hex();
}

std::string Experiment::design_json() const {
  Json axes = Json::array();
  for (const auto& a : axes_) {
    Json axis = {{"key", a.key}};
    if (design_ == "given") {
      axis["kind"] = "given";
      Json values = Json::array();
      for (const auto& pt : point_values_) {
        const auto at = static_cast<std::size_t>(&a - axes_.data());
        values.push_back(pt[at].second);
      }
      axis["values"] = std::move(values);
    } else if (a.sampled) {
      axis["kind"] = "bounds";
      axis["lo"] = a.lo;
      axis["hi"] = a.hi;
    } else {
      axis["kind"] = "levels";
      axis["levels"] = a.levels;
    }
    axis["integer"] = a.integer;
    axes.push_back(std::move(axis));
  }
  Json j;
  j["design"] = design_;
  j["samples"] = samples_;
  j["design_seed"] = design_seed_;
  j["levels"] = morris_levels_;
  j["replicates"] = replicates_;
  j["arms"] = arm_names_;
  j["axes"] = std::move(axes);
  j["warnings"] = idle_warnings_;
  j["n_points"] = points_;
  j["n_runs"] = runs_.size();
  return json_text(j);
}

std::string Experiment::config_text() const {
  return config_text_;
}

}  // namespace govsim
