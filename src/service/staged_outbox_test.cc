#include "service/staged_outbox.h"

#include <gtest/gtest.h>

#include "service/service_test_support.h"
#include "telemetry/publisher.h"

namespace devtrust::service {
namespace {

using testing::ServiceFixture;

class StagedOutboxTest : public ServiceFixture {
 protected:
  telemetry::TrustEvent Decision() const {
    telemetry::TrustEvent event;
    event.timestamp = now_;
    event.trace_id = "0123456789abcdef0123456789abcdef";
    event.user_id = "alice";
    event.flow = telemetry::Flow::kValidation;
    event.flow_step = telemetry::FlowStep::kDecision;
    event.trust_result = telemetry::TrustResult::kTrusted;
    event.reason = "ok";
    event.node = "test-node";
    return event;
  }

  telemetry::Publisher PublisherFor(StagedOutbox& outbox) {
    return telemetry::Publisher(*trust_log_, *metrics_, outbox);
  }
};

TEST_F(StagedOutboxTest, StagedEventIsWrittenOnceWithTheCommit) {
  StagedOutbox outbox(*store_, [this] { return now_; });
  const telemetry::TrustEvent decision = Decision();
  outbox.Stage(decision);
  store::ValidationWrite write;
  write.now = now_;
  write.events = outbox.rows();
  ASSERT_TRUE(store_->RecordValidation(write).has_value());
  outbox.MarkCommitted();

  ASSERT_TRUE(PublisherFor(outbox).Publish(decision).has_value());

  const std::vector<store::OutboxEvent> events = Outbox(kTrustEventTopic);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, OutboxPayload(decision));
}

TEST_F(StagedOutboxTest, UnstagedEventIsWrittenByTheSink) {
  StagedOutbox outbox(*store_, [this] { return now_; });

  ASSERT_TRUE(PublisherFor(outbox).Publish(Decision()).has_value());

  EXPECT_EQ(Outbox(kTrustEventTopic).size(), 1u);
}

TEST_F(StagedOutboxTest, UncommittedEventIsWrittenBySink) {
  StagedOutbox outbox(*store_, [this] { return now_; });
  outbox.Stage(Decision());

  ASSERT_TRUE(PublisherFor(outbox).Publish(Decision()).has_value());

  EXPECT_EQ(Outbox(kTrustEventTopic).size(), 1u);
}

TEST_F(StagedOutboxTest, StepEventsAreNotStaged) {
  StagedOutbox outbox(*store_, [this] { return now_; });
  telemetry::TrustEvent step = Decision();
  step.flow_step = telemetry::FlowStep::kCertChain;
  step.trust_result = telemetry::TrustResult::kPassed;

  outbox.Stage(step);

  EXPECT_TRUE(outbox.rows().empty());
}

TEST_F(StagedOutboxTest, FallbackRecordsAreStaged) {
  StagedOutbox outbox(*store_, [this] { return now_; });
  telemetry::CryptoFallbackTelemetry fallback;
  fallback.algorithm = "X25519";
  fallback.requested_algorithm = "ML-KEM-768+X25519";
  fallback.reason = "mlkem_key_missing";
  fallback.trace_id = "0123456789abcdef0123456789abcdef";
  fallback.node = "test-node";

  outbox.Stage(fallback);

  ASSERT_EQ(outbox.rows().size(), 1u);
  EXPECT_EQ(outbox.rows()[0].topic, kTrustEventTopic);
  EXPECT_NE(outbox.rows()[0].payload.find("CRYPTO_FALLBACK_USED"), std::string::npos);
}

TEST_F(StagedOutboxTest, ClearForgetsRows) {
  StagedOutbox outbox(*store_, [this] { return now_; });
  outbox.Stage(Decision());
  outbox.StageRow(kSiemTopic, "{}");

  outbox.Clear();

  EXPECT_TRUE(outbox.rows().empty());
}

TEST_F(StagedOutboxTest, PayloadIsTheLogLineWithoutNewline) {
  const std::string payload = OutboxPayload(Decision());

  EXPECT_FALSE(payload.empty());
  EXPECT_NE(payload.back(), '\n');
  EXPECT_EQ(payload + "\n", telemetry::TrustEventToJsonLine(Decision()));
}

}  // namespace
}  // namespace devtrust::service
