// Progress of a batch of runs on stderr: on a terminal one line redrawn in place (done/total, rate, ETA,
// failures); elsewhere (a Slurm log, a pipe) a whole line at most once a minute (GOVSIM_PROGRESS_SECONDS
// sets the interval), so a job's log shows how far it got without filling up.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace govsim {

// "12m05s", "3h07m"; "?" when unknown (negative).
inline std::string clock_text(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}

class ProgressLine {
 public:
  // `label` starts each line ("govsim run", "rank 2: sweep"); nothing is printed when `quiet`.
  ProgressLine(std::string label, bool quiet)
      : label_(std::move(label)), quiet_(quiet), tty_(isatty(2) != 0) {
    if (const char* s = std::getenv("GOVSIM_PROGRESS_SECONDS"); s != nullptr && *s != '\0')
      interval_ = std::max(0.0, std::atof(s));
  }

  // `done` of `total` runs finished (`failed` of them failed); `eta` in seconds, or negative to estimate it
  // from the rate so far.
  void update(std::size_t done, std::size_t total, std::size_t failed, double eta = -1) {
    if (quiet_) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double rate = elapsed > 0 ? 60.0 * static_cast<double>(done) / elapsed : 0.0;
    if (eta < 0 && done > 0) eta = elapsed * static_cast<double>(total - done) / static_cast<double>(done);
    if (tty_) {
      std::fprintf(stderr, "\r%s: %zu/%zu runs, %.1f runs/min, ETA %s, %zu failed   ", label_.c_str(), done,
                   total, rate, clock_text(eta).c_str(), failed);
      drawn_ = true;
    } else if (elapsed - last_ >= interval_ && done < total) {
      std::fprintf(stderr, "%s: %zu/%zu runs after %s, %.1f runs/min, ETA %s, %zu failed\n", label_.c_str(),
                   done, total, clock_text(elapsed).c_str(), rate, clock_text(eta).c_str(), failed);
      last_ = elapsed;
    }
    std::fflush(stderr);
  }

  // Ends the redrawn line (on a terminal).
  void finish() {
    if (drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  bool quiet_, tty_, drawn_ = false;
  double interval_ = 60, last_ = 0;
  Clock::time_point start_ = Clock::now();
};

}  // namespace govsim
