// govsim merge DIR --out FILE.h5: one schema-1 file from a sweep's shard and rank files, in plan order, so it
// equals the file a single local sweep writes, row for row.
#include <boost/program_options.hpp>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "io/h5_combine.h"
#include "io/seal.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace govsim::cli {

namespace {

struct PlanRow {
  std::int64_t index = 0;
  std::string run_id;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, '\t')) out.push_back(cell);
  if (!line.empty() && line.back() == '\t') out.emplace_back();
  return out;
}

// plan.tsv: a header naming the columns (index and run_id among them), then one line per planned run.
std::vector<PlanRow> read_plan(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": cannot read");
  std::string line;
  if (!std::getline(in, line)) throw InputError(path.string() + ": empty (no header line)");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto header = split_tabs(line);
  const auto col = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw InputError(path.string() + ":1: no '" + name + "' column in the header");
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t ci = col("index"), cr = col("run_id");
  std::vector<PlanRow> rows;
  for (int n = 2; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cells = split_tabs(line);
    if (cells.size() <= std::max(ci, cr))
      throw InputError(path.string() + ":" + std::to_string(n) + ": fewer columns than the header");
    PlanRow r;
    try {
      std::size_t used = 0;
      r.index = std::stoll(cells[ci], &used);
      if (used != cells[ci].size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw InputError(path.string() + ":" + std::to_string(n) + ": index '" + cells[ci] + "' is not an integer");
    }
    r.run_id = cells[cr];
    rows.push_back(std::move(r));
  }
  if (rows.empty()) throw InputError(path.string() + ": no planned runs");
  return rows;
}

// shard-<i>-of-<N>.h5, then rank-<r>-of-<K>.h5, each sorted by total and number.
std::vector<std::string> result_files(const fs::path& dir) {
  static const std::regex kName(R"((shard|rank)-([0-9]+)-of-([0-9]+)\.h5)");
  std::vector<std::tuple<int, long long, long long, std::string>> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::smatch m;
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !std::regex_match(name, m, kName)) continue;
    found.emplace_back(m[1] == "shard" ? 0 : 1, std::stoll(m[3]), std::stoll(m[2]), e.path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (const auto& f : found) out.push_back(std::get<3>(f));
  return out;
}

}  // namespace

int cmd_merge(const std::vector<std::string>& args, const std::string& command_line) {
  std::string dir, out_path;
  bool copy = false, allow_partial = false, force = false;
  po::options_description desc("merge options");
  desc.add_options()("dir", po::value<std::string>(&dir), "sweep directory")(
      "out", po::value<std::string>(&out_path), "output HDF5 file")(
      "copy", po::bool_switch(&copy), "copy the data instead of virtual datasets over the shard files")(
      "allow-partial", po::bool_switch(&allow_partial), "merge what exists when planned runs are missing")(
      "force", po::bool_switch(&force), "replace --out if it exists");
  po::positional_options_description pos;
  pos.add("dir", 1);

  std::vector<PlanRow> plan;
  std::vector<std::string> files;
  if (const int rc = input_or_exit([&] {
        po::variables_map vm;
        po::store(po::command_line_parser(args).options(desc).positional(pos).style(kCommandLineStyle).run(), vm);
        po::notify(vm);
        if (dir.empty()) throw InputError("command line: a sweep directory is required (govsim merge DIR --out FILE.h5)");
        if (out_path.empty()) throw InputError("command line: --out FILE.h5 is required");
        if (!fs::is_directory(dir)) throw InputError(dir + ": no such directory");
        require_out_parent(out_path);
        const fs::path plan_path = fs::path(dir) / "plan.tsv";
        if (!fs::exists(plan_path)) throw InputError(plan_path.string() + ": not found (is " + dir + " a sweep directory?)");
        plan = read_plan(plan_path);
        files = result_files(dir);
        if (files.empty())
          throw InputError(dir + ": no shard-<i>-of-<N>.h5 or rank-<r>-of-<K>.h5 files");
        require_out_file(out_path, files, force);
        // Every shard as its sweep wrote it (io/seal.h): a damaged one would be merged as data.
        for (const auto& f : files)
          if (const SealCheck c = check_seal(f); !c.ok)
            throw InputError(f + ": fails verification: " + c.problem +
                             " (run its sweep again: the journal rebuilds it)");
      }))
    return rc;

  try {
    // Every row of every file by run id; an "ok" row wins over a failed one, an earlier file over a later.
    struct Found {
      std::size_t file;
      std::int64_t row;
      bool ok;
    };
    std::map<std::string, Found> best;
    for (std::size_t f = 0; f < files.size(); ++f) {
      const FileRuns runs = read_runs(files[f]);
      for (std::size_t r = 0; r < runs.run_hash.size(); ++r) {
        if (runs.run_hash[r].empty()) continue;
        const bool ok = runs.status[r] == "ok";
        auto [it, added] = best.emplace(runs.run_hash[r], Found{f, static_cast<std::int64_t>(r), ok});
        if (!added && ok && !it->second.ok) it->second = Found{f, static_cast<std::int64_t>(r), ok};
      }
    }
    std::vector<RowSource> rows;
    std::vector<std::int64_t> missing;
    std::vector<bool> used(files.size(), false);
    for (const auto& p : plan) {
      const auto it = best.find(p.run_id);
      if (it == best.end()) {
        missing.push_back(p.index);
        continue;
      }
      rows.push_back({files[it->second.file], it->second.row});
      used[it->second.file] = true;
    }
    if (!missing.empty()) {
      std::string first;
      for (std::size_t k = 0; k < std::min<std::size_t>(missing.size(), 10); ++k)
        first += (k ? ", " : "") + std::to_string(missing[k]);
      if (missing.size() > 10) first += ", ...";
      const std::string what = std::to_string(missing.size()) + " of " + std::to_string(plan.size()) +
                               " planned runs have no result in " + dir + " (indices " + first + ")";
      if (!allow_partial || rows.empty()) {
        std::cerr << "govsim: merge: " << what
                  << (rows.empty() ? "; nothing to merge\n" : "; --allow-partial merges the others\n");
        return 1;
      }
      std::cerr << "govsim: merge: " << what << "; merging the other " << rows.size() << " (--allow-partial)\n";
    }
    const std::string mode = copy ? "copy" : "virtual";
    combine_results(rows, out_path, copy ? CombineMode::kCopy : CombineMode::kVirtual,
                    {{"merged", mode},
                     {"shard", "all"},
                     {"command_line", command_line},
                     {"created",
                      [] {
                        char buf[32];
                        const std::time_t t = std::time(nullptr);
                        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
                        return std::string(buf);
                      }()}},
                    /*sources_verified=*/true);
    std::cout << "merged " << rows.size() << " runs from " << std::count(used.begin(), used.end(), true)
              << " files into " << out_path << " (" << mode << ")\n";
  } catch (const std::exception& e) {
    std::cerr << "govsim: merge failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace govsim::cli
