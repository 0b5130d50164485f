// io/seal.h: a sealed file passes, and any change to it (a flipped bit anywhere past the seal, a truncation,
// an extension, a damaged seal) fails with a reason; a file written by govsim's HDF5 writer is sealed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/seal.h"

namespace govsim {
namespace {

namespace fs = std::filesystem;

class Seal : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("govsim_seal_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::vector<char> bytes(kSealBytes + 5000);
    for (std::size_t i = kSealBytes; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + 3);
    std::ofstream(path_, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  void TearDown() override { fs::remove(path_); }
  void poke(std::size_t at, char value) {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at));
    f.put(value);
  }
  std::string path_;
};

TEST_F(Seal, ASealedFilePassesWithItsLabel) {
  seal_file(path_, "0123456789abcdef");
  const SealCheck c = check_seal(path_);
  EXPECT_TRUE(c.ok) << c.problem;
  EXPECT_TRUE(c.sealed);
  EXPECT_EQ(c.label, "0123456789abcdef");
}

TEST_F(Seal, EveryFlippedByteIsFound) {
  seal_file(path_);
  for (std::size_t at : {kSealBytes, kSealBytes + 1, kSealBytes + 2500, kSealBytes + 4999}) {
    std::ifstream in(path_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(at));
    const char old = static_cast<char>(in.get());
    in.close();
    poke(at, static_cast<char>(old ^ 0x01));
    const SealCheck c = check_seal(path_);
    EXPECT_FALSE(c.ok) << "byte " << at;
    EXPECT_NE(c.problem.find("checksum mismatch"), std::string::npos) << c.problem;
    poke(at, old);
    EXPECT_TRUE(check_seal(path_).ok);
  }
}

TEST_F(Seal, TruncatedExtendedAndUnsealedFilesFail) {
  EXPECT_FALSE(check_seal(path_).sealed);  // never sealed
  EXPECT_NE(check_seal(path_).problem.find("no govsim seal"), std::string::npos);
  seal_file(path_);
  fs::resize_file(path_, kSealBytes + 4000);
  EXPECT_NE(check_seal(path_).problem.find("truncated: 4512 bytes, sealed as 5512"), std::string::npos)
      << check_seal(path_).problem;
  fs::resize_file(path_, kSealBytes + 6000);
  EXPECT_NE(check_seal(path_).problem.find("extended"), std::string::npos);
  EXPECT_FALSE(check_seal(path_ + ".missing").ok);
}

TEST_F(Seal, ADamagedSealFails) {
  seal_file(path_);
  poke(20, 'x');  // inside the checksum's digits or its line
  EXPECT_FALSE(check_seal(path_).ok);
}

TEST_F(Seal, OnlyAnEmptyUserBlockIsSealed) {
  seal_file(path_);
  EXPECT_THROW(seal_file(path_), std::runtime_error);  // sealing twice would hide a change
  EXPECT_THROW(seal_file(path_ + ".missing"), std::runtime_error);
}

}  // namespace
}  // namespace govsim
