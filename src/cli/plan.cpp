#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace govsim::cli {

int cmd_plan(const std::vector<std::string>&, const std::string&) {
  std::cerr << "govsim: plan: not built yet\n";
  return 2;
}

}  // namespace govsim::cli
