#include "loadgen/latency_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace devtrust::loadgen {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// 1 ms .. n ms, shuffled so that Summarize has to sort.
std::vector<nanoseconds> OneToN(int n) {
  std::vector<nanoseconds> samples;
  for (int i = 1; i <= n; ++i) samples.push_back(milliseconds(i));
  std::shuffle(samples.begin(), samples.end(), std::mt19937(7));
  return samples;
}

TEST(SummarizeTest, EmptyIsAllZero) {
  std::vector<nanoseconds> samples;
  const LatencySummary summary = Summarize(samples);
  EXPECT_EQ(summary.count, 0u);
  EXPECT_EQ(summary.p50_ms, 0);
  EXPECT_EQ(summary.p99_ms, 0);
  EXPECT_EQ(summary.max_ms, 0);
}

TEST(SummarizeTest, NearestRankOfHundred) {
  std::vector<nanoseconds> samples = OneToN(100);
  const LatencySummary summary = Summarize(samples);
  EXPECT_EQ(summary.count, 100u);
  EXPECT_DOUBLE_EQ(summary.p50_ms, 50);
  EXPECT_DOUBLE_EQ(summary.p99_ms, 99);
  // Fewer than 1,000 samples: p999 is the maximum.
  EXPECT_DOUBLE_EQ(summary.p999_ms, 100);
  EXPECT_DOUBLE_EQ(summary.max_ms, 100);
  EXPECT_DOUBLE_EQ(summary.mean_ms, 50.5);
}

TEST(SummarizeTest, NearestRankOfThousand) {
  std::vector<nanoseconds> samples = OneToN(1000);
  const LatencySummary summary = Summarize(samples);
  EXPECT_DOUBLE_EQ(summary.p50_ms, 500);
  EXPECT_DOUBLE_EQ(summary.p99_ms, 990);
  EXPECT_DOUBLE_EQ(summary.p999_ms, 999);
  EXPECT_DOUBLE_EQ(summary.max_ms, 1000);
}

TEST(SummarizeTest, SingleSampleIsEveryPercentile) {
  std::vector<nanoseconds> samples = {std::chrono::microseconds(1500)};
  const LatencySummary summary = Summarize(samples);
  EXPECT_DOUBLE_EQ(summary.p50_ms, 1.5);
  EXPECT_DOUBLE_EQ(summary.p99_ms, 1.5);
  EXPECT_DOUBLE_EQ(summary.p999_ms, 1.5);
}

TEST(SummarizeTest, OneSlowOutlierShowsOnlyInTail) {
  std::vector<nanoseconds> samples(999, milliseconds(1));
  samples.push_back(milliseconds(500));
  const LatencySummary summary = Summarize(samples);
  EXPECT_DOUBLE_EQ(summary.p99_ms, 1);
  EXPECT_DOUBLE_EQ(summary.p999_ms, 1);
  EXPECT_DOUBLE_EQ(summary.max_ms, 500);
}

TEST(NearestRankTest, SmallFractionIsFirstSample) {
  const std::vector<nanoseconds> sorted = {milliseconds(3), milliseconds(4)};
  EXPECT_EQ(NearestRank(sorted, 0.001), milliseconds(3));
  EXPECT_EQ(NearestRank(sorted, 1.0), milliseconds(4));
}

}  // namespace
}  // namespace devtrust::loadgen
