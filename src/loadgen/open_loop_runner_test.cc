#include "loadgen/open_loop_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace devtrust::loadgen {
namespace {

using std::chrono::milliseconds;

// A session that records which indexes it ran, sleeps for `work`, and fails
// the odd indexes when `fail_odd` is set.
class RecordingSession final : public LoadSession {
 public:
  explicit RecordingSession(milliseconds work = milliseconds(0), bool fail_odd = false)
      : work_(work), fail_odd_(fail_odd) {}

  RequestOutcome Execute(std::size_t index) override {
    if (work_.count() > 0) std::this_thread::sleep_for(work_);
    executed.push_back(index);
    RequestOutcome outcome;
    outcome.ok = !(fail_odd_ && index % 2 == 1);
    outcome.label = outcome.ok ? "trusted" : "validate:server_timeout";
    outcome.http_requests = 2;
    return outcome;
  }

  std::vector<std::size_t> executed;

 private:
  milliseconds work_;
  bool fail_odd_;
};

OpenLoopOptions Options(double rate, std::size_t count) {
  OpenLoopOptions options;
  options.rate = rate;
  options.count = count;
  return options;
}

OpenLoopRun RunSessions(std::vector<RecordingSession>& sessions, const OpenLoopOptions& options) {
  std::vector<LoadSession*> pointers;
  for (RecordingSession& session : sessions) pointers.push_back(&session);
  return RunOpenLoop(pointers, options);
}

TEST(RunOpenLoopTest, RunsEveryRequestExactlyOnce) {
  std::vector<RecordingSession> sessions(4);
  const OpenLoopRun run = RunSessions(sessions, Options(2000, 200));

  std::vector<int> runs(200, 0);
  for (const RecordingSession& session : sessions) {
    for (const std::size_t index : session.executed) ++runs[index];
  }
  for (std::size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i], 1) << "request " << i;
  ASSERT_EQ(run.records.size(), 200u);
  for (const RequestRecord& record : run.records) {
    EXPECT_TRUE(record.sent);
    EXPECT_TRUE(record.outcome.ok);
    EXPECT_GE(record.latency, record.start_delay);
  }
  EXPECT_EQ(run.schedule_span, milliseconds(100));
}

TEST(RunOpenLoopTest, OutcomesStayWithTheirRequest) {
  std::vector<RecordingSession> sessions;
  sessions.emplace_back(milliseconds(0), true);
  sessions.emplace_back(milliseconds(0), true);
  const OpenLoopRun run = RunSessions(sessions, Options(1000, 50));

  for (std::size_t i = 0; i < run.records.size(); ++i) {
    EXPECT_EQ(run.records[i].outcome.ok, i % 2 == 0) << "request " << i;
  }
}

// One connection and requests that take 20 ms, due every millisecond: each
// request waits for all before it, and its latency must count that wait from
// its due time. A closed-loop measurement would report about 20 ms for every
// request instead.
TEST(RunOpenLoopTest, LatencyCountsQueueingFromDueTime) {
  std::vector<RecordingSession> sessions;
  sessions.emplace_back(milliseconds(20));
  const OpenLoopRun run = RunSessions(sessions, Options(1000, 10));

  ASSERT_EQ(run.records.size(), 10u);
  // Request k cannot start before the k requests ahead of it have taken
  // 20 ms each, and it was due k ms after the start.
  for (std::size_t k = 0; k < 10; ++k) {
    const auto expected_wait = milliseconds(20 * k) - milliseconds(k);
    EXPECT_GE(run.records[k].start_delay, expected_wait) << "request " << k;
    EXPECT_GE(run.records[k].latency, expected_wait + milliseconds(20)) << "request " << k;
  }
  EXPECT_GE(run.elapsed, milliseconds(200));
}

TEST(RunOpenLoopTest, RequestsPastDrainTimeoutAreNotSent) {
  // The schedule spans 20 ms and the first request alone takes 50 ms, so no
  // later request can start before the stop time.
  std::vector<RecordingSession> sessions;
  sessions.emplace_back(milliseconds(50));
  OpenLoopOptions options = Options(1000, 20);
  options.drain_timeout = milliseconds(0);
  const OpenLoopRun run = RunSessions(sessions, options);

  std::size_t sent = 0;
  for (const RequestRecord& record : run.records) sent += record.sent ? 1 : 0;
  EXPECT_LE(sent, 1u);
  EXPECT_FALSE(run.records.back().sent);
  EXPECT_LE(sessions[0].executed.size(), 1u);
}

TEST(RunOpenLoopTest, ProgressIsReportedWhileRunning) {
  std::vector<RecordingSession> sessions(2);
  std::mutex mutex;
  std::vector<ProgressSnapshot> snapshots;
  OpenLoopOptions options = Options(100, 30);
  options.progress_interval = milliseconds(10);
  options.on_progress = [&](const ProgressSnapshot& snapshot) {
    std::lock_guard lock(mutex);
    snapshots.push_back(snapshot);
  };
  RunSessions(sessions, options);

  ASSERT_FALSE(snapshots.empty());
  for (std::size_t i = 1; i < snapshots.size(); ++i) {
    EXPECT_GE(snapshots[i].completed, snapshots[i - 1].completed);
    EXPECT_GE(snapshots[i].due, snapshots[i - 1].due);
  }
  EXPECT_LE(snapshots.back().due, 30u);
  EXPECT_EQ(snapshots.back().failed, 0u);
}

}  // namespace
}  // namespace devtrust::loadgen
