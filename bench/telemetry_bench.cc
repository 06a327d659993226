// Cost of publishing trust events: rendering the JSON line, writing it to a
// log file, and updating the metrics.
//
// Run a release build, for example:
//   cmake --preset release -B build/telemetry-rel
//   cmake --build build/telemetry-rel -j2 --target devtrust_telemetry_bench
//   build/telemetry-rel/bench/devtrust_telemetry_bench
// The request path needs about 25,000 lines/s, which is 40 us per line.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "telemetry/event_sink.h"
#include "telemetry/json_log.h"
#include "telemetry/log_output.h"
#include "telemetry/logger.h"
#include "telemetry/metrics.h"
#include "telemetry/publisher.h"

namespace devtrust::telemetry {
namespace {

// The log file is emptied after this many lines, so a long run does not fill
// the disk. O_APPEND writes continue at the new end.
constexpr std::int64_t kLinesBeforeTruncate = 200'000;

// An outbox that only counts, so that the numbers exclude the cost of a store.
class CountingSink final : public EventSink {
 public:
  Status AcceptEvent(const TrustEvent&) override {
    events_.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
  Status AcceptFallback(const CryptoFallbackTelemetry&) override {
    events_.fetch_add(1, std::memory_order_relaxed);
    return {};
  }

 private:
  std::atomic<std::int64_t> events_{0};
};

// A log file in a fresh temporary directory, removed at the end.
class BenchLogFile {
 public:
  BenchLogFile() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/devtrust_telemetry_bench.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::abort();
    }
    directory_ = pattern;
    const std::string path = (directory_ / "trust.log").string();
    fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd_ < 0) {
      std::abort();
    }
    output_ = LogOutput::ForFileDescriptor(fd_);
  }

  ~BenchLogFile() {
    output_.reset();
    close(fd_);
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  const std::shared_ptr<LogOutput>& output() const { return output_; }

  void Truncate() {
    if (ftruncate(fd_, 0) != 0) {
      std::abort();
    }
  }

 private:
  std::filesystem::path directory_;
  int fd_ = -1;
  std::shared_ptr<LogOutput> output_;
};

TrustEvent StepEvent() {
  TrustEvent event;
  event.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  event.user_id = "user-4242";
  event.device_id = "dev-7f3a9c1185a5";
  event.flow = Flow::kValidation;
  event.flow_step = FlowStep::kCertChain;
  event.fingerprint = "fp1:9c1185a5c5e9fc54612808977ee8f548b2258d31a6e5e1ad2f1b";
  event.trust_result = TrustResult::kPassed;
  event.reason = "ok";
  event.latency_us = 212;
  event.node = "node-a";
  return event;
}

TrustEvent DecisionEvent() {
  TrustEvent event = StepEvent();
  event.flow_step = FlowStep::kDecision;
  event.trust_result = TrustResult::kTrusted;
  event.latency_us = 1830;
  return event;
}

std::unique_ptr<Metrics> NewMetrics() {
  Result<std::unique_ptr<Metrics>> metrics = Metrics::Create();
  if (!metrics.has_value()) {
    std::abort();
  }
  return *std::move(metrics);
}

void BM_RenderTrustEventLine(benchmark::State& state) {
  const TrustEvent event = StepEvent();
  for (auto _ : state) {
    std::string line = TrustEventToJsonLine(event);
    benchmark::DoNotOptimize(line);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderTrustEventLine);

void BM_RecordDecisionMetrics(benchmark::State& state) {
  std::unique_ptr<Metrics> metrics = NewMetrics();
  const TrustEvent event = DecisionEvent();
  for (auto _ : state) {
    metrics->RecordTrustEvent(event);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordDecisionMetrics);

// The publisher and its sinks, shared by the threads of one benchmark run.
struct PublishFixture {
  BenchLogFile file;
  TrustLog log{file.output()};
  std::unique_ptr<Metrics> metrics = NewMetrics();
  CountingSink outbox;
  Publisher publisher{log, *metrics, outbox};
};

// Publishes one event per iteration through the full publisher: validation,
// the line written to a file, the metrics and, for decisions, the outbox.
void PublishLoop(benchmark::State& state, const TrustEvent& event) {
  static std::unique_ptr<PublishFixture> fixture;
  if (state.thread_index() == 0) {
    fixture = std::make_unique<PublishFixture>();
  }

  // The start and the end of the loop are barriers for all threads, so the
  // other threads begin only after thread 0 has built the fixture, and thread
  // 0 destroys it only after every thread has left the loop.
  for (auto _ : state) {
    if (!fixture->publisher.Publish(event).has_value()) {
      state.SkipWithError("publish failed");
      break;
    }
    if (state.thread_index() == 0 && state.iterations() % kLinesBeforeTruncate == 0) {
      state.PauseTiming();
      fixture->file.Truncate();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());

  if (state.thread_index() == 0) {
    fixture.reset();
  }
}

void BM_PublishStepEvent(benchmark::State& state) { PublishLoop(state, StepEvent()); }
BENCHMARK(BM_PublishStepEvent)->Threads(1)->Threads(2)->UseRealTime();

void BM_PublishDecisionEvent(benchmark::State& state) { PublishLoop(state, DecisionEvent()); }
BENCHMARK(BM_PublishDecisionEvent)->Threads(1)->Threads(2)->UseRealTime();

void BM_OperationalLogLine(benchmark::State& state) {
  BenchLogFile file;
  Logger logger(file.output(), "node-a");
  std::int64_t lines = 0;
  for (auto _ : state) {
    logger.Warn({{"attempt", 3}, {"sink", "siem"}}, "delivery to {} failed, retrying in {} ms",
                "siem", 250);
    if (++lines % kLinesBeforeTruncate == 0) {
      state.PauseTiming();
      file.Truncate();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OperationalLogLine);

}  // namespace
}  // namespace devtrust::telemetry

BENCHMARK_MAIN();
