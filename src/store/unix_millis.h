// Conversion between time points and the integer milliseconds since the Unix
// epoch that the database columns hold.
#ifndef DEVTRUST_STORE_UNIX_MILLIS_H_
#define DEVTRUST_STORE_UNIX_MILLIS_H_

#include <chrono>
#include <cstdint>
#include <limits>
#include <ratio>

#include "store/records.h"

namespace devtrust::store {

// Truncates toward the earlier millisecond, so that sub-millisecond parts
// never move a time later.
inline std::int64_t ToUnixMillis(TimePoint time) {
  return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// Values beyond what TimePoint can hold (about 292 years either side of 1970
// with nanosecond ticks) saturate instead of overflowing.
inline TimePoint FromUnixMillis(std::int64_t millis) {
  using Ticks = TimePoint::duration;
  static_assert(std::ratio_less_equal_v<Ticks::period, std::milli>,
                "system_clock ticks must be at most one millisecond");
  constexpr std::int64_t kTicksPerMilli =
      std::chrono::duration_cast<Ticks>(std::chrono::milliseconds(1)).count();
  constexpr std::int64_t kMaxMillis = std::numeric_limits<Ticks::rep>::max() / kTicksPerMilli;
  constexpr std::int64_t kMinMillis = std::numeric_limits<Ticks::rep>::min() / kTicksPerMilli;
  if (millis > kMaxMillis) return TimePoint::max();
  if (millis < kMinMillis) return TimePoint::min();
  return TimePoint(Ticks(millis * kTicksPerMilli));
}

}  // namespace devtrust::store

#endif  // DEVTRUST_STORE_UNIX_MILLIS_H_
