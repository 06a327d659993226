// The arrival times of an open-loop load. Request i is due at
// start + i / rate, whatever happened to the requests before it, so a slow
// response delays the requests behind it instead of thinning them out. A
// closed loop, which sends the next request only after the previous response,
// would hide exactly the queueing a latency target is about (coordinated
// omission).
#ifndef DEVTRUST_LOADGEN_SCHEDULE_H_
#define DEVTRUST_LOADGEN_SCHEDULE_H_

#include <chrono>
#include <cstddef>

namespace devtrust::loadgen {

using Clock = std::chrono::steady_clock;

class OpenLoopSchedule {
 public:
  // `rate` is in requests per second and must be positive.
  OpenLoopSchedule(Clock::time_point start, double rate, std::size_t count);

  // The time request `index` is due. Indexes at or past count() continue the
  // same spacing.
  Clock::time_point DueTime(std::size_t index) const;

  // The due time of the last request plus one interval: how long sending the
  // whole schedule takes at the offered rate.
  Clock::duration Span() const;

  Clock::time_point start() const { return start_; }
  double rate() const { return rate_; }
  std::size_t count() const { return count_; }

 private:
  Clock::time_point start_;
  double rate_;
  std::size_t count_;
};

// The number of requests that `rate` per second for `duration` schedules,
// rounded down: 2000/s for 60 s is 120,000.
std::size_t ScheduledRequestCount(double rate, std::chrono::duration<double> duration);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_SCHEDULE_H_
