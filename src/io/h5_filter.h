// Series chunks filtered ahead of writing, byte for byte as HDF5's shuffle and deflate filters store them
// (a zlib stream of the shuffled bytes), so the compression runs on any thread, outside the lock a serial
// HDF5 needs, and the file is written with direct chunk writes. Any HDF5 reader decodes the chunks with its
// own deflate filter. Internal to src/io.
#pragma once

#include <cstddef>
#include <vector>

namespace govsim::h5 {

// The deflate level of every chunked dataset govsim writes (the dataset creation property says the same).
inline constexpr int kDeflateLevel = 1;

// `nbytes` bytes of `element`-byte values, shuffled (byte k of every value together) and deflated.
std::vector<unsigned char> encode_chunk(const void* data, std::size_t nbytes, std::size_t element);

}  // namespace govsim::h5
