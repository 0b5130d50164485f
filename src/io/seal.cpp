#include "io/seal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
// Compiled in from the header (no library to link: one header to carry to a cluster).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace govsim {

namespace {

constexpr const char* kMagic = "GOVSIM-SEAL 1";

// Closes a file descriptor on scope exit.
struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

std::string errno_text() {
  return std::strerror(errno);
}

// XXH3-128 of bytes [kSealBytes, size) as 32 hex digits; "" with `error` set on a read error.
std::string digest_after_seal(int fd, std::uint64_t size, std::string& error) {
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(), XXH3_freeState);
  if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) {
    error = "cannot start a checksum";
    return "";
  }
  std::vector<char> buf(std::size_t{1} << 20);
  std::uint64_t at = kSealBytes;
  while (at < size) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? "read error: " + errno_text() : "file shorter than its size";
      return "";
    }
    XXH3_128bits_update(state.get(), buf.data(), static_cast<std::size_t>(n));
    at += static_cast<std::uint64_t>(n);
  }
  const XXH128_hash_t h = XXH3_128bits_digest(state.get());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return hex;
}

}  // namespace

void seal_file(const std::string& path, const std::string& label) {
  auto fail = [&](const std::string& what) { return std::runtime_error(path + ": " + what); };
  if (label.find_first_of("\n\r") != std::string::npos || label.size() > 256)
    throw fail("seal label must be one short line");
  Fd f(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (f.fd < 0) throw fail("cannot open to seal: " + errno_text());
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw fail("cannot stat: " + errno_text());
  const auto size = static_cast<std::uint64_t>(st.st_size);
  char block[kSealBytes] = {};
  if (size < kSealBytes || ::pread(f.fd, block, kSealBytes, 0) != static_cast<ssize_t>(kSealBytes))
    throw fail("too short to seal");
  for (char c : block)
    if (c != 0) throw fail("no empty user block to hold the seal");
  std::string error;
  const std::string digest = digest_after_seal(f.fd, size, error);
  if (digest.empty()) throw fail(error);
  std::ostringstream text;
  text << kMagic << "\nxxh3-128 " << digest << "\nbytes " << size << "\nlabel " << label << "\n";
  const std::string s = text.str();
  if (::pwrite(f.fd, s.data(), s.size(), 0) != static_cast<ssize_t>(s.size()))
    throw fail("cannot write its seal: " + errno_text());
  if (::fsync(f.fd) != 0) throw fail("cannot flush to disk: " + errno_text());
}

SealCheck check_seal(const std::string& path) {
  SealCheck c;
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) {
    c.problem = "cannot open: " + errno_text();
    return c;
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    c.problem = "not a regular file";
    return c;
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  char block[kSealBytes + 1] = {};
  if (size < kSealBytes || ::pread(f.fd, block, kSealBytes, 0) != static_cast<ssize_t>(kSealBytes) ||
      std::strncmp(block, kMagic, std::strlen(kMagic)) != 0) {
    c.problem = "no govsim seal (not written by this govsim, truncated, or its first bytes overwritten)";
    return c;
  }
  c.sealed = true;
  std::istringstream in(block);
  std::string line, digest;
  std::uint64_t bytes = 0;
  bool have_digest = false, have_bytes = false;
  while (std::getline(in, line)) {
    if (line.rfind("xxh3-128 ", 0) == 0) {
      digest = line.substr(9);
      have_digest = true;
    } else if (line.rfind("bytes ", 0) == 0) {
      try {
        bytes = std::stoull(line.substr(6));
        have_bytes = true;
      } catch (const std::exception&) {
      }
    } else if (line.rfind("label ", 0) == 0) {
      c.label = line.substr(6);
    }
  }
  if (!have_digest || !have_bytes) {
    c.problem = "damaged seal (its checksum or length cannot be read)";
    return c;
  }
  if (bytes != size) {
    c.problem = (size < bytes ? "truncated: " : "extended: ") + std::to_string(size) + " bytes, sealed as " +
                std::to_string(bytes);
    return c;
  }
  std::string error;
  const std::string now = digest_after_seal(f.fd, size, error);
  if (now.empty()) {
    c.problem = error;
    return c;
  }
  if (now != digest) {
    c.problem = "checksum mismatch: its contents changed after govsim wrote them";
    return c;
  }
  c.ok = true;
  return c;
}

}  // namespace govsim
