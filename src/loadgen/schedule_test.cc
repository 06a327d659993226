#include "loadgen/schedule.h"

#include <gtest/gtest.h>

namespace devtrust::loadgen {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(OpenLoopScheduleTest, FirstRequestIsDueAtStart) {
  const Clock::time_point start = Clock::now();
  const OpenLoopSchedule schedule(start, 2000, 10);
  EXPECT_EQ(schedule.DueTime(0), start);
}

TEST(OpenLoopScheduleTest, RequestsAreEvenlySpaced) {
  const Clock::time_point start = Clock::now();
  const OpenLoopSchedule schedule(start, 2000, 120'000);
  EXPECT_EQ(schedule.DueTime(1) - start, std::chrono::microseconds(500));
  EXPECT_EQ(schedule.DueTime(2000) - start, seconds(1));
  EXPECT_EQ(schedule.DueTime(119'999) - start, std::chrono::microseconds(59'999'500));
}

TEST(OpenLoopScheduleTest, SpanIsCountOverRate) {
  const OpenLoopSchedule schedule(Clock::now(), 1000, 60'000);
  EXPECT_EQ(schedule.Span(), seconds(60));
  EXPECT_EQ(OpenLoopSchedule(Clock::now(), 4, 2).Span(), milliseconds(500));
}

TEST(ScheduledRequestCountTest, RoundsDown) {
  EXPECT_EQ(ScheduledRequestCount(2000, seconds(60)), 120'000u);
  EXPECT_EQ(ScheduledRequestCount(2.5, seconds(1)), 2u);
  EXPECT_EQ(ScheduledRequestCount(0.5, seconds(1)), 0u);
}

TEST(ScheduledRequestCountTest, ExactProductsSurviveRounding) {
  // 0.1 * 30 is 2.9999999999999996 in binary floating point.
  EXPECT_EQ(ScheduledRequestCount(0.1, seconds(30)), 3u);
  EXPECT_EQ(ScheduledRequestCount(1000, std::chrono::duration<double>(0.3)), 300u);
}

}  // namespace
}  // namespace devtrust::loadgen
