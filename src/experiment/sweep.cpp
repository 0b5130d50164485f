#include "experiment/sweep.h"

#include <fcntl.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <new>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "experiment/run_claims.h"
#include "experiment/runner.h"
#include "experiment/work_queue.h"
#include "io/h5_combine.h"
#include "io/h5_writer.h"
#include "io/seal.h"
#include "util/files.h"
#include "util/json.h"
#include "util/version.h"

namespace fs = std::filesystem;

namespace govsim {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The fingerprint recorded in DIR/experiment.json ("" if none).
std::string recorded_fingerprint(const fs::path& json) {
  const std::string text = read_text(json);
  try {
    const Json j = Json::parse(text);
    if (j.is_object() && j.contains("fingerprint") && j["fingerprint"].is_string())
      return j["fingerprint"].get<std::string>();
    return "";
  } catch (const Json::exception&) {
    // Not JSON: a file an older govsim wrote with an unescaped path; read the fingerprint as text.
  }
  const std::string key = "\"fingerprint\": \"";
  const auto at = text.find(key);
  if (at == std::string::npos) return "";
  const auto end = text.find('"', at + key.size());
  return text.substr(at + key.size(), end - at - key.size());
}

// Test hook (docs/EXPERIMENTS.md): GOVSIM_TEST_FAIL_RUNS=3,7 makes table rows 3 and 7 throw.
bool injected_failure(std::int64_t index) {
  const char* v = std::getenv("GOVSIM_TEST_FAIL_RUNS");
  if (!v) return false;
  for (const auto& item : split_list(v))
    if (item == std::to_string(index)) return true;
  return false;
}

}  // namespace

std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto bad = [&] {
    return InputError("command line: --shard '" + text + "': expected i/N with 0 <= i < N (e.g. 0/4)");
  };
  if (slash == std::string::npos) throw bad();
  try {
    std::size_t a = 0, b = 0;
    const int i = std::stoi(text.substr(0, slash), &a);
    const int n = std::stoi(text.substr(slash + 1), &b);
    if (a != slash || b != text.size() - slash - 1 || n < 1 || i < 0 || i >= n) throw bad();
    return {i, n};
  } catch (const std::logic_error&) {
    throw bad();
  }
}

std::string plan_tsv(const Experiment& exp) {
  std::ostringstream out;
  out << "index\trun_id\tpoint\tblock\tarm\treplicate\tseed";
  for (const auto& a : exp.axes()) out << '\t' << a.key;
  out << '\n';
  for (const auto& r : exp.runs()) {
    out << r.index << '\t' << r.id << '\t' << r.point << '\t' << r.block << '\t' << r.arm << '\t'
        << r.replicate << '\t' << r.seed;
    for (const auto& [k, v] : r.values) out << '\t' << v;
    out << '\n';
  }
  return out.str();
}

SweepResult run_sweep(const Experiment& exp, const SweepOptions& opt,
                      const std::function<void(const SweepProgress&)>& progress) {
  const auto t0 = Clock::now();
  const fs::path dir = opt.out_dir;
  const fs::path journal = dir / "runs";
  SweepResult result;
  result.planned = exp.runs().size();

  // One experiment per directory: a changed experiment file would mix two tables in one result. Checked
  // before anything is created in DIR.
  const fs::path json = dir / "experiment.json";
  if (fs::exists(json)) {
    const std::string old = recorded_fingerprint(json);
    if (old != exp.fingerprint() && !opt.allow_changed)
      throw InputError(dir.string() + ": holds a sweep of a different experiment (fingerprint " + old +
                       ", this one " + exp.fingerprint() +
                       "); use another --out, or --allow-changed to run this table into it (finished runs "
                       "with the same id are kept)");
  }
  fs::create_directories(journal);
  if (opt.rank == 0) {
    write_text_atomically(dir / "plan.tsv", plan_tsv(exp));
    const Json doc = {{"fingerprint", exp.fingerprint()},
                      {"experiment", fs::absolute(exp.path()).string()},
                      {"govsim_version", govsim_version()},
                      {"git_revision", git_revision()},
                      {"design", Json::parse(exp.design_json())}};
    write_text_atomically(json, json_text(doc, {.spaces = true}) + "\n");
  }
  // Temporaries that this host's killed sweeps left behind (other hosts' shards may be writing theirs).
  remove_dead_temporaries(journal);
  remove_dead_temporaries(dir);

  // This process's rows: a round-robin slice (shards hold alike mixes of large and small runs), or, under
  // MPI, every row, handed out dynamically.
  std::vector<std::size_t> mine;
  for (const auto& r : exp.runs())
    if (opt.ranks > 1 || r.index % opt.shards == opt.shard) mine.push_back(static_cast<std::size_t>(r.index));
  // Costliest first: the last runs to start are short ones, so workers finish together.
  std::vector<std::size_t> order = mine;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return exp.runs()[a].cost > exp.runs()[b].cost; });

  auto ok_path = [&](const PlannedRun& r) { return journal / (r.id + ".h5"); };
  auto failed_path = [&](const PlannedRun& r) { return journal / (r.id + ".failed.h5"); };

  const int threads = opt.threads > 0 ? opt.threads : omp_get_max_threads();
  std::size_t to_run = 0;
  for (std::size_t i : mine) to_run += fs::exists(ok_path(exp.runs()[i])) ? 0 : 1;  // an estimate
  // Many runs: one thread each. Few large runs: the rest of the threads go inside each run.
  int jobs = opt.jobs > 0
                 ? opt.jobs
                 : static_cast<int>(std::min<std::size_t>(threads, std::max<std::size_t>(to_run, 1)));
  if (opt.ranks > 1 && opt.jobs <= 0) jobs = threads;  // runs per rank are not known in advance
  jobs = std::max(1, std::min(jobs, threads));

  std::unique_ptr<WorkQueue> queue =
      opt.ranks > 1 ? make_mpi_queue(order.size()) : make_local_queue(order.size());

  std::mutex mu;  // HDF5 (serial build) and the shared counters below
  SweepProgress prog;
  prog.total = opt.ranks > 1 ? exp.runs().size() : mine.size();
  std::vector<std::size_t> taken;  // rows this process handled (under MPI, those it took from the queue)
  std::size_t executed = 0;
  const auto varied = exp.varied_keys();
  const Provenance prov{opt.command_line,
                        exp.config_text(),
                        {{"experiment_fingerprint", exp.fingerprint()}, {"design", exp.design_json()}}};
  // Journal files are compressed like any other: the shard file then copies their chunks without
  // recompressing them, and the compression runs while other runs compute.
  const WriteOptions wopt{varied, -1, -1, /*journal=*/true};
  if (progress) progress(prog);

  auto report = [&](const PlannedRun& r, const std::string& status) {
    // Called under `mu`.
    ++prog.done;
    prog.last_run = r.id;
    prog.last_status = status;
    if (status == "failed") ++prog.failed;
    if (status == "skipped") ++prog.skipped;
    prog.elapsed_seconds = since(t0);
    if (executed > 0 && prog.elapsed_seconds > 0) {
      prog.runs_per_minute = 60.0 * static_cast<double>(executed) / prog.elapsed_seconds;
      prog.eta_seconds =
          opt.ranks > 1 ? -1 : static_cast<double>(prog.total - prog.done) * 60.0 / prog.runs_per_minute;
    }
    if (progress) progress(prog);
  };

  // Replicate k's world, shared by every arm and point that builds it alike.
  WorldCache worlds(kWorldCacheBytes);
  // A journal counts as done only if its seal holds and names this run: a truncated, damaged or misnamed
  // one is removed and the run done again.
  auto journal_done = [&](const PlannedRun& r) {
    const fs::path p = ok_path(r);
    std::error_code ec;
    if (!fs::exists(p, ec)) return false;
    const SealCheck c = check_seal(p.string());
    if (c.ok && c.label == r.id) return true;
    {
      std::lock_guard<std::mutex> lock(mu);
      std::cerr << "govsim: sweep: " << p.string() << " fails verification ("
                << (c.ok ? "it holds run '" + c.label + "'" : c.problem) << "); running it again\n";
    }
    fs::remove(p, ec);
    return false;
  };
  auto skip = [&](const PlannedRun& r) {
    std::lock_guard<std::mutex> lock(mu);
    ++result.skipped;
    report(r, "skipped");
  };
  // Another sweep on this directory (a second process, another host) holds the claim of each of these.
  RunClaims claims(journal);
  std::vector<std::size_t> deferred;

  // Runs one row and journals it (the caller holds its claim).
  auto execute = [&](const PlannedRun& r) {
    const auto t_run = Clock::now();
    RunResult res;
    RunRecord failed;
    std::optional<Scenario> cfg;
    bool ok = true;
    try {
      cfg = exp.config(r);
      if (injected_failure(r.index)) throw std::runtime_error("injected failure (GOVSIM_TEST_FAIL_RUNS)");
      res = run_replicate(*cfg, r.replicate, nullptr, &worlds);
      if (opt.finish_run) opt.finish_run(r, res);
    } catch (const std::exception& e) {
      ok = false;
      failed.arm = r.arm;
      failed.replicate = r.replicate;
      failed.seed = r.seed;
      failed.status = "failed";
      failed.message = dynamic_cast<const std::bad_alloc*>(&e) ? "out of memory" : e.what();
      if (cfg) record_parameters(*cfg, failed);
    }
    const double run_s = since(t_run);
    RunRecord& rec = ok ? res.record : failed;
    rec.index = r.index;
    rec.run_hash = r.id;
    rec.point = r.point;
    rec.block = r.block;
    rec.group = r.group;
    rec.wall_seconds = run_s;
    WriteOptions w = wopt;
    if (!ok && cfg) {
      w.days = static_cast<int>(cfg->params.run.days);
      w.communities = static_cast<int>(cfg->params.district.communities);
    } else if (!ok) {
      w.days = 0;
      w.communities = 0;
    }
    auto journal_error = [&](const std::exception& e) {
      return std::runtime_error("writing run " + r.id + " to " + journal.string() + ": " + e.what());
    };
    // Compressing the series is most of a journal file's cost: done here, beside the other runs.
    const auto t_encode = Clock::now();
    std::vector<RunRecord> recs;
    recs.push_back(std::move(rec));
    std::shared_ptr<const EncodedSeries> encoded;
    try {
      encoded = encode_series(recs, w);
    } catch (const std::exception& e) {
      throw journal_error(e);
    }
    const double encode_s = since(t_encode);
    std::lock_guard<std::mutex> lock(mu);
    const auto t_write = Clock::now();
    try {
      write_results((ok ? ok_path(r) : failed_path(r)).string(), recs, prov, w, encoded.get());
      if (ok) {
        std::error_code ec;
        fs::remove(failed_path(r), ec);  // an earlier attempt failed; this one did not
      }
    } catch (const std::exception& e) {
      throw journal_error(e);
    }
    result.write_seconds += encode_s + since(t_write);
    result.compress_seconds += encode_s;
    result.run_seconds += run_s;
    if (ok) result.district_years += static_cast<double>(cfg->params.run.days) / 365.0;
    ++executed;
    ++result.executed;
    if (!ok) ++result.failed;
    report(r, ok ? "ok" : "failed");
  };

  auto work = [&]() {
    while (auto pos = queue->next()) {
      const PlannedRun& r = exp.runs()[order[*pos]];
      {
        std::lock_guard<std::mutex> lock(mu);
        taken.push_back(static_cast<std::size_t>(r.index));
      }
      if (journal_done(r)) {  // finished by an earlier, interrupted sweep
        skip(r);
        continue;
      }
      if (!claims.take(r.id)) {
        std::lock_guard<std::mutex> lock(mu);
        deferred.push_back(static_cast<std::size_t>(r.index));
        continue;
      }
      if (journal_done(r))  // another sweep finished it between our look and our claim
        skip(r);
      else
        execute(r);
      claims.release(r.id);
    }
  };

  run_jobs(jobs, threads, work);
  // The runs another live sweep was doing: wait for their journals, or do them if that sweep dies.
  omp_set_num_threads(threads);
  for (std::size_t i : deferred) {
    const PlannedRun& r = exp.runs()[i];
    for (;;) {
      if (journal_done(r)) {
        skip(r);
        break;
      }
      if (claims.take(r.id)) {  // its holder died, or failed it (then this is the retry a resume makes)
        if (journal_done(r))
          skip(r);
        else
          execute(r);
        claims.release(r.id);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  result.worlds_built = worlds.built();
  result.worlds_shared = worlds.reused();
  queue.reset();  // collective under MPI: every rank has drained the queue

  // The shard's (rank's) file, rows in table order, from the journal.
  std::sort(taken.begin(), taken.end());
  result.mine = taken.size();
  const std::string name = opt.ranks > 1
                               ? "rank-" + std::to_string(opt.rank) + "-of-" + std::to_string(opt.ranks)
                               : "shard-" + std::to_string(opt.shard) + "-of-" + std::to_string(opt.shards);
  result.file = (dir / (name + ".h5")).string();
  std::vector<RowSource> rows;
  for (std::size_t i : taken) {
    const PlannedRun& r = exp.runs()[i];
    const fs::path p = fs::exists(ok_path(r)) ? ok_path(r) : failed_path(r);
    if (!fs::exists(p))
      throw std::runtime_error("run " + r.id + " left no journal file in " + journal.string());
    rows.push_back({p.string(), 0});
  }
  const auto t_write = Clock::now();
  if (!rows.empty())
    combine_results(
        rows, result.file, CombineMode::kCopy,
        {{"command_line", opt.command_line},
         {"experiment_fingerprint", exp.fingerprint()},
         {"design", exp.design_json()},
         {"shard", opt.ranks > 1 ? "rank " + std::to_string(opt.rank) + "/" + std::to_string(opt.ranks)
                                 : std::to_string(opt.shard) + "/" + std::to_string(opt.shards)}});
  result.assemble_seconds = since(t_write);
  result.write_seconds += result.assemble_seconds;
  result.wall_seconds = since(t0);
  return result;
}

}  // namespace govsim
