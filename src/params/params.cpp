#include "params/params.h"

namespace govsim {

void Params::declare(ParamRegistry& r) {
  GOVSIM_BIND_SECTION(r, "run", run, GOVSIM_RUN_PARAMS);
  GOVSIM_BIND_SECTION(r, "district", district, GOVSIM_DISTRICT_PARAMS);
  GOVSIM_BIND_SECTION(r, "demand", demand, GOVSIM_DEMAND_PARAMS);
  GOVSIM_BIND_SECTION(r, "grid", grid, GOVSIM_GRID_PARAMS);
  GOVSIM_BIND_SECTION(r, "ladder", ladder, GOVSIM_LADDER_PARAMS);
  GOVSIM_BIND_SECTION(r, "opinion", opinion, GOVSIM_OPINION_PARAMS);
  GOVSIM_BIND_SECTION(r, "cost", cost, GOVSIM_COST_PARAMS);
}

}  // namespace govsim
