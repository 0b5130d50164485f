// A file's seal: a checksum of every byte govsim wrote, kept in the file's first 512 bytes (an HDF5 user
// block, which HDF5, h5py and xarray skip), with the file's length and a label (a journal's run id). A
// flipped bit anywhere in the data or metadata, a truncated or extended file, or one changed by another
// program then fails check_seal(). Self-contained: a file keeps its seal when moved, copied or merged from,
// and shards on other hosts need no shared manifest.
#pragma once

#include <cstdint>
#include <string>

namespace govsim {

// The HDF5 user block reserved for the seal (h5::create_file sets it).
constexpr std::uint64_t kSealBytes = 512;

// Writes the seal of the closed file `path`, whose first kSealBytes must still be zero (an unwritten user
// block). Throws std::runtime_error naming the path on any I/O error.
void seal_file(const std::string& path, const std::string& label = "");

struct SealCheck {
  bool ok = false;
  bool sealed = false;  // the file carries a govsim seal (whether or not it matches)
  std::string label;    // the label sealed with it
  std::string problem;  // why it failed, e.g. "checksum mismatch: contents changed since govsim wrote it"
};

// Reads the whole file once and compares it with its seal.
SealCheck check_seal(const std::string& path);

}  // namespace govsim
