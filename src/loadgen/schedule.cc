#include "loadgen/schedule.h"

#include <cmath>

namespace devtrust::loadgen {
namespace {

Clock::duration SecondsToDuration(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

OpenLoopSchedule::OpenLoopSchedule(Clock::time_point start, double rate, std::size_t count)
    : start_(start), rate_(rate), count_(count) {}

Clock::time_point OpenLoopSchedule::DueTime(std::size_t index) const {
  // Each due time is computed from the start rather than by adding an
  // interval per request, so rounding errors do not accumulate over a run.
  return start_ + SecondsToDuration(static_cast<double>(index) / rate_);
}

Clock::duration OpenLoopSchedule::Span() const {
  return SecondsToDuration(static_cast<double>(count_) / rate_);
}

std::size_t ScheduledRequestCount(double rate, std::chrono::duration<double> duration) {
  // The small epsilon keeps 0.1/s for 30 s at 3 requests, where the floating
  // point product is 2.9999999999999996.
  return static_cast<std::size_t>(std::floor(rate * duration.count() + 1e-9));
}

}  // namespace devtrust::loadgen
