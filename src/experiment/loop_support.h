// What the files of the loops on the sweep engine (govsim calibrate, govsim optimise) share: reading their
// settings sections and fingerprints.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/experiment.h"  // hash_hex
#include "experiment/scenario.h"
#include "util/files.h"  // read_text, write_text_atomically

namespace govsim {

// A real (or integer) setting of [section]: parsed and checked against its range (bounds open or closed);
// throws InputError "FILE:LINE: key 'section.name': expected WHAT, got 'VALUE'".
double real_setting(const std::string& section, const SectionLine& l, double lo, double hi, bool open_lo,
                    bool open_hi, const char* what);
std::int64_t int_setting(const std::string& section, const SectionLine& l, std::int64_t lo, std::int64_t hi,
                         const char* what);

// A section's lines: a key given twice in one file is refused; a later file's line (or the command line's)
// replaces an earlier one in place.
std::vector<SectionLine> merged_lines(const std::vector<SectionLine>& lines, const std::string& section);

// `--set SECTION.KEY=VALUE` overrides as section lines ("command line"), and the others as parameters.
void split_overrides(const std::vector<std::string>& overrides, const std::string& section,
                     std::vector<SectionLine>& section_sets, std::vector<std::string>& param_sets);

// A loop file's fingerprint: hash_hex of its resolved text and the code version (govsim_version and the git
// revision). Equal fingerprints, equal loops.
std::string loop_fingerprint(const std::string& config_text);

// Claims DIR for a loop (`what`: "calibration" or "optimisation"): DIR/<what>.json must hold `fingerprint`
// (or be absent) unless `allow_changed`, else InputError naming DIR; rank 0 then writes it (the fingerprint,
// the file's absolute path, the code version and `settings_json`).
void claim_directory(const std::filesystem::path& dir, const std::string& what,
                     const std::string& fingerprint, const std::string& file,
                     const std::string& settings_json, bool allow_changed, int rank);

}  // namespace govsim
