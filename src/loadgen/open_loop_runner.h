// Runs an open-loop schedule (schedule.h) over a fixed set of sessions, each
// one keep-alive connection served by its own thread.
//
// A free session takes the next request in schedule order, waits for its due
// time and runs it. When every session is busy, due requests wait for the
// next free one, and that wait counts in their latency, which runs from the
// due time to the completion. So the latency includes the queueing a real
// arrival would see, and the number of sessions only bounds the requests in
// flight.
#ifndef DEVTRUST_LOADGEN_OPEN_LOOP_RUNNER_H_
#define DEVTRUST_LOADGEN_OPEN_LOOP_RUNNER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loadgen/schedule.h"

namespace devtrust::loadgen {

// The outcome of one request of a workload.
struct RequestOutcome {
  // True when the request had the result the workload expects, such as a
  // trusted validation.
  bool ok = false;
  // The result: "trusted", "pending", or a label for anything else, such as
  // "validate:server_timeout" or "decision:denied:nonce_expired".
  std::string label;
  // From sending each HTTP request to its response; zero for a phase that
  // did not run.
  std::chrono::nanoseconds challenge_latency{0};
  std::chrono::nanoseconds operation_latency{0};
  // HTTP requests the attempt sent.
  int http_requests = 0;
};

// One connection's worth of a workload. Execute runs on the session's own
// thread only.
class LoadSession {
 public:
  virtual ~LoadSession() = default;
  // Runs request `index` of the schedule.
  virtual RequestOutcome Execute(std::size_t index) = 0;
};

struct RequestRecord {
  RequestOutcome outcome;
  // False when the request was still waiting for a session at the stop time.
  bool sent = false;
  // From the due time to the start of the attempt, and to its completion.
  std::chrono::nanoseconds start_delay{0};
  std::chrono::nanoseconds latency{0};
  // Completion relative to the schedule's start.
  std::chrono::nanoseconds completed_at{0};
};

// Counters for the progress line, taken every progress interval.
struct ProgressSnapshot {
  std::chrono::nanoseconds elapsed{0};
  std::size_t due = 0;
  std::size_t completed = 0;
  std::size_t failed = 0;
  std::size_t in_flight = 0;
  // Completions since the previous snapshot, per second, and their p99
  // latency; nullopt when none completed.
  double interval_rate = 0;
  std::optional<double> interval_p99_ms;
};

struct OpenLoopOptions {
  // Requests per second; positive.
  double rate = 1;
  std::size_t count = 0;
  // The schedule starts this long after RunOpenLoop is called, so that every
  // session thread waits for the first request.
  std::chrono::milliseconds lead_time{200};
  // Requests that have not started this long after the schedule's last due
  // time are not sent. Requests in flight then still finish.
  std::chrono::milliseconds drain_timeout{10'000};
  std::chrono::milliseconds progress_interval{1'000};
  // Called from the runner's progress thread; may be empty.
  std::function<void(const ProgressSnapshot&)> on_progress;
};

struct OpenLoopRun {
  // One record per scheduled request, in schedule order.
  std::vector<RequestRecord> records;
  // From the schedule's start to the last completion.
  std::chrono::nanoseconds elapsed{0};
  // How long the schedule takes at the offered rate.
  std::chrono::nanoseconds schedule_span{0};
};

// Runs `options.count` requests over `sessions`, which must not be empty.
OpenLoopRun RunOpenLoop(std::span<LoadSession* const> sessions, const OpenLoopOptions& options);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_OPEN_LOOP_RUNNER_H_
