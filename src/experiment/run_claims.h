// Claims on a sweep's runs, so that two sweeps on one directory (a second process, a second host, a task
// started twice) share its runs instead of doing each twice. A claim is DIR/<run id>.claim, created
// exclusively, holding "HOST PID"; the holder removes it when the run's journal is written. A claim is stale,
// and may be taken over, when its process is gone (same host) or it has not been refreshed for kStaleAfter
// (a holder refreshes its claims every kRefreshEvery from a thread, so only a dead one stops). Two takers
// of one stale claim may both run the run: journals are written atomically, so that costs time, not data.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace govsim {

class RunClaims {
 public:
  static constexpr std::chrono::seconds kRefreshEvery{15};
  static constexpr std::chrono::seconds kStaleAfter{120};

  explicit RunClaims(std::filesystem::path dir);
  ~RunClaims();  // releases every claim still held (a sweep that stops on an error)
  RunClaims(const RunClaims&) = delete;
  RunClaims& operator=(const RunClaims&) = delete;

  // True if this process now holds `id` (it was free or stale); false while another live process holds it.
  bool take(const std::string& id);
  void release(const std::string& id);
  // Whether a live process other than this one holds `id`.
  bool held_by_other(const std::string& id) const;

 private:
  std::filesystem::path path(const std::string& id) const { return dir_ / (id + ".claim"); }
  bool stale(const std::filesystem::path& p) const;
  void refresh_loop();

  std::filesystem::path dir_;
  std::string me_;  // "HOST PID"
  mutable std::mutex mu_;
  std::set<std::string> held_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread refresher_;
};

}  // namespace govsim
