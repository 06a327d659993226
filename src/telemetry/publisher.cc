#include "telemetry/publisher.h"

#include "telemetry/event_validation.h"

namespace devtrust::telemetry {
namespace {

bool IsOutcome(TrustResult result) {
  return result != TrustResult::kPassed && result != TrustResult::kFailed;
}

// The flows whose outcome may come from a step other than decision, such as a
// store_commit that leaves a registered device pending.
bool HasOutcomeSteps(Flow flow) {
  return flow == Flow::kRegistration || flow == Flow::kRevocation || flow == Flow::kReview;
}

}  // namespace

bool IsDecisionLevelEvent(const TrustEvent& event) {
  if (event.flow_step == FlowStep::kDecision) {
    return true;
  }
  if (HasOutcomeSteps(event.flow) && IsOutcome(event.trust_result)) {
    return true;
  }
  return event.replay_kind.has_value() || event.fallback.has_value();
}

Publisher::Publisher(TrustLog& log, Metrics& metrics, EventSink& outbox)
    : log_(log), metrics_(metrics), outbox_(outbox) {}

Status Publisher::Publish(const TrustEvent& event) {
  if (Status valid = ValidateTrustEvent(event); !valid.has_value()) {
    return valid;
  }

  Status result = log_.Write(event);
  metrics_.RecordTrustEvent(event);
  if (IsDecisionLevelEvent(event)) {
    Status accepted = outbox_.AcceptEvent(event);
    if (result.has_value() && !accepted.has_value()) {
      result = std::move(accepted);
    }
  }
  return result;
}

Status Publisher::PublishFallback(const CryptoFallbackTelemetry& fallback) {
  if (Status valid = ValidateFallbackTelemetry(fallback); !valid.has_value()) {
    return valid;
  }

  Status result = log_.WriteFallback(fallback);
  metrics_.RecordFallback(fallback);
  Status accepted = outbox_.AcceptFallback(fallback);
  if (result.has_value() && !accepted.has_value()) {
    result = std::move(accepted);
  }
  return result;
}

}  // namespace devtrust::telemetry
