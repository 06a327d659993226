#include "loadgen/open_loop_runner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "loadgen/latency_summary.h"

namespace devtrust::loadgen {
namespace {

// State shared by the session threads and the progress thread.
class RunState {
 public:
  explicit RunState(std::size_t count) : records(count) {}

  std::vector<RequestRecord> records;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> completed{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<std::size_t> in_flight{0};

  void AddIntervalLatency(std::chrono::nanoseconds latency) {
    std::lock_guard lock(interval_mutex_);
    interval_latencies_.push_back(latency);
  }

  std::vector<std::chrono::nanoseconds> TakeIntervalLatencies() {
    std::lock_guard lock(interval_mutex_);
    std::vector<std::chrono::nanoseconds> taken;
    taken.swap(interval_latencies_);
    return taken;
  }

  // Wakes the progress thread early when the run ends.
  void MarkFinished() {
    {
      std::lock_guard lock(finished_mutex_);
      finished_ = true;
    }
    finished_changed_.notify_all();
  }

  // Waits up to `timeout`; returns true once the run has finished.
  bool WaitFinished(std::chrono::milliseconds timeout) {
    std::unique_lock lock(finished_mutex_);
    return finished_changed_.wait_for(lock, timeout, [this] { return finished_; });
  }

 private:
  std::mutex interval_mutex_;
  std::vector<std::chrono::nanoseconds> interval_latencies_;
  std::mutex finished_mutex_;
  std::condition_variable finished_changed_;
  bool finished_ = false;
};

void ServeSession(LoadSession& session, const OpenLoopSchedule& schedule,
                  Clock::time_point stop_sending, RunState& state) {
  for (std::size_t index = state.next++; index < schedule.count(); index = state.next++) {
    const Clock::time_point due = schedule.DueTime(index);
    RequestRecord& record = state.records[index];

    // A request still waiting after the stop time is reported as not sent;
    // the session moves on, so the remaining indexes drain quickly.
    if (Clock::now() > stop_sending) continue;

    std::this_thread::sleep_until(due);
    const Clock::time_point started = Clock::now();
    ++state.in_flight;
    record.outcome = session.Execute(index);
    const Clock::time_point completed = Clock::now();
    --state.in_flight;

    record.sent = true;
    record.start_delay = started - due;
    record.latency = completed - due;
    record.completed_at = completed - schedule.start();
    state.AddIntervalLatency(record.latency);
    if (!record.outcome.ok) ++state.failed;
    ++state.completed;
  }
}

void ReportProgress(const OpenLoopSchedule& schedule, const OpenLoopOptions& options,
                    RunState& state) {
  Clock::time_point previous = schedule.start();
  while (!state.WaitFinished(options.progress_interval)) {
    const Clock::time_point now = Clock::now();
    if (now < schedule.start()) continue;

    std::vector<std::chrono::nanoseconds> interval = state.TakeIntervalLatencies();
    const double seconds = std::chrono::duration<double>(now - previous).count();
    previous = now;

    ProgressSnapshot snapshot;
    snapshot.elapsed = now - schedule.start();
    const double due =
        std::chrono::duration<double>(now - schedule.start()).count() * schedule.rate();
    snapshot.due = std::min(schedule.count(), static_cast<std::size_t>(due) + 1);
    snapshot.completed = state.completed.load();
    snapshot.failed = state.failed.load();
    snapshot.in_flight = state.in_flight.load();
    snapshot.interval_rate = seconds > 0 ? static_cast<double>(interval.size()) / seconds : 0;
    if (!interval.empty()) snapshot.interval_p99_ms = Summarize(interval).p99_ms;
    options.on_progress(snapshot);
  }
}

}  // namespace

OpenLoopRun RunOpenLoop(std::span<LoadSession* const> sessions, const OpenLoopOptions& options) {
  const OpenLoopSchedule schedule(Clock::now() + options.lead_time, options.rate, options.count);
  const Clock::time_point stop_sending = schedule.start() + schedule.Span() + options.drain_timeout;
  RunState state(options.count);

  std::thread progress;
  if (options.on_progress) {
    progress = std::thread([&] { ReportProgress(schedule, options, state); });
  }
  std::vector<std::thread> threads;
  threads.reserve(sessions.size());
  for (LoadSession* session : sessions) {
    threads.emplace_back([&, session] { ServeSession(*session, schedule, stop_sending, state); });
  }
  for (std::thread& thread : threads) thread.join();
  state.MarkFinished();
  if (progress.joinable()) progress.join();

  OpenLoopRun run;
  run.schedule_span = schedule.Span();
  for (const RequestRecord& record : state.records) {
    run.elapsed = std::max(run.elapsed, record.completed_at);
  }
  run.records = std::move(state.records);
  return run;
}

}  // namespace devtrust::loadgen
