// Builds a synthetic district from parameters: streets -> communities -> grids -> households -> residents,
// grid workers, co-building units, district leaders and in-service members.
#pragma once

#include <cstdint>

#include "core/world.h"
#include "params/params.h"

namespace govsim {

// Deterministic in (params, seed) and independent of the thread count.
World generate_world(const Params& p, std::uint64_t seed);

// Builds the neighbour network within each grid: a ring over the grid's residents in household order, with
// a share of links rewired to random residents of the same grid.
void build_network(World& w, int degree, double rewire, float weight, std::uint64_t seed);

}  // namespace govsim
