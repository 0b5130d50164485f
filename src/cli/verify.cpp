// govsim verify PATH...: checks that files govsim wrote are whole and unchanged (io/seal.h), that each
// journal holds the run its name says, and that a merged file's virtual datasets can reach every source they
// read (a deleted shard would otherwise read as NaN).
#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "io/h5_combine.h"
#include "io/seal.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace govsim::cli {

namespace {

// The run id a sweep journal's name gives (DIR/runs/<id>.h5, <id>.failed.h5), or "" for other files.
std::string journal_id(const fs::path& p) {
  if (p.parent_path().filename() != "runs") return "";
  std::string name = p.filename().string();
  for (const std::string suffix : {".failed.h5", ".h5"})
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return name.substr(0, name.size() - suffix.size());
  return "";
}

}  // namespace

int cmd_verify(const std::vector<std::string>& args) {
  std::vector<std::string> paths;
  bool list = false;
  po::options_description desc("verify options");
  desc.add_options()("path", po::value<std::vector<std::string>>(&paths), "file or directory")(
      "list", po::bool_switch(&list), "print every file checked, not only those that fail");
  po::positional_options_description pos;
  pos.add("path", -1);
  std::vector<fs::path> files;
  if (const int rc = input_or_exit([&] {
        po::variables_map vm;
        po::store(po::command_line_parser(args).options(desc).positional(pos).style(kCommandLineStyle).run(), vm);
        po::notify(vm);
        if (paths.empty()) throw InputError("command line: a file or directory to verify is required");
        for (const auto& p : paths) {
          std::error_code ec;
          if (fs::is_directory(p, ec)) {
            // Every HDF5 file below it, in name order (temporaries, NAME.tmp.HOST.PID, do not end in .h5).
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(p, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
              if (it->is_regular_file(ec) && it->path().extension() == ".h5") found.push_back(it->path());
            }
            if (ec) throw InputError(p + ": " + ec.message());
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
          } else if (fs::is_regular_file(p, ec)) {
            files.emplace_back(p);
          } else {
            throw InputError(p + ": no such file or directory");
          }
        }
      }))
    return rc;

  std::size_t failing = 0, missing = 0;
  std::set<std::string> checked;
  auto fail = [&](const std::string& what) {
    ++failing;
    std::cout << "FAIL " << what << "\n";
  };
  auto verify_file = [&](const fs::path& p) {
    const std::string key = fs::weakly_canonical(fs::absolute(p)).string();
    if (!checked.insert(key).second) return true;
    const SealCheck c = check_seal(p.string());
    if (!c.ok) {
      fail(p.string() + ": " + c.problem);
      return false;
    }
    const std::string id = journal_id(p);
    if (!id.empty() && c.label != id) {
      fail(p.string() + ": holds run '" + c.label + "', its name says '" + id + "'");
      return false;
    }
    if (list) std::cout << "ok   " << p.string() << "\n";
    return true;
  };
  for (const auto& p : files) {
    if (!verify_file(p)) continue;
    if (!journal_id(p).empty()) continue;  // journals hold no virtual datasets
    std::vector<std::string> sources;
    try {
      sources = virtual_sources(p.string());
    } catch (const std::exception& e) {
      fail(p.string() + ": " + e.what());
      continue;
    }
    for (const auto& s : sources) {
      std::error_code ec;
      if (!fs::is_regular_file(s, ec)) {
        ++missing;
        std::cout << "FAIL " << p.string() << ": its virtual datasets read " << s
                  << ", which is missing (deleted or moved): those runs would read as NaN\n";
      } else {
        verify_file(s);
      }
    }
  }
  std::cout << "verified " << checked.size() << " file" << (checked.size() == 1 ? "" : "s") << ": "
            << checked.size() - failing << " ok, " << failing << " failing";
  if (missing) std::cout << "; " << missing << " missing source file" << (missing == 1 ? "" : "s");
  std::cout << "\n";
  return failing == 0 && missing == 0 ? 0 : 1;
}

}  // namespace govsim::cli
