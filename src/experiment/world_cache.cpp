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
  std::shared_future<std::shared_ptr<const World>> pending;
  std::promise<std::shared_ptr<const World>> promise;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    if (it != entries_.end()) {
      entries_.splice(entries_.begin(), entries_, it);
      found = it->world;
      ++reused_;
    } else if (auto b = building_.find(key); b != building_.end()) {
      pending = b->second.world;
      ++b->second.waiting;
      ++reused_;
    } else {
      building_.emplace(key, Building{promise.get_future().share(), 0});
    }
  }
  if (found) return *found;                    // the copy is made outside the lock
  if (pending.valid()) return *pending.get();  // built by another thread (rethrows its error)
  std::shared_ptr<World> world;
  try {
    world = std::make_shared<World>(generate_world(cfg.params, seed));
  } catch (...) {
    std::lock_guard lock(mutex_);
    building_.erase(key);
    promise.set_exception(std::current_exception());
    throw;
  }
  const std::size_t bytes = world->bytes();
  bool waited = false;
  {
    std::lock_guard lock(mutex_);
    ++built_;
    waited = building_.at(key).waiting > 0;
    building_.erase(key);
    if (bytes <= max_bytes_) {
      entries_.push_front({key, world, bytes});
      bytes_ += bytes;
      while (bytes_ > max_bytes_) {
        bytes_ -= entries_.back().bytes;
        entries_.pop_back();
      }
    }
  }
  promise.set_value(world);
  // A world too big to keep, that nobody waited for, is handed over without a copy (a city's is 1.9 GB).
  if (bytes > max_bytes_ && !waited) return std::move(*world);
  return *world;
}

}  // namespace govsim
