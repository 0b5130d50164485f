#include "io/h5_filter.h"

#include <libdeflate.h>

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
  const auto* in = static_cast<const unsigned char*>(data);
  std::vector<unsigned char> shuffled(nbytes);
  const std::size_t n = element > 1 ? nbytes / element : 0;
  if (n > 1) {
    for (std::size_t k = 0; k < element; ++k)
      for (std::size_t i = 0; i < n; ++i) shuffled[k * n + i] = in[i * element + k];
    for (std::size_t b = n * element; b < nbytes; ++b) shuffled[b] = in[b];
  } else {
    shuffled.assign(in, in + nbytes);
  }
  libdeflate_compressor* c = compressor();
  std::vector<unsigned char> out(libdeflate_zlib_compress_bound(c, nbytes));
  const std::size_t size = libdeflate_zlib_compress(c, shuffled.data(), nbytes, out.data(), out.size());
  if (size == 0) throw std::runtime_error("deflate failed");
  out.resize(size);
  return out;
}

}  // namespace govsim::h5
