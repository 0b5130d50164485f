// Worlds built once per (seed, world parameters) and copied for every run that shares them. Under common
// random numbers replicate k of every arm and design point builds the same world unless the point varies
// a parameter the world is built from (is_world_parameter), so a comparison of four arms builds a quarter
// of its worlds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/world.h"
#include "experiment/scenario.h"

namespace govsim {

// The parameters generate_world reads: the district section and these (tests/unit/experiment/
// test_world_cache.cpp moves every other parameter and checks that the world stays the same).
inline constexpr const char* kWorldParameters[] = {"opinion.awareness_initial",
                                                   "opinion.digital_elderly",
                                                   "opinion.digital_working",
                                                   "opinion.digital_young",
                                                   "opinion.participation_elderly",
                                                   "opinion.participation_working",
                                                   "opinion.participation_young",
                                                   "opinion.propensity_sd",
                                                   "opinion.satisfaction_mean",
                                                   "opinion.satisfaction_sd",
                                                   "opinion.trust_mean",
                                                   "opinion.trust_sd",
                                                   "opinion.wom_degree",
                                                   "opinion.wom_rewire",
                                                   "opinion.wom_weight",
                                                   "grid.ramp_days",
                                                   "grid.staffing_cv",
                                                   "grid.workers_per_grid",
                                                   "demand.old_shared_multiplier"};
bool is_world_parameter(const std::string& key);

// The world's identity: the seed and every world parameter, as text.
std::string world_key(const Scenario& cfg, std::uint64_t seed);

// What a sweep or comparison keeps of worlds (a default district's is about 14 MB, a city's 1.9 GB).
inline constexpr std::size_t kWorldCacheBytes = std::size_t{512} << 20;

class WorldCache {
 public:
  // Keeps worlds up to `max_bytes` in all (World::bytes), the least recently used leaving first; a world
  // larger than that is built every time.
  explicit WorldCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  // A copy of the world of (cfg, seed), built now if no earlier run built it. Safe from several threads: a
  // thread asking for a world another is building waits for it rather than building it again.
  World get(const Scenario& cfg, std::uint64_t seed);
  std::size_t built() const { return built_; }
  std::size_t reused() const { return reused_; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const World> world;
    std::size_t bytes;
  };
  std::size_t max_bytes_, bytes_ = 0, built_ = 0, reused_ = 0;
  std::list<Entry> entries_;  // most recently used first
  struct Building {           // a world one thread is building, and how many others wait for it
    std::shared_future<std::shared_ptr<const World>> world;
    int waiting = 0;
  };
  std::map<std::string, Building> building_;
  std::mutex mutex_;
};

}  // namespace govsim
