#include "experiment/loop_support.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/json.h"
#include "util/version.h"

namespace fs = std::filesystem;

namespace govsim {

double real_setting(const std::string& section, const SectionLine& l, double lo, double hi, bool open_lo,
                    bool open_hi, const char* what) {
  double v = NAN;
  try {
    v = parse_real(l.value);
  } catch (const std::invalid_argument&) {
  }
  const bool ok = std::isfinite(v) && (open_lo ? v > lo : v >= lo) && (open_hi ? v < hi : v <= hi);
  if (!ok)
    throw InputError(l.where + ": key '" + section + "." + l.name + "': expected " + what + ", got '" +
                     l.value + "'");
  return v;
}

std::int64_t int_setting(const std::string& section, const SectionLine& l, std::int64_t lo, std::int64_t hi,
                         const char* what) {
  std::int64_t v = lo - 1;
  try {
    v = parse_int(l.value);
  } catch (const std::invalid_argument&) {
  }
  if (v < lo || v > hi)
    throw InputError(l.where + ": key '" + section + "." + l.name + "': expected " + what + ", got '" +
                     l.value + "'");
  return v;
}

std::vector<SectionLine> merged_lines(const std::vector<SectionLine>& lines, const std::string& section) {
  std::vector<SectionLine> out;
  for (const auto& l : lines) {
    auto it = std::find_if(out.begin(), out.end(), [&](const SectionLine& o) { return o.name == l.name; });
    if (it == out.end()) {
      out.push_back(l);
    } else if (!l.file.empty() && it->file == l.file) {
      throw InputError(l.where + ": key '" + l.name + "': given twice in [" + section + "] (first at " +
                       it->where + ")");
    } else {
      *it = l;
    }
  }
  return out;
}

void split_overrides(const std::vector<std::string>& overrides, const std::string& section,
                     std::vector<SectionLine>& section_sets, std::vector<std::string>& param_sets) {
  const std::string prefix = section + ".";
  for (const auto& kv : overrides) {
    const auto eq = kv.find('=');
    if (kv.rfind(prefix, 0) == 0 && eq != std::string::npos)
      section_sets.push_back({trim(kv.substr(prefix.size(), eq - prefix.size())), trim(kv.substr(eq + 1)), 0,
                              "", "command line"});
    else
      param_sets.push_back(kv);
  }
}

std::string loop_fingerprint(const std::string& config_text) {
  return hash_hex(config_text + "\nversion=" + govsim_version() + "\nrevision=" + git_revision() + "\n");
}

void claim_directory(const fs::path& dir, const std::string& what, const std::string& fingerprint,
                     const std::string& file, const std::string& settings_json, bool allow_changed,
                     int rank) {
  fs::create_directories(dir);
  // The result file's temporary that a killed run of this host left (the generations' sweeps clean their own).
  remove_dead_temporaries(dir);
  const fs::path json = dir / (what + ".json");
  if (fs::exists(json)) {
    std::string old;
    try {
      const Json j = Json::parse(read_text(json));
      if (j.is_object() && j.contains("fingerprint") && j["fingerprint"].is_string())
        old = j["fingerprint"].get<std::string>();
    } catch (const Json::exception&) {
    }
    if (old != fingerprint && !allow_changed)
      throw InputError(
          dir.string() + ": holds a" + (what[0] == 'o' ? "n " : " ") + what +
          " of a different file or govsim (fingerprint " + old + ", this one " + fingerprint +
          "); use another --out, or --allow-changed to run into it (finished runs with the same id "
          "are kept)");
  }
  if (rank != 0) return;
  const Json doc = {{"fingerprint", fingerprint},
                    {what, fs::absolute(file).string()},
                    {"govsim_version", govsim_version()},
                    {"git_revision", git_revision()},
                    {"settings", Json::parse(settings_json)}};
  write_text_atomically(json, json_text(doc, {.spaces = true}) + "\n");
}

}  // namespace govsim
