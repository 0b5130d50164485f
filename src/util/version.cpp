#include "util/version.h"

#include "govsim_revision.h"  // generated at every build (cmake/git_revision.cmake)

#ifndef GOVSIM_VERSION
#define GOVSIM_VERSION "unknown"
#endif

namespace govsim {

std::string govsim_version() {
  return GOVSIM_VERSION;
}
std::string git_revision() {
  return GOVSIM_GIT_REVISION;
}

}  // namespace govsim
