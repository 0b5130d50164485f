// What the files of the loops on the sweep engine (govsim calibrate, govsim optimise) share: reading their
// settings sections, fingerprints, and small text files written atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/experiment.h"  // hash_hex
#include "experiment/scenario.h"

namespace govsim {

std::string read_text(const std::filesystem::path& p);
// Written under PATH.tmp and renamed.
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

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

// DIR/NAME.json's fingerprint must equal `fingerprint` (or the file be absent) unless `allow_changed`; throws
// InputError naming DIR and `what` ("calibration", "optimisation").
void check_fingerprint(const std::filesystem::path& json, const std::string& fingerprint, bool allow_changed,
                       const std::string& what);

}  // namespace govsim
