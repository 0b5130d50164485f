#include "io/h5_filter.h"

#include <libdeflate.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace govsim::h5 {

namespace {

struct FreeCompressor {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One compressor per thread: it holds the match finder's tables, too big to allocate per chunk.
libdeflate_compressor* compressor() {
  thread_local std::unique_ptr<libdeflate_compressor, FreeCompressor> c(
      libdeflate_alloc_compressor(kDeflateLevel));
  if (!c) throw std::runtime_error("cannot allocate a deflate compressor");
  return c.get();
}

}  // namespace

std::vector<unsigned char> encode_chunk(const void* data, std::size_t nbytes, std::size_t element) {
  // Shuffle as H5Z's filter does: byte k of value i goes to k * n + i; bytes past the last whole value stay.
  // Scratch buffers per thread: the result is allocated once, at its compressed size.
  thread_local std::vector<unsigned char> shuffled, out;
  const auto* in = static_cast<const unsigned char*>(data);
  shuffled.resize(nbytes);
  const std::size_t n = element > 1 ? nbytes / element : 0;
  if (n > 1) {
    for (std::size_t k = 0; k < element; ++k)
      for (std::size_t i = 0; i < n; ++i) shuffled[k * n + i] = in[i * element + k];
    std::copy(in + n * element, in + nbytes, shuffled.begin() + static_cast<std::ptrdiff_t>(n * element));
  } else {
    std::copy(in, in + nbytes, shuffled.begin());
  }
  libdeflate_compressor* c = compressor();
  out.resize(libdeflate_zlib_compress_bound(c, nbytes));
  const std::size_t size = libdeflate_zlib_compress(c, shuffled.data(), nbytes, out.data(), out.size());
  if (size == 0) throw std::runtime_error("deflate failed");
  return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size)};
}

}  // namespace govsim::h5
