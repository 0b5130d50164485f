#include "experiment/run_claims.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "util/files.h"

namespace fs = std::filesystem;

namespace govsim {

RunClaims::RunClaims(fs::path dir)
    : dir_(std::move(dir)), me_(host_name() + " " + std::to_string(::getpid())) {
  refresher_ = std::thread([this] { refresh_loop(); });
}

RunClaims::~RunClaims() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  refresher_.join();
  std::error_code ec;
  for (const auto& id : held_) fs::remove(path(id), ec);
}

bool RunClaims::stale(const fs::path& p) const {
  std::ifstream in(p);
  std::string host, pid;
  in >> host >> pid;
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return false;
  const auto age = std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime);
  // A claim without its holder's name: one written before claims were made whole (a holder killed between
  // creating and writing it left it empty), or one on a file system without hard links being written this
  // instant. A few seconds settle which; it never blocks a run for good.
  if (!in) return age > std::chrono::seconds(5);
  if (host == host_name() && process_gone(pid)) return true;
  return age > kStaleAfter;
}

bool RunClaims::take(const std::string& id) {
  const fs::path p = path(id);
  // The claim appears whole or not at all: written under a temporary name, then hard-linked to its name
  // (link fails if the name exists, as O_EXCL does). A holder killed half-way leaves a temporary, which
  // remove_dead_temporaries clears, never an empty claim that looks like a live one.
  const std::string tmp = temporary_name(p.string());
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return true;  // claims cannot be made here: run it unclaimed
    const std::string text = me_ + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    int linked = written ? ::link(tmp.c_str(), p.c_str()) : -1;
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (!written) return true;  // a full disk: run it without a claim rather than not at all
    if (linked != 0 && link_errno != EEXIST) {
      // No hard links here (some network file systems): create the claim with O_EXCL and write it.
      const int cfd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (cfd < 0 && errno != EEXIST) return true;
      if (cfd >= 0) {
        const bool ok = ::write(cfd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        ::close(cfd);
        if (!ok) {
          std::error_code ec;
          fs::remove(p, ec);
          return true;
        }
        linked = 0;
      }
    }
    if (linked == 0) {
      std::lock_guard<std::mutex> lock(mu_);
      held_.insert(id);
      return true;
    }
    if (!stale(p)) return false;
    std::error_code ec;
    fs::remove(p, ec);  // take the dead holder's claim over
  }
  return false;
}

void RunClaims::release(const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (held_.erase(id) == 0) return;
  }
  std::error_code ec;
  fs::remove(path(id), ec);
}

bool RunClaims::held_by_other(const std::string& id) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (held_.count(id)) return false;
  }
  std::error_code ec;
  return fs::exists(path(id), ec) && !stale(path(id));
}

void RunClaims::refresh_loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, kRefreshEvery, [this] { return stop_; });
    if (stop_) break;
    for (const auto& id : held_) ::utimensat(AT_FDCWD, path(id).c_str(), nullptr, 0);
  }
}

}  // namespace govsim
