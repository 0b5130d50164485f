#include "experiment/world_cache.h"

#include <algorithm>

#include "core/population.h"

namespace govsim {

bool is_world_parameter(const std::string& key) {
  if (key.starts_with("district.")) return true;
  for (const char* k : kWorldParameters)
    if (key == k) return true;
  return false;
}

std::string world_key(const Scenario& cfg, std::uint64_t seed) {
  std::string key = std::to_string(seed);
  for (const auto& s : cfg.registry().specs())
    if (is_world_parameter(s.key)) key += "\n" + s.key + "=" + s.get();
  return key;
}

World WorldCache::get(const Scenario& cfg, std::uint64_t seed) {
  const std::string key = world_key(cfg, seed);
  std::shared_ptr<const World> found;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    if (it != entries_.end()) {
      entries_.splice(entries_.begin(), entries_, it);
      found = it->world;
      ++reused_;
    }
  }
  if (found) return *found;  // the copy is made outside the lock
  World world = generate_world(cfg.params, seed);
  const std::size_t bytes = world.bytes();
  std::lock_guard lock(mutex_);
  ++built_;
  if (bytes > max_bytes_) return world;
  if (std::none_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; })) {
    entries_.push_front({key, std::make_shared<const World>(world), bytes});
    bytes_ += bytes;
    while (bytes_ > max_bytes_) {
      bytes_ -= entries_.back().bytes;
      entries_.pop_back();
    }
  }
  return world;
}

}  // namespace govsim
