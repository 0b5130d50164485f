// Where govsim finds what it ships beside the binary: scenarios, the analysis package, notebooks, docs.
#pragma once

#include <filesystem>
#include <string>

namespace govsim {

// This process's executable, symlinks resolved ("" if /proc/self/exe cannot be read).
std::filesystem::path executable_path();

// The directory with govsim's scenarios/, analysis/ and docs/: PREFIX/share/govsim beside an installed
// binary (PREFIX/bin/govsim), wherever the prefix was moved; else the source tree a build-tree binary was
// compiled from; "" if neither is there.
std::filesystem::path data_dir();

// An input file named on the command line: `path` itself if it exists; else, for a relative path, the same
// name under data_dir()/scenarios or data_dir() (so an installed govsim runs `main_comparison.ini` or
// `scenarios/main_comparison.ini` from any directory). Returns `path` unchanged if none exists.
std::string find_input(const std::string& path);

}  // namespace govsim
