#include "loadgen/progress_line.h"

#include <gtest/gtest.h>

namespace devtrust::loadgen {
namespace {

TEST(FormatProgressLineTest, WithCompletions) {
  ProgressSnapshot snapshot;
  snapshot.elapsed = std::chrono::milliseconds(12'000);
  snapshot.due = 24'001;
  snapshot.completed = 23'990;
  snapshot.failed = 2;
  snapshot.in_flight = 11;
  snapshot.interval_rate = 2000.31;
  snapshot.interval_p99_ms = 1.9123;
  EXPECT_EQ(FormatProgressLine(snapshot),
            "[  12 s] due 24001, done 23990, failed 2, in flight 11, 2000.3/s, p99 1.912 ms");
}

TEST(FormatProgressLineTest, WithoutCompletions) {
  ProgressSnapshot snapshot;
  snapshot.elapsed = std::chrono::seconds(1);
  snapshot.due = 5;
  snapshot.in_flight = 5;
  EXPECT_EQ(FormatProgressLine(snapshot),
            "[   1 s] due 5, done 0, failed 0, in flight 5, 0.0/s, p99 -");
}

}  // namespace
}  // namespace devtrust::loadgen
