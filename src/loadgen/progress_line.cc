#include "loadgen/progress_line.h"

#include <fmt/format.h>

namespace devtrust::loadgen {

std::string FormatProgressLine(const ProgressSnapshot& snapshot) {
  const double seconds = std::chrono::duration<double>(snapshot.elapsed).count();
  std::string line = fmt::format("[{:>4.0f} s] due {}, done {}, failed {}, in flight {}, {:.1f}/s",
                                 seconds, snapshot.due, snapshot.completed, snapshot.failed,
                                 snapshot.in_flight, snapshot.interval_rate);
  if (snapshot.interval_p99_ms.has_value()) {
    line += fmt::format(", p99 {:.3f} ms", *snapshot.interval_p99_ms);
  } else {
    line += ", p99 -";
  }
  return line;
}

}  // namespace devtrust::loadgen
