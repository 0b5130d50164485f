// experiment/run_claims.h: a claim is taken once; a live holder's claim is not taken; a dead process's
// claim, or one not refreshed for too long, is taken over; claims are released on destruction.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "experiment/run_claims.h"
#include "util/files.h"

namespace govsim {
namespace {

namespace fs = std::filesystem;

class Claims : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("govsim_claims_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void claim_as(const std::string& id, const std::string& host, long pid) {
    std::ofstream(dir_ / (id + ".claim")) << host << " " << pid << "\n";
  }
  fs::path dir_;
};

TEST_F(Claims, TakenOnceAndReleased) {
  RunClaims a(dir_);
  EXPECT_TRUE(a.take("r1"));
  EXPECT_TRUE(fs::exists(dir_ / "r1.claim"));
  EXPECT_FALSE(a.held_by_other("r1"));
  a.release("r1");
  EXPECT_FALSE(fs::exists(dir_ / "r1.claim"));
}

TEST_F(Claims, ALiveHoldersClaimIsNotTaken) {
  claim_as("r2", host_name(), static_cast<long>(::getppid()));  // our parent is alive
  RunClaims a(dir_);
  EXPECT_FALSE(a.take("r2"));
  EXPECT_TRUE(a.held_by_other("r2"));
  claim_as("r3", "another-host", 1);  // another host's, fresh: alive as far as we can tell
  EXPECT_FALSE(a.take("r3"));
}

TEST_F(Claims, ADeadProcesssClaimIsTakenOver) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // gone
  claim_as("r4", host_name(), static_cast<long>(child));
  RunClaims a(dir_);
  EXPECT_FALSE(a.held_by_other("r4"));
  EXPECT_TRUE(a.take("r4"));
}

TEST_F(Claims, AnOtherHostsClaimGoesStaleWhenNotRefreshed) {
  claim_as("r5", "another-host", 1);
  const auto old = fs::file_time_type::clock::now() - RunClaims::kStaleAfter - std::chrono::seconds(5);
  fs::last_write_time(dir_ / "r5.claim", old);
  RunClaims a(dir_);
  EXPECT_TRUE(a.take("r5"));
}

TEST_F(Claims, HeldClaimsGoWithTheirHolder) {
  {
    RunClaims a(dir_);
    EXPECT_TRUE(a.take("r6"));
    EXPECT_TRUE(a.take("r7"));
  }
  EXPECT_FALSE(fs::exists(dir_ / "r6.claim"));
  EXPECT_FALSE(fs::exists(dir_ / "r7.claim"));
}

}  // namespace
}  // namespace govsim
