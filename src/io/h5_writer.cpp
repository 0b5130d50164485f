#include "io/h5_writer.h"

#include "io/h5_detail.h"
#include "io/h5_filter.h"
#include "io/h5_schema.h"
#include "util/version.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace govsim {

namespace {

using h5::check;
using h5::H;

// One /runs parameter column: its key, whether it is numeric, and the runs' values ("" if a run lacks it).
struct ParamColumn {
  std::string key;
  bool numeric = false;
  std::vector<const std::string*> values;
};

// Parameters written as /runs columns: those forced by the options and those whose value differs between
// the runs that have them, in the order of the first run's parameters (the registry's).
std::vector<ParamColumn> param_columns(const std::vector<RunRecord>& runs, const WriteOptions& options) {
  std::vector<std::string> keys;
  std::map<std::string, bool> numeric;
  for (const auto& r : runs)
    for (std::size_t k = 0; k < r.params.size(); ++k)
      if (numeric.emplace(r.params[k].first, k < r.numeric.size() && r.numeric[k]).second)
        keys.push_back(r.params[k].first);
  std::vector<ParamColumn> out;
  for (const auto& key : keys) {
    ParamColumn c{key, numeric[key], {}};
    for (const auto& r : runs) {
      const std::string* v = nullptr;
      for (const auto& [k, t] : r.params)
        if (k == key) v = &t;
      c.values.push_back(v);
    }
    const bool forced = std::find(options.param_columns.begin(), options.param_columns.end(), key) !=
                        options.param_columns.end();
    bool differs = false;
    const std::string* first = nullptr;
    for (const auto* v : c.values) {
      if (!v) continue;  // a failed run may carry no parameters: it does not make a column
      if (!first) first = v;
      differs |= *v != *first;
    }
    // run.seed and run.name are already columns (seed, arm) unless a caller asks for them.
    if (!forced && (key == "run.seed" || key == "run.name")) continue;
    if (forced || differs) out.push_back(std::move(c));
  }
  return out;
}

// The file's days and communities: those of the runs that completed (a failed run, without a recorder, has
// NaN series), or the options' when every run failed.
struct Shape {
  hsize_t T = 0, C = 0;
};
Shape shape_of(const std::vector<RunRecord>& runs, const WriteOptions& options) {
  if (runs.empty()) throw std::runtime_error("no runs to write");
  int days = -1, communities = -1;
  for (const auto& r : runs) {
    if (!r.recorder) continue;
    if (days >= 0 && r.recorder->days() != days)
      throw std::runtime_error("runs of one file must share run.days");
    days = r.recorder->days();
    communities = std::max(communities, r.recorder->communities());
    if (r.communities.street.size() != static_cast<std::size_t>(r.recorder->communities()) ||
        r.communities.residents.size() != r.communities.street.size() ||
        r.communities.grids.size() != r.communities.street.size() ||
        r.communities.type.size() != r.communities.street.size())
      throw std::runtime_error("community info does not match the runs");
  }
  if (days < 0) {  // every run failed
    if (options.days < 0 || options.communities < 0)
      throw std::runtime_error("no run completed and no days/communities given for the file's shape");
    days = options.days;
    communities = options.communities;
  }
  return {static_cast<hsize_t>(days), static_cast<hsize_t>(communities)};
}

// The union of the runs' metrics in first-seen order.
std::vector<const MetricSpec*> metrics_of(const std::vector<RunRecord>& runs) {
  std::vector<const MetricSpec*> metrics;
  for (const auto& r : runs)
    if (r.recorder)
      for (const auto& s : r.recorder->specs()) {
        bool seen = false;
        for (const auto* m : metrics) seen |= m->name == s.name;
        if (!seen) metrics.push_back(&s);
      }
  return metrics;
}

long find_metric(const Recorder* rec, const std::string& name) {
  if (!rec) return -1;
  const auto& sp = rec->specs();
  for (std::size_t i = 0; i < sp.size(); ++i)
    if (sp[i].name == name) return static_cast<long>(i);
  return -1;
}

using Chunks = std::vector<std::vector<unsigned char>>;

// The chunks of one dataset: chunk k is run k / per_run's community block k % per_run (per_run is 1 for
// /series). Empty: a run without the metric (NaN, the fill value: the chunk is not written). Encoded on
// this call's threads.
Chunks encode_dataset(const std::vector<RunRecord>& runs, const std::string& name, bool by_c, hsize_t T,
                      hsize_t C) {
  const hsize_t R = runs.size(), B = h5::by_community_chunk(C, T)[1];
  const hsize_t per_run = !by_c ? 1 : C > 0 ? (C + B - 1) / B : 0;
  Chunks chunks(T > 0 ? R * per_run : 0);
  std::exception_ptr error;
#pragma omp parallel for schedule(dynamic) if (chunks.size() > 1)
  for (std::size_t j = 0; j < chunks.size(); ++j) {
    try {
      const hsize_t run = j / per_run, block = j % per_run;
      const Recorder* rec = runs[run].recorder;
      const long m = find_metric(rec, name);
      if (m < 0) continue;  // NaN: left to the fill value
      if (!by_c) {
        const auto& v = rec->series(static_cast<std::size_t>(m));
        chunks[j] = h5::encode_chunk(v.data(), T * sizeof(double), sizeof(double));
        continue;
      }
      // [community][day]; communities past the run's own (and past the file's, in an edge chunk) are NaN.
      const auto& v = rec->by_community(static_cast<std::size_t>(m));
      std::vector<float> buf(B * T, std::nanf(""));
      const std::size_t first = block * B * T;
      if (first < v.size())
        std::copy(v.begin() + static_cast<std::ptrdiff_t>(first),
                  v.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(v.size(), first + B * T)),
                  buf.begin());
      chunks[j] = h5::encode_chunk(buf.data(), buf.size() * sizeof(float), sizeof(float));
    } catch (...) {
#pragma omp critical(govsim_encode_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  return chunks;
}

}  // namespace

struct EncodedSeries {
  hsize_t T = 0, C = 0;
  std::vector<std::string> names;  // metrics in file order
  std::vector<Chunks> chunks;      // [2 * metric + by_community]
};

std::shared_ptr<const EncodedSeries> encode_series(const std::vector<RunRecord>& runs,
                                                   const WriteOptions& options) {
  const Shape shape = shape_of(runs, options);
  const auto metrics = metrics_of(runs);
  auto enc = std::make_shared<EncodedSeries>();
  enc->T = shape.T;
  enc->C = shape.C;
  for (const auto* m : metrics) enc->names.push_back(m->name);
  for (const auto* m : metrics) {
    enc->chunks.push_back(encode_dataset(runs, m->name, false, shape.T, shape.C));
    enc->chunks.push_back(m->by_community ? encode_dataset(runs, m->name, true, shape.T, shape.C) : Chunks{});
  }
  return enc;
}

namespace {

void write_file(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov,
                const WriteOptions& options, const EncodedSeries* enc) {
  const Shape shape = shape_of(runs, options);
  if (enc && (shape.T != enc->T || shape.C != enc->C))
    throw std::runtime_error("encoded series do not match the runs");
  if (options.journal && runs.size() != 1) throw std::runtime_error("a journal file holds one run");
  const auto R = static_cast<hsize_t>(runs.size());
  const hsize_t T = shape.T, C = shape.C;

  h5::Schema1 schema;
  schema.runs = R;
  schema.days = T;
  schema.dimension_scales = !options.journal;
  schema.series_blocks = options.journal;
  schema.communities = C;

  // Standard root attributes; Provenance::attributes may replace any of them and add others.
  schema.root_attributes = [&](hid_t file) {
    std::vector<std::pair<std::string, std::string>> text = {{"govsim_version", govsim_version()},
                                                             {"git_revision", git_revision()},
                                                             {"command_line", prov.command_line},
                                                             {"created", h5::now_utc()},
                                                             {"config", prov.config_text},
                                                             {"Conventions", "CF-1.8"},
                                                             {"headline_metrics", headline_metrics_json()}};
    // Day 0's date (run.start_date, the same in every run of a file): the readers' calendar axis.
    for (const auto& r : runs) {
      const auto it = std::find_if(r.params.begin(), r.params.end(),
                                   [](const auto& kv) { return kv.first == "run.start_date"; });
      if (it == r.params.end()) continue;
      text.emplace_back("start_date", it->second);
      break;
    }
    for (const auto& [k, v] : prov.attributes) {
      auto it =
          std::find_if(text.begin(), text.end(), [&key = k](const auto& kv) { return kv.first == key; });
      if (it != text.end())
        it->second = v;
      else
        text.emplace_back(k, v);
    }
    for (const auto& [k, v] : text) h5::attr_text(file, k, v);
  };

  // /runs: one column per run field, and one per parameter that differs between runs (or is forced).
  {
    std::vector<std::int64_t> run_id(R), replicate(R), index(R), point(R), group(R), pair(R);
    std::vector<std::uint64_t> seed(R);
    std::vector<double> wall(R);
    std::vector<std::string> arm(R), status(R), message(R), run_hash(R), block(R);
    std::map<std::uint64_t, std::int64_t> pair_of;  // seed -> dense rank in first-seen order
    bool sweep = false;
    for (hsize_t i = 0; i < R; ++i) {
      const RunRecord& r = runs[i];
      run_id[i] = static_cast<std::int64_t>(i);
      replicate[i] = r.replicate;
      seed[i] = r.seed;
      pair[i] = pair_of.emplace(r.seed, static_cast<std::int64_t>(pair_of.size())).first->second;
      wall[i] = r.wall_seconds;
      arm[i] = r.arm;
      status[i] = r.status;
      message[i] = r.message;
      index[i] = r.index;
      run_hash[i] = r.run_hash;
      point[i] = r.point;
      block[i] = r.block;
      group[i] = r.group;
      sweep |= r.index >= 0;
    }
    auto& cols = schema.run_columns;
    cols.push_back({"run_id", std::move(run_id)});
    if (sweep) {  // a sweep's files: the run table's bookkeeping, so shards can be matched and merged
      cols.push_back({"index", std::move(index)});
      cols.push_back({"run_hash", std::move(run_hash)});
      cols.push_back({"point", std::move(point)});
      cols.push_back({"block", std::move(block)});
      cols.push_back({"group", std::move(group)});
    }
    cols.push_back({"arm", std::move(arm)});
    cols.push_back({"replicate", std::move(replicate)});
    cols.push_back({"seed", std::move(seed)});
    cols.push_back({"pair", std::move(pair)});
    cols.push_back({"status", std::move(status)});
    cols.push_back({"message", std::move(message)});
    cols.push_back({"wall_seconds", std::move(wall)});
    // Mechanisms' run-level outcomes: the union of names, NaN where a run's arm has no such mechanism
    // and in failed runs.
    std::vector<std::string> outcome_names;
    for (const auto& r : runs)
      for (const auto& [name, v] : r.outcomes)
        if (std::find(outcome_names.begin(), outcome_names.end(), name) == outcome_names.end())
          outcome_names.push_back(name);
    for (const auto& name : outcome_names) {
      std::vector<double> v(R, std::nan(""));
      for (hsize_t i = 0; i < R; ++i)
        if (runs[i].recorder)
          for (const auto& [n, x] : runs[i].outcomes)
            if (n == name) v[i] = x;
      cols.push_back({name, std::move(v)});
    }
    for (const auto& c : param_columns(runs, options)) {
      if (c.numeric) {
        std::vector<double> v(R, std::nan(""));
        for (hsize_t i = 0; i < R; ++i) {
          if (!c.values[i]) continue;
          const std::string& t = *c.values[i];
          v[i] = t == "true" ? 1.0 : t == "false" ? 0.0 : std::stod(t);
        }
        cols.push_back({c.key, std::move(v)});
      } else {
        std::vector<std::string> v(R);
        for (hsize_t i = 0; i < R; ++i)
          if (c.values[i]) v[i] = *c.values[i];
        cols.push_back({c.key, std::move(v)});
      }
    }
  }

  // Every /runs column says what it is: long_name, and units where it has some (a parameter's from the
  // registry; "1" for counts and indices).
  schema.run_column_attributes = [&](hid_t d, std::size_t k) {
    static const std::map<std::string, std::pair<const char*, const char*>> kFixed = {
        {"run_id", {"run number (row of /runs)", "1"}},
        {"index", {"row of the sweep's run table (plan.tsv)", "1"}},
        {"run_hash", {"the run's id: a hash of its configuration, seed and govsim's revision", ""}},
        {"point", {"design point", "1"}},
        {"block", {"design block (A, B, ABi of a Saltelli design; a Morris trajectory's step)", ""}},
        {"group", {"design group (a Morris trajectory, a Saltelli base point)", "1"}},
        {"arm", {"arm: its name in [arms], or run.name", ""}},
        {"replicate", {"replicate within the arm (replicate k of every arm shares its seed)", "1"}},
        {"seed", {"the run's seed: derive_seed(run.seed, replicate)", "1"}},
        {"status", {"ok, or failed", ""}},
        {"message", {"why the run failed (empty if it did not)", ""}},
        {"wall_seconds", {"wall-clock time of the run, world building included (not reproducible)", "s"}},
    };
    const std::string& name = schema.run_columns[k].name;
    if (name == "pair") return;  // h5_schema writes its own
    std::string long_name, units;
    if (const auto it = kFixed.find(name); it != kFixed.end()) {
      long_name = it->second.first;
      units = it->second.second;
    } else {
      long_name = "run-level outcome of a mechanism (NaN for arms without it)";
      bool found = false;
      for (std::size_t i = 0; i < runs.size() && !found; ++i) {  // the first run that has the parameter
        const RunRecord& r = runs[i];
        for (std::size_t p = 0; p < r.params.size() && p < r.param_meta.size() && !found; ++p)
          if (r.params[p].first == name) {
            long_name = "parameter " + name + ": " + r.param_meta[p].second;
            units = r.param_meta[p].first;
            found = true;
          }
      }
    }
    h5::attr_text(d, "long_name", long_name);
    // A text column (a string parameter such as run.start_date) has no physical unit.
    if (!std::holds_alternative<std::vector<std::string>>(schema.run_columns[k].values)) h5::attr_units(d, units);
  };

  // /communities/*: community sizes differ between replicates (each has its own seed), so they are
  // [run, community]. A run with fewer communities than the file (or none: a failed run) is padded.
  schema.fill_communities = [&](hid_t d, std::size_t k) {
    static constexpr const std::vector<std::int32_t> CommunityInfo::*kFields[h5::kNumCommunityColumns] = {
        &CommunityInfo::street, &CommunityInfo::residents, &CommunityInfo::grids, &CommunityInfo::type};
    const auto get = kFields[k];
    std::vector<std::int32_t> buf(R * C, h5::kCommunityColumns[k].pad);
    for (hsize_t i = 0; i < R; ++i)
      if (runs[i].recorder)
        std::copy((runs[i].communities.*get).begin(), (runs[i].communities.*get).end(),
                  buf.begin() + static_cast<std::ptrdiff_t>(i * C));
    if (!buf.empty())
      check(H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write");
  };

  // /series/<metric> [run, day] and /series_by_community/<metric> [run, community, day]: the union of the
  // runs' metrics in first-seen order; a run without a metric (its mechanism is off, or it failed) holds NaN
  // there, and so do the communities a run does not have. The chunks come encoded (encode_series).
  const auto metrics = metrics_of(runs);
  if (enc && metrics.size() != enc->names.size())
    throw std::runtime_error("encoded series do not match the runs");
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    if (enc && metrics[k]->name != enc->names[k])
      throw std::runtime_error("encoded series do not match the runs");
    schema.metrics.push_back({metrics[k]->name, true, metrics[k]->by_community});
  }
  // A dataset's chunks: given, or encoded now (one dataset at a time, so a file of many runs never holds
  // all its compressed series in memory at once).
  const hsize_t block = h5::by_community_chunk(C, T)[1];
  Chunks scratch;
  auto chunks_of = [&](std::size_t k, bool by_c) -> const Chunks& {
    if (enc) return enc->chunks[2 * k + by_c];
    scratch = encode_dataset(runs, metrics[k]->name, by_c, T, C);
    return scratch;
  };
  schema.fill_series = [&](hid_t d, std::size_t k, bool by_c) {
    const Chunks& chunks = chunks_of(k, by_c);
    const hsize_t per_run = by_c ? (R > 0 ? chunks.size() / R : 0) : 1;
    for (std::size_t j = 0; j < chunks.size(); ++j) {
      if (chunks[j].empty()) continue;
      const hsize_t run = j / per_run, b = j % per_run;
      const hsize_t offset[3] = {run, b * block, 0};
      check(H5Dwrite_chunk(d, H5P_DEFAULT, 0, offset, chunks[j].size(), chunks[j].data()), "write chunk");
    }
  };
  schema.series_attributes = [&](hid_t d, std::size_t k, bool) {
    const MetricSpec& s = *metrics[k];
    h5::attr_text(d, "kind", metric_kind_name(s.kind));
    h5::attr_units(d, s.unit);
    h5::attr_text(d, "long_name", s.description);
  };
  // A journal: row j of a block is metric which[j], whose chunks go to row j.
  schema.fill_block = [&](hid_t d, const std::vector<std::size_t>& which, bool by_c) {
    for (std::size_t j = 0; j < which.size(); ++j) {
      const Chunks& chunks = chunks_of(which[j], by_c);
      for (std::size_t b = 0; b < chunks.size(); ++b) {
        if (chunks[b].empty()) continue;
        const hsize_t offset[3] = {j, b * block, 0};
        check(H5Dwrite_chunk(d, H5P_DEFAULT, 0, offset, chunks[b].size(), chunks[b].data()), "write chunk");
      }
    }
  };
  schema.block_attributes = [&](hid_t d, const std::vector<std::size_t>& which, bool) {
    std::vector<std::string> kind, units, long_name;
    for (std::size_t k : which) {
      kind.push_back(metric_kind_name(metrics[k]->kind));
      units.push_back(metrics[k]->unit);
      long_name.push_back(metrics[k]->description);
    }
    h5::attr_texts(d, "kind", kind);
    h5::attr_texts(d, "units", units);
    h5::attr_texts(d, "long_name", long_name);
  };

  // /mechanisms/<arm>/<name>: each mechanism's own description, per arm (arms may configure it differently).
  schema.finish = [&](hid_t mechanisms) {
    std::set<std::string> done;
    for (const auto& r : runs) {
      if (r.mechanisms.empty() || !done.insert(r.arm).second) continue;
      std::vector<std::string> names;
      for (const auto& m : r.mechanisms) names.push_back(m.first);
      h5::write_mechanisms(mechanisms, r.arm, names, [&](hid_t g, std::size_t k) {
        for (const auto& [key, value] : r.mechanisms[k].second) h5::attr_text(g, key, value);
      });
    }
  };
  h5::write_schema1(path, schema);
}

}  // namespace

void prepare_hdf5() {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

void write_results(const std::string& path, const std::vector<RunRecord>& runs, const Provenance& prov,
                   const WriteOptions& options, const EncodedSeries* encoded) {
  // A journal's seal carries its run id: a resume checks both before it counts the run as done.
  const std::string label = options.journal && runs.size() == 1 ? runs[0].run_hash : "";
  h5::write_atomically(
      path, [&](const std::string& tmp) { write_file(tmp, runs, prov, options, encoded); }, label);
}

}  // namespace govsim
