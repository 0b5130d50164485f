// Builds a synthetic district from parameters: streets -> communities -> grids -> households -> residents,
// grid workers, co-building units, district leaders and in-service members.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/world.h"
#include "params/params.h"

namespace govsim {

// One community type's parameters (district.type_share_<type>, district.<type>_<trait>_weight): its share of
// the communities and its relative weights, each normalised over a world so that the district keeps its mean.
struct TypeWeights {
  double share = 0, elderly = 1, young = 1;
  std::array<double, kKinds> demand{1, 1, 1};
  double unmanaged = 1, staff = 1;
};
std::array<TypeWeights, kCommunityTypes> type_weights(const DistrictParams& d);

// Per type, normalised over a world with `residents` (or `grids`) per type (docs/ODD.md §5): the young and
// elderly shares, whose resident-weighted means are district.share_young and share_elderly; and the chance
// that a grid has no property management, min(1, λ·weight) with λ set so that the grid-weighted mean is
// district.old_neighbourhood_share (less only when the types with a positive weight cannot hold that many).
struct TypeAges {
  std::array<double, kCommunityTypes> young{}, elderly{};
};
TypeAges type_age_shares(const DistrictParams& d, const std::array<double, kCommunityTypes>& residents);
std::array<double, kCommunityTypes> type_unmanaged_shares(const DistrictParams& d,
                                                          const std::array<double, kCommunityTypes>& grids);

// Throws InputError naming the keys if the type shares do not sum to 1, or if a type present in `residents`
// gets young and elderly shares above 1 in all. `where(key)` gives the place a key was set ("file:line").
template <class Where>
void check_types(const DistrictParams& d, const std::array<double, kCommunityTypes>& residents, Where where);

// Deterministic in (params, seed) and independent of the thread count.
World generate_world(const Params& p, std::uint64_t seed);

// Builds the neighbour network within each grid: a ring over the grid's residents in household order, with
// a share of links rewired to random residents of the same grid. The links go into the residents' records
// where they fit (World::links_inline) unless allow_inline is false; the same links either way.
void build_network(World& w, int degree, double rewire, float weight, std::uint64_t seed,
                   bool allow_inline = true);

template <class Where>
void check_types(const DistrictParams& d, const std::array<double, kCommunityTypes>& residents, Where where) {
  const auto w = type_weights(d);
  double sum = 0;
  for (const auto& t : w) sum += t.share;
  if (std::abs(sum - 1.0) > 1e-6)
    throw InputError(
        where("district.type_share_old") +
        ": keys 'district.type_share_old', 'district.type_share_commercial', "
        "'district.type_share_work_unit' and 'district.type_share_resettled' must sum to 1 (they sum to " +
        std::to_string(sum) + ")");
  const TypeAges a = type_age_shares(d, residents);
  for (int t = 0; t < kCommunityTypes; ++t) {
    if (residents[t] <= 0 || a.young[t] + a.elderly[t] <= 1.0 + 1e-12) continue;
    const std::string name = community_type_name(static_cast<CommunityType>(t));
    const std::string key = "district." + name + "_elderly_weight";
    throw InputError(where(key) + ": key '" + key + "': with 'district." + name + "_young_weight' it gives " +
                     name + " communities young and elderly shares of " + std::to_string(a.young[t]) + " + " +
                     std::to_string(a.elderly[t]) +
                     ", above 1 (lower the weights or district.share_young / share_elderly)");
  }
}

}  // namespace govsim
