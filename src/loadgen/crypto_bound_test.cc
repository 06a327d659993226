#include "loadgen/crypto_bound.h"

#include <gtest/gtest.h>

namespace devtrust::loadgen {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// One short batch per operation keeps the test fast; the command uses five.
constexpr int kBatches = 1;
constexpr milliseconds kBatchTime{5};

TEST(MeasureCryptoBoundTest, ValidateCountsVerifyAndSession) {
  Result<CryptoBound> bound = MeasureCryptoBound(Workload::kValidate, 2, kBatches, kBatchTime);
  ASSERT_TRUE(bound.has_value()) << bound.error().ToString();

  ASSERT_EQ(bound->operations.size(), 2u);
  EXPECT_EQ(bound->operations[0].name, "ML-DSA-65 verify (login proof)");
  EXPECT_TRUE(bound->operations[1].name.starts_with("ML-KEM-768 + X25519 session key"));
  for (const CryptoOperationCost& cost : bound->operations) {
    EXPECT_GT(cost.cpu_time, nanoseconds(0)) << cost.name;
  }
  EXPECT_EQ(bound->cpu_per_request, bound->operations[0].cpu_time + bound->operations[1].cpu_time);
}

TEST(MeasureCryptoBoundTest, RegisterCountsTwoVerifiesAndTwoSignatures) {
  Result<CryptoBound> bound = MeasureCryptoBound(Workload::kRegister, 2, kBatches, kBatchTime);
  ASSERT_TRUE(bound.has_value()) << bound.error().ToString();

  ASSERT_EQ(bound->operations.size(), 4u);
  EXPECT_EQ(bound->operations[0].name, "ML-DSA-65 verify (registration proof)");
  EXPECT_EQ(bound->operations[1].name, "ECDSA P-256 verify (registration proof)");
  EXPECT_EQ(bound->operations[2].name, "ML-DSA-65 sign (device certificate)");
  EXPECT_EQ(bound->operations[3].name, "ECDSA P-256 sign (twin certificate)");
  nanoseconds total{0};
  for (const CryptoOperationCost& cost : bound->operations) {
    EXPECT_GT(cost.cpu_time, nanoseconds(0)) << cost.name;
    total += cost.cpu_time;
  }
  EXPECT_EQ(bound->cpu_per_request, total);
}

TEST(MeasureCryptoBoundTest, MaxRateIsCoresOverCpuTime) {
  Result<CryptoBound> bound = MeasureCryptoBound(Workload::kValidate, 4, kBatches, kBatchTime);
  ASSERT_TRUE(bound.has_value()) << bound.error().ToString();

  EXPECT_EQ(bound->cores, 4u);
  const double seconds = std::chrono::duration<double>(bound->cpu_per_request).count();
  EXPECT_DOUBLE_EQ(bound->max_rate, 4 / seconds);
}

TEST(MeasureCryptoBoundTest, ZeroCoresCountsAsOne) {
  Result<CryptoBound> bound = MeasureCryptoBound(Workload::kValidate, 0, kBatches, kBatchTime);
  ASSERT_TRUE(bound.has_value()) << bound.error().ToString();
  EXPECT_EQ(bound->cores, 1u);
}

TEST(WorkloadNameTest, Names) {
  EXPECT_EQ(WorkloadName(Workload::kValidate), "validate");
  EXPECT_EQ(WorkloadName(Workload::kRegister), "register");
}

}  // namespace
}  // namespace devtrust::loadgen
