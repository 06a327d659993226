#include "telemetry/publisher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/memory_event_sink.h"
#include "telemetry/test_support.h"

namespace devtrust::telemetry {
namespace {

using testing::ReadLines;
using testing::SampleValue;
using testing::TempDir;
using testing::ValidDecisionEvent;
using testing::ValidFallback;

TrustEvent Event(Flow flow, FlowStep step, TrustResult result, std::string reason = "ok") {
  TrustEvent event = ValidDecisionEvent();
  event.flow = flow;
  event.flow_step = step;
  event.trust_result = result;
  event.reason = std::move(reason);
  return event;
}

// An outbox whose store is down: it rejects every record.
class UnavailableSink final : public EventSink {
 public:
  Status AcceptEvent(const TrustEvent&) override { return Unavailable(); }
  Status AcceptFallback(const CryptoFallbackTelemetry&) override { return Unavailable(); }

 private:
  static Status Unavailable() {
    return MakeError(StatusCode::kUnavailable, "store_unavailable", "outbox store is down");
  }
};

struct DecisionLevelCase {
  std::string_view name;
  TrustEvent event;
  bool decision_level;
};

std::vector<DecisionLevelCase> DecisionLevelCases() {
  std::vector<DecisionLevelCase> cases;
  cases.push_back({"validation decision",
                   Event(Flow::kValidation, FlowStep::kDecision, TrustResult::kTrusted), true});
  cases.push_back({"challenge decision",
                   Event(Flow::kChallenge, FlowStep::kDecision, TrustResult::kPassed), true});
  cases.push_back({"validation step passed",
                   Event(Flow::kValidation, FlowStep::kCertChain, TrustResult::kPassed), false});
  cases.push_back(
      {"validation step failed",
       Event(Flow::kValidation, FlowStep::kPopSignature, TrustResult::kFailed, "signature_invalid"),
       false});
  cases.push_back({"challenge nonce issue",
                   Event(Flow::kChallenge, FlowStep::kNonceIssue, TrustResult::kPassed), false});
  cases.push_back({"verification code check",
                   Event(Flow::kVerification, FlowStep::kCodeCheck, TrustResult::kFailed,
                         "verification_code_invalid"),
                   false});
  cases.push_back({"registration step passed",
                   Event(Flow::kRegistration, FlowStep::kPopSignature, TrustResult::kPassed),
                   false});
  cases.push_back({"registration outcome pending",
                   Event(Flow::kRegistration, FlowStep::kStoreCommit, TrustResult::kPending),
                   true});
  cases.push_back(
      {"revocation outcome denied",
       Event(Flow::kRevocation, FlowStep::kStoreCommit, TrustResult::kDenied, "revoked_by_user"),
       true});
  cases.push_back(
      {"review outcome trusted",
       Event(Flow::kReview, FlowStep::kStoreCommit, TrustResult::kTrusted, "review_approved"),
       true});
  cases.push_back({"review step passed",
                   Event(Flow::kReview, FlowStep::kStoreCommit, TrustResult::kPassed), false});
  cases.push_back(
      {"validation step with outcome result",
       Event(Flow::kValidation, FlowStep::kDriftEval, TrustResult::kChallengeSoft, "drift_soft"),
       false});

  TrustEvent replay =
      Event(Flow::kValidation, FlowStep::kReplayCheck, TrustResult::kFailed, "nonce_reused");
  replay.replay_kind = ReplayKind::kNonceReused;
  cases.push_back({"replay step", replay, true});

  TrustEvent fallback = Event(Flow::kValidation, FlowStep::kSessionKem, TrustResult::kPassed);
  fallback.fallback = FallbackBlock{"X25519", "ML-KEM-768+X25519", "mlkem_key_missing"};
  cases.push_back({"fallback step", fallback, true});
  return cases;
}

TEST(IsDecisionLevelEvent, FollowsOutboxRule) {
  for (const DecisionLevelCase& test_case : DecisionLevelCases()) {
    EXPECT_EQ(IsDecisionLevelEvent(test_case.event), test_case.decision_level) << test_case.name;
  }
}

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_path_ = temp_dir_.path() / "trust.log";
    Result<std::shared_ptr<LogOutput>> output = LogOutput::OpenFile(log_path_.string());
    ASSERT_TRUE(output.has_value()) << output.error().ToString();
    log_ = std::make_unique<TrustLog>(*output);
    Result<std::unique_ptr<Metrics>> metrics = Metrics::Create();
    ASSERT_TRUE(metrics.has_value()) << metrics.error().ToString();
    metrics_ = *std::move(metrics);
    publisher_ = std::make_unique<Publisher>(*log_, *metrics_, outbox_);
  }

  std::vector<boost::json::object> LogLines() {
    std::vector<boost::json::object> objects;
    for (const std::string& line : ReadLines(log_path_)) {
      boost::system::error_code error;
      const boost::json::value value = boost::json::parse(line, error);
      EXPECT_FALSE(error) << line;
      if (!error && value.is_object()) {
        objects.push_back(value.as_object());
      }
    }
    return objects;
  }

  TempDir temp_dir_;
  std::filesystem::path log_path_;
  std::unique_ptr<TrustLog> log_;
  std::unique_ptr<Metrics> metrics_;
  InMemoryEventSink outbox_;
  std::unique_ptr<Publisher> publisher_;
};

TEST_F(PublisherTest, DecisionReachesEverySink) {
  const Status published = publisher_->Publish(ValidDecisionEvent());
  ASSERT_TRUE(published.has_value()) << published.error().ToString();

  const std::vector<boost::json::object> lines = LogLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("flow_step").as_string(), "decision");
  EXPECT_EQ(SampleValue(metrics_->Serialize(), "trusted_device_validation_success_total"), 1.0);
  ASSERT_EQ(outbox_.events().size(), 1u);
  EXPECT_EQ(outbox_.events()[0].trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_F(PublisherTest, StepEventGoesToLogOnly) {
  const Status published =
      publisher_->Publish(Event(Flow::kValidation, FlowStep::kCertChain, TrustResult::kPassed));
  ASSERT_TRUE(published.has_value());

  EXPECT_EQ(LogLines().size(), 1u);
  EXPECT_TRUE(outbox_.events().empty());
}

TEST_F(PublisherTest, OutboxReceivesExactlyDecisionLevelEvents) {
  std::size_t expected_outbox = 0;
  const std::vector<DecisionLevelCase> cases = DecisionLevelCases();
  for (const DecisionLevelCase& test_case : cases) {
    ASSERT_TRUE(publisher_->Publish(test_case.event).has_value()) << test_case.name;
    if (test_case.decision_level) {
      ++expected_outbox;
    }
    EXPECT_EQ(outbox_.events().size(), expected_outbox) << test_case.name;
  }
  EXPECT_EQ(LogLines().size(), cases.size());
}

TEST_F(PublisherTest, InvalidEventReachesNoSink) {
  TrustEvent event = ValidDecisionEvent();
  event.trace_id = "NOT-A-TRACE-ID";
  const Status published = publisher_->Publish(event);
  ASSERT_FALSE(published.has_value());
  EXPECT_EQ(published.error().reason(), "invalid_trust_event");

  EXPECT_TRUE(ReadLines(log_path_).empty());
  EXPECT_TRUE(outbox_.events().empty());
  const std::string text = metrics_->Serialize();
  EXPECT_EQ(SampleValue(text, "trusted_device_validation_success_total"), 0.0);
  EXPECT_EQ(text.find("devtrust_trust_decisions_total{"), std::string::npos);
}

TEST_F(PublisherTest, FallbackReachesEverySink) {
  const Status published = publisher_->PublishFallback(ValidFallback());
  ASSERT_TRUE(published.has_value()) << published.error().ToString();

  const std::vector<boost::json::object> lines = LogLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("trace").as_string(), "CRYPTO_FALLBACK_USED");
  EXPECT_EQ(SampleValue(metrics_->Serialize(),
                        R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                        R"(flow_origin="session_kem",reason="mlkem_key_missing"})"),
            1.0);
  ASSERT_EQ(outbox_.fallbacks().size(), 1u);
  EXPECT_EQ(outbox_.fallbacks()[0].requested_algorithm, "ML-KEM-768+X25519");
}

TEST_F(PublisherTest, InvalidFallbackReachesNoSink) {
  CryptoFallbackTelemetry fallback = ValidFallback();
  fallback.algorithm.clear();
  const Status published = publisher_->PublishFallback(fallback);
  ASSERT_FALSE(published.has_value());
  EXPECT_EQ(published.error().reason(), "invalid_fallback_telemetry");

  EXPECT_TRUE(ReadLines(log_path_).empty());
  EXPECT_TRUE(outbox_.fallbacks().empty());
  EXPECT_EQ(metrics_->Serialize().find("crypto_fallback_triggered_total{"), std::string::npos);
}

TEST_F(PublisherTest, FallbackBlockOnEventIsNotCounted) {
  TrustEvent event = Event(Flow::kValidation, FlowStep::kSessionKem, TrustResult::kPassed);
  event.fallback = FallbackBlock{"X25519", "ML-KEM-768+X25519", "mlkem_key_missing"};
  ASSERT_TRUE(publisher_->Publish(event).has_value());
  EXPECT_EQ(metrics_->Serialize().find("crypto_fallback_triggered_total{"), std::string::npos);
  EXPECT_EQ(outbox_.events().size(), 1u);
}

TEST(Publisher, OutboxFailureStillLogsAndCounts) {
  TempDir temp_dir;
  const std::filesystem::path path = temp_dir.path() / "trust.log";
  Result<std::shared_ptr<LogOutput>> output = LogOutput::OpenFile(path.string());
  ASSERT_TRUE(output.has_value());
  TrustLog log(*output);
  Result<std::unique_ptr<Metrics>> metrics = Metrics::Create();
  ASSERT_TRUE(metrics.has_value());
  UnavailableSink outbox;
  Publisher publisher(log, **metrics, outbox);

  const Status published = publisher.Publish(ValidDecisionEvent());
  ASSERT_FALSE(published.has_value());
  EXPECT_EQ(published.error().reason(), "store_unavailable");
  EXPECT_EQ(ReadLines(path).size(), 1u);
  EXPECT_EQ(SampleValue((*metrics)->Serialize(), "trusted_device_validation_success_total"), 1.0);

  const Status fallback = publisher.PublishFallback(ValidFallback());
  ASSERT_FALSE(fallback.has_value());
  EXPECT_EQ(fallback.error().reason(), "store_unavailable");
  EXPECT_EQ(ReadLines(path).size(), 2u);
}

TEST(Publisher, LogFailureStillReachesOutboxAndMetrics) {
  TempDir temp_dir;
  const std::filesystem::path path = temp_dir.path() / "read_only.log";
  std::ofstream(path) << "";
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  TrustLog log(LogOutput::ForFileDescriptor(fd));
  Result<std::unique_ptr<Metrics>> metrics = Metrics::Create();
  ASSERT_TRUE(metrics.has_value());
  InMemoryEventSink outbox;
  Publisher publisher(log, **metrics, outbox);

  const Status published = publisher.Publish(ValidDecisionEvent());
  close(fd);
  ASSERT_FALSE(published.has_value());
  EXPECT_EQ(published.error().reason(), "log_write_failed");
  EXPECT_EQ(outbox.events().size(), 1u);
  EXPECT_EQ(SampleValue((*metrics)->Serialize(), "trusted_device_validation_success_total"), 1.0);
}

TEST_F(PublisherTest, ConcurrentPublishersReachEverySink) {
  constexpr int kThreads = 8;
  constexpr int kEventsPerThread = 500;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([this] {
      for (int i = 0; i < kEventsPerThread; ++i) {
        if (!publisher_->Publish(ValidDecisionEvent()).has_value()) {
          ADD_FAILURE() << "publish failed";
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  constexpr std::size_t kTotal = kThreads * kEventsPerThread;
  EXPECT_EQ(LogLines().size(), kTotal);
  EXPECT_EQ(outbox_.events().size(), kTotal);
  EXPECT_EQ(SampleValue(metrics_->Serialize(), "trusted_device_validation_success_total"),
            static_cast<double>(kTotal));
}

// promtool (Debian package "prometheus") parses the exposition text and lints
// it, reporting problems such as a missing HELP or a counter without _total.

std::optional<std::string> FindPromtool() {
  const char* path_variable = std::getenv("PATH");
  const std::string path = path_variable != nullptr ? path_variable : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) {
      end = path.size();
    }
    const std::string candidate = path.substr(start, end - start) + "/promtool";
    if (end > start && access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

struct PromtoolResult {
  int exit_code = -1;
  std::string output;
};

// Runs `promtool check metrics` on `text` and returns its exit code and its
// combined stdout and stderr.
PromtoolResult CheckMetrics(const std::string& promtool, const std::string& text) {
  TempDir temp_dir;
  const std::filesystem::path input = temp_dir.path() / "metrics.txt";
  std::ofstream(input, std::ios::binary) << text;
  EXPECT_EQ(input.string().find('\''), std::string::npos);
  EXPECT_EQ(promtool.find('\''), std::string::npos);

  const std::string command = "'" + promtool + "' check metrics < '" + input.string() + "' 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  PromtoolResult result;
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed for " << command;
    return result;
  }
  char buffer[4096];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    result.output.append(buffer, read);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(Promtool, ReportsLintProblems) {
  const std::optional<std::string> promtool = FindPromtool();
  if (!promtool.has_value()) {
    GTEST_SKIP() << "promtool not found on PATH; install the Debian package prometheus";
  }
  const PromtoolResult result = CheckMetrics(*promtool, "# TYPE requests counter\nrequests 1\n");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("no help text"), std::string::npos) << result.output;
}

TEST_F(PublisherTest, PromtoolAcceptsMetricsAfterEveryEventKind) {
  const std::optional<std::string> promtool = FindPromtool();
  if (!promtool.has_value()) {
    GTEST_SKIP() << "promtool not found on PATH; install the Debian package prometheus";
  }

  std::vector<TrustEvent> events;
  for (const DecisionLevelCase& test_case : DecisionLevelCases()) {
    events.push_back(test_case.event);
  }
  for (const ReplayKind kind : {ReplayKind::kNonceReused, ReplayKind::kCertificateExpired,
                                ReplayKind::kCertificateRevoked, ReplayKind::kCertificateUnknown}) {
    TrustEvent replay =
        Event(Flow::kValidation, FlowStep::kDecision, TrustResult::kDenied, "nonce_reused");
    replay.replay_kind = kind;
    events.push_back(replay);
  }
  TrustEvent drift =
      Event(Flow::kValidation, FlowStep::kDecision, TrustResult::kChallengeSoft, "drift_soft");
  drift.drift_score = 0.4;
  events.push_back(drift);
  events.push_back(Event(Flow::kRegistration, FlowStep::kDecision, TrustResult::kPending));
  events.push_back(Event(Flow::kRegistration, FlowStep::kCertIssue, TrustResult::kPassed));
  events.push_back(
      Event(Flow::kValidation, FlowStep::kDecision, TrustResult::kDenied, "made_up_reason"));
  for (const TrustEvent& event : events) {
    ASSERT_TRUE(publisher_->Publish(event).has_value());
  }

  for (const FallbackOrigin origin :
       {FallbackOrigin::kSessionKem, FallbackOrigin::kCertificate, FallbackOrigin::kTls}) {
    CryptoFallbackTelemetry fallback = ValidFallback();
    fallback.flow_origin = origin;
    ASSERT_TRUE(publisher_->PublishFallback(fallback).has_value());
  }
  CryptoFallbackTelemetry unknown = ValidFallback();
  unknown.algorithm = "RSA-1024";
  unknown.reason = "made_up_reason";
  ASSERT_TRUE(publisher_->PublishFallback(unknown).has_value());

  metrics_->RecordHttpRequest("/v1/trust/validate", 200);
  metrics_->RecordHttpRequest("/v1/devices/1234", 404);
  metrics_->SetQueueDepthSource([] {
    return QueueDepths{
        .outbox_pending_events = 3, .notifications_pending = 1, .review_queue_open_items = 2};
  });

  const std::string text = metrics_->Serialize();
  const PromtoolResult result = CheckMetrics(*promtool, text);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\n" << text;
  EXPECT_EQ(result.output, "") << text;
}

}  // namespace
}  // namespace devtrust::telemetry
