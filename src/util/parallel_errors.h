// An exception may not leave an OpenMP parallel region (the process would terminate): a loop that can throw
// (running out of memory while it grows a store) runs its body through ParallelErrors::run, and the first
// exception is rethrown on the calling thread after the loop, where a run's own error handling sees it.
#pragma once

#include <atomic>
#include <exception>
#include <mutex>

namespace govsim {

class ParallelErrors {
 public:
  template <class F>
  void run(F&& body) noexcept {
    if (failed_.load(std::memory_order_relaxed)) return;  // the loop's result is lost anyway
    try {
      body();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!error_) error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::atomic<bool> failed_{false};
  std::mutex mu_;
  std::exception_ptr error_;
};

}  // namespace govsim
