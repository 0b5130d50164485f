// Chunks encoded by govsim (shuffle and deflate ahead of HDF5) read back through HDF5's own filters as the
// values they were made from, for each element size and for an edge chunk that overhangs the extent.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "io/h5_filter.h"

namespace govsim {
namespace {

namespace fs = std::filesystem;

template <class T>
std::vector<T> values(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::vector<T> v(n);
  for (auto& x : v) {
    if constexpr (std::is_floating_point_v<T>) {
      x = static_cast<T>(std::normal_distribution<double>(10, 3)(gen));
    } else {
      x = static_cast<T>(gen() % 7);  // compressible, like counts
    }
  }
  if constexpr (std::is_floating_point_v<T>) v[n / 2] = std::numeric_limits<T>::quiet_NaN();
  return v;
}

// Writes `data` ([rows, cols], chunks [1, chunk_cols]) by direct chunk writes of encode_chunk's bytes into a
// dataset with HDF5's shuffle and deflate filters, and reads it back with H5Dread.
template <class T>
std::vector<T> round_trip(const std::vector<T>& data, hsize_t rows, hsize_t cols, hsize_t chunk_cols,
                          hid_t file_type, hid_t mem_type) {
  const fs::path path = fs::temp_directory_path() / ("govsim_filter_" + std::to_string(::getpid()) + ".h5");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(file, 0);
  const hsize_t dims[2] = {rows, cols}, chunk[2] = {1, chunk_cols};
  const hid_t space = H5Screate_simple(2, dims, nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 2, chunk);
  H5Pset_shuffle(dcpl);
  H5Pset_deflate(dcpl, h5::kDeflateLevel);
  const hid_t d = H5Dcreate2(file, "x", file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  EXPECT_GE(d, 0);
  for (hsize_t r = 0; r < rows; ++r)
    for (hsize_t c0 = 0; c0 < cols; c0 += chunk_cols) {
      std::vector<T> buf(chunk_cols, T{});  // an edge chunk is stored whole
      for (hsize_t c = c0; c < std::min(cols, c0 + chunk_cols); ++c) buf[c - c0] = data[r * cols + c];
      const auto bytes = h5::encode_chunk(buf.data(), buf.size() * sizeof(T), sizeof(T));
      const hsize_t offset[2] = {r, c0};
      EXPECT_GE(H5Dwrite_chunk(d, H5P_DEFAULT, 0, offset, bytes.size(), bytes.data()), 0);
    }
  std::vector<T> back(rows * cols);
  EXPECT_GE(H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0);
  H5Dclose(d);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Fclose(file);
  fs::remove(path);
  return back;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

TEST(H5Filter, DoublesReadBackThroughHdf5sFilters) {
  const auto v = values<double>(3 * 365, 1);
  EXPECT_TRUE(same_bits(round_trip(v, 3, 365, 365, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE), v));
}

TEST(H5Filter, FloatsWithAnEdgeChunkReadBack) {
  // 50 columns in chunks of 16: the last chunk overhangs the extent by 14.
  const auto v = values<float>(4 * 50, 2);
  EXPECT_TRUE(same_bits(round_trip(v, 4, 50, 16, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT), v));
}

TEST(H5Filter, BytesAndSingleValuesReadBack) {
  const auto b = values<std::uint8_t>(2 * 100, 3);  // one-byte values: the shuffle leaves them alone
  EXPECT_EQ(round_trip(b, 2, 100, 100, H5T_STD_U8LE, H5T_NATIVE_UINT8), b);
  const auto one = values<std::int32_t>(5, 4);  // chunks of one value: nothing to shuffle either
  EXPECT_EQ(round_trip(one, 5, 1, 1, H5T_STD_I32LE, H5T_NATIVE_INT32), one);
}

TEST(H5Filter, CompressesWhatRepeats) {
  const std::vector<double> zeros(1000, 0.0);
  EXPECT_LT(h5::encode_chunk(zeros.data(), zeros.size() * sizeof(double), sizeof(double)).size(), 100u);
}

}  // namespace
}  // namespace govsim
