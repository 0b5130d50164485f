// Worlds shared between runs (experiment/world_cache.h): a shared world is the world the run would have
// built, and the cache's key holds every parameter a world is built from.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/population.h"
#include "experiment/runner.h"
#include "experiment/world_cache.h"

namespace govsim {
namespace {

bool same_world(const World& a, const World& b) {
  return a.residents.state == b.residents.state &&
         a.households.first_resident == b.households.first_resident &&
         a.grids.first_household == b.grids.first_household && a.grids.first_worker == b.grids.first_worker &&
         a.grids.community == b.grids.community && a.grids.old_neighbourhood == b.grids.old_neighbourhood &&
         a.grids.visit_cursor == b.grids.visit_cursor &&
         a.communities.first_grid == b.communities.first_grid &&
         a.communities.street == b.communities.street && a.communities.leader == b.communities.leader &&
         a.communities.type == b.communities.type &&
         a.communities.demand_factor == b.communities.demand_factor &&
         a.streets.first_community == b.streets.first_community && a.workers.grid == b.workers.grid &&
         a.workers.fatigue == b.workers.fatigue && a.workers.tenure_days == b.workers.tenure_days &&
         a.workers.admin_backlog == b.workers.admin_backlog && a.workers.task_load == b.workers.task_load &&
         a.workers.willingness == b.workers.willingness && a.workers.vacant_until == b.workers.vacant_until &&
         a.units.type == b.units.type && a.units.community == b.units.community &&
         a.units.engagement == b.units.engagement && a.units.budget_staff_days == b.units.budget_staff_days &&
         a.units.capability == b.units.capability && a.leaders.count == b.leaders.count &&
         a.members.resident == b.members.resident && a.members.community == b.members.community &&
         a.neighbour_weight == b.neighbour_weight && a.links_inline == b.links_inline &&
         a.neighbours.nonZeros() == b.neighbours.nonZeros() && a.neighbours.isApprox(b.neighbours, 0.0f);
}

Scenario small() {
  Scenario s;
  s.set("district.communities", "6", "test");
  s.set("run.days", "30", "test");
  return s;
}

// Every parameter but the world's, moved to another allowed value, leaves the world as it was; so
// runs that differ only in those share a world. One inside them does change it.
TEST(WorldCache, OnlyTheWorldParametersChangeAWorld) {
  const Scenario base = small();
  const World expected = generate_world(base.params, 7);
  int tried = 0;
  for (const auto& spec : base.registry().specs()) {
    if (is_world_parameter(spec.key)) continue;
    std::string other;
    if (spec.type == ParamType::kString) {
      for (const auto& c : spec.choices)
        if (c != spec.get()) other = c;
      if (other.empty()) continue;  // free text (names, paths, mechanism lists): read by no world
    } else if (spec.type == ParamType::kBool) {
      other = spec.get_number() != 0 ? "false" : "true";
    } else {
      const double v = spec.get_number();
      const double to = v != spec.max ? spec.max : spec.min;
      if (to == v) continue;
      other = spec.type == ParamType::kInt ? std::to_string(static_cast<long long>(to)) : std::to_string(to);
    }
    Scenario changed = base;
    changed.set(spec.key, other, "test");
    EXPECT_TRUE(same_world(expected, generate_world(changed.params, 7))) << spec.key << " = " << other;
    ++tried;
  }
  EXPECT_GT(tried, 150);
  for (const char* key : kWorldParameters) EXPECT_NE(base.registry().find(key), nullptr) << key;
  Scenario changed = base;
  changed.set("opinion.satisfaction_mean", "0.3", "test");
  EXPECT_FALSE(same_world(expected, generate_world(changed.params, 7)));
  EXPECT_NE(world_key(base, 7), world_key(changed, 7));
  EXPECT_NE(world_key(base, 7), world_key(base, 8));
}

TEST(WorldCache, ASharedWorldIsTheWorldTheRunWouldBuild) {
  const Scenario base = small();
  Scenario arm = base;
  arm.set("run.mechanisms", "joint_handling", "test");  // not a world parameter: the same world
  WorldCache cache(std::size_t{64} << 20);
  EXPECT_TRUE(same_world(cache.get(base, 3), generate_world(base.params, 3)));
  EXPECT_TRUE(same_world(cache.get(arm, 3), generate_world(base.params, 3)));
  EXPECT_TRUE(same_world(cache.get(base, 4), generate_world(base.params, 4)));
  EXPECT_EQ(cache.built(), 2u);
  EXPECT_EQ(cache.reused(), 1u);
  // A run from a shared world gives the same results as one that built its own.
  const RunSummary own = run_replicate(arm, 0, nullptr).summary;
  const RunSummary shared = run_replicate(arm, 0, nullptr, &cache).summary;
  EXPECT_EQ(own.resolved, shared.resolved);
  EXPECT_EQ(own.share_good, shared.share_good);
  EXPECT_EQ(own.hard_closed, shared.hard_closed);
}

TEST(WorldCache, KeepsWithinItsBytes) {
  const Scenario base = small();
  const std::size_t one = generate_world(base.params, 1).bytes();
  WorldCache cache(one + one / 2);  // room for one world
  cache.get(base, 1);
  cache.get(base, 2);  // pushes world 1 out
  cache.get(base, 1);
  EXPECT_EQ(cache.built(), 3u);
  EXPECT_EQ(cache.reused(), 0u);
  cache.get(base, 1);
  EXPECT_EQ(cache.reused(), 1u);
}

// Threads asking for one world at once build it once: the others wait for it. A world too big to keep is
// built again by a later request, and handed to each requester whole.
TEST(WorldCache, ThreadsAskingAtOnceBuildOnce) {
  const Scenario base = small();
  const World want = generate_world(base.params, 5);
  for (const std::size_t room : {std::size_t{64} << 20, std::size_t{1}}) {
    WorldCache cache(room);
    std::vector<World> got(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < got.size(); ++t)
      threads.emplace_back([&, t] { got[t] = cache.get(base, 5); });
    for (auto& t : threads) t.join();
    for (const auto& w : got) EXPECT_TRUE(same_world(w, want));
    EXPECT_EQ(cache.built() + cache.reused(), 4u);
    EXPECT_GE(cache.built(), 1u);
    if (room > 1) {
      EXPECT_EQ(cache.built(), 1u);  // kept, or waited for
    }
  }
}

}  // namespace
}  // namespace govsim
