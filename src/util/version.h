// The code's version: the one place the build's version strings reach the code.
#pragma once

#include <string>

namespace govsim {

// The project version from CMake's project(... VERSION ...), e.g. "0.1.0".
std::string govsim_version();
// `git describe --always --dirty --abbrev=12` of the source tree at build time ("unknown" without git).
std::string git_revision();

}  // namespace govsim
