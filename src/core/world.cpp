#include "core/world.h"

namespace govsim {

const char* kind_name(DemandKind k) {
  static const char* names[] = {"household", "shared", "public"};
  return names[static_cast<int>(k)];
}
const char* level_name(Level l) {
  static const char* names[] = {"grid", "community", "street", "department"};
  return names[static_cast<int>(l)];
}
const char* age_name(AgeBand a) {
  static const char* names[] = {"young", "working", "elderly"};
  return names[static_cast<int>(a)];
}
const char* unit_type_name(UnitType t) {
  static const char* names[] = {"district_organ", "section_station", "soe", "two_new"};
  return names[static_cast<int>(t)];
}

const char* community_type_name(CommunityType t) {
  static const char* names[] = {"old", "commercial", "work_unit", "resettled"};
  return names[static_cast<int>(t)];
}

template <class T>
static std::size_t vbytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

std::size_t World::bytes() const {
  const auto& r = residents;
  std::size_t b = vbytes(r.state);
  b += vbytes(households.first_resident);
  b += vbytes(grids.first_household) + vbytes(grids.first_worker) + vbytes(grids.community) +
       vbytes(grids.old_neighbourhood) + vbytes(grids.visit_cursor);
  b += vbytes(communities.first_grid) + vbytes(communities.street) + vbytes(communities.leader) +
       vbytes(communities.type);
  b += vbytes(workers.grid) + vbytes(workers.fatigue) + vbytes(workers.tenure_days) +
       vbytes(workers.admin_backlog) + vbytes(workers.task_load) + vbytes(workers.willingness) +
       vbytes(workers.vacant_until);
  b += vbytes(units.type) + vbytes(units.community) + vbytes(units.engagement) +
       vbytes(units.budget_staff_days) + vbytes(units.capability);
  b += vbytes(members.resident) + vbytes(members.community);
  if (neighbours.outerSize() > 0)  // empty when the links are in the records
    b += static_cast<std::size_t>(neighbours.nonZeros()) * (sizeof(float) + sizeof(std::int32_t)) +
         static_cast<std::size_t>(neighbours.outerSize() + 1) * sizeof(std::int32_t);
  return b;
}

}  // namespace govsim
