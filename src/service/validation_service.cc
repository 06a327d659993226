#include "service/validation_service.h"

#include <boost/json.hpp>
#include <utility>

#include "service/challenge_service.h"
#include "service/code_challenge.h"
#include "service/crypto_ports.h"
#include "service/flow_recorder.h"
#include "service/identifiers.h"
#include "service/notification_payload.h"
#include "service/staged_outbox.h"
#include "service/store_ports.h"
#include "service/telemetry_mapping.h"

namespace devtrust::service {
namespace {

std::unexpected<Error> Invalid(std::string_view reason, std::string message) {
  return MakeError(StatusCode::kInvalidArgument, std::string(reason), std::move(message));
}

// Adds every step, every fallback and the decision to `recorder`, which
// publishes them after the write, and returns the decision event.
telemetry::TrustEvent RecordOutcome(const trust::ValidationOutcome& outcome,
                                    FlowRecorder& recorder) {
  std::chrono::nanoseconds offset{0};
  for (const trust::StepRecord& step : outcome.steps) {
    offset += step.duration;
    recorder.AddStep(step, offset);
  }
  for (const trust::FallbackUse& fallback : outcome.fallbacks) {
    recorder.AddFallback(fallback);
  }

  const trust::Decision& decision = outcome.decision;
  std::optional<telemetry::ReplayKind> replay_kind;
  if (decision.replay_kind.has_value()) replay_kind = ToTelemetry(*decision.replay_kind);
  std::optional<double> drift_score;
  if (outcome.drift.has_value()) drift_score = outcome.drift->score();
  return recorder.SetDecision(ToTelemetry(decision.result), trust::ReasonCodeName(decision.reason),
                              replay_kind, drift_score);
}

// Describes a drift flag for the operator who judges it: the decisive
// reference and the changed attributes with their weights, never raw values.
std::string ReviewDetails(const trust::ValidationOutcome& outcome, std::string_view trace_id) {
  boost::json::object details;
  details["trace_id"] = trace_id;
  if (outcome.drift.has_value()) {
    const trust::FingerprintComparison& decisive = outcome.drift->decisive();
    details["reference"] = trust::DriftReferenceName(outcome.drift->reference);
    boost::json::array changed;
    for (const trust::ChangedAttribute& change : decisive.changes) {
      changed.push_back(boost::json::object{{"name", change.name},
                                            {"change", trust::AttributeChangeName(change.change)},
                                            {"weight", change.weight}});
    }
    details["changed"] = std::move(changed);
  }
  return boost::json::serialize(details);
}

store::ChallengeReason ChallengeReasonOf(const trust::ChallengeSpec& spec) {
  return spec.kind == trust::ChallengeSpec::Kind::kDrift
             ? store::ChallengeReason::kDrift
             : store::ChallengeReason::kVerificationFailure;
}

// One run of the pipeline with its write. When the decision relied on the
// nonce and another request consumed it first, nothing was written and
// `nonce_outcome` says what the store found.
struct DecisionAttempt {
  store::NonceOutcome nonce_outcome = store::NonceOutcome::kConsumed;
  ValidationResponse response;
};

Result<DecisionAttempt> DecideAndRecord(const ServiceContext& context,
                                        const trust::ValidationPipeline& pipeline,
                                        DeviceKeyCache& key_cache, const ValidationRequest& request,
                                        const RequestFacts& facts, trust::NonceLedger& nonces) {
  FlowRecorder recorder(context, telemetry::Flow::kValidation, facts.trace_id);
  recorder.SetUserId(request.user_id);
  recorder.SetDeviceId(request.device_id);
  recorder.SetFingerprint(*request.fingerprint);

  // The pipeline, over this request's ports.
  StoreDeviceDirectory devices(context.store);
  CaCertificateChecker certificates(context.ca, context.clock);
  KeyProofVerifier proofs(devices, key_cache);
  CryptoSessionIssuer sessions(devices, key_cache);
  const trust::ValidationInput input{.user_id = request.user_id,
                                     .device_id = request.device_id,
                                     .nonce = request.nonce,
                                     .certificate = request.certificate,
                                     .classical_certificate = request.classical_certificate,
                                     .signature = request.signature,
                                     .classical_signature = request.classical_signature,
                                     .fingerprint = &*request.fingerprint,
                                     .tls_hybrid_group = facts.tls_hybrid_group,
                                     .tls_group = facts.tls_group};
  Result<trust::ValidationOutcome> outcome =
      pipeline.Run(input, trust::ValidationPorts{nonces, devices, certificates, proofs, sessions});
  if (!outcome) {
    context.logger->Error({{"trace_id", facts.trace_id},
                           {"device_id", request.device_id},
                           {"error", outcome.error().reason()}},
                          "validation could not decide: {}", outcome.error().message());
    return std::unexpected(std::move(outcome).error());
  }
  const telemetry::TrustEvent decision = RecordOutcome(*outcome, recorder);

  // Everything the decision requires is written in one transaction, together
  // with the consumption of the nonce it relied on.
  const store::TimePoint now = context.clock();
  const trust::DecisionActions& actions = outcome->decision.actions;
  const std::string_view reason = trust::ReasonCodeName(outcome->decision.reason);
  store::ValidationWrite write;
  write.now = now;
  if (outcome->device.has_value()) write.device_id = request.device_id;
  write.accepted_fingerprint = outcome->accepted_fingerprint;

  DecisionAttempt attempt;
  ValidationResponse& response = attempt.response;
  if (const std::optional<trust::ChallengeSpec>& spec = outcome->challenge; spec.has_value()) {
    Result<CodeChallenge> challenge =
        MakeCodeChallenge(context, request.user_id, request.device_id, ChallengeReasonOf(*spec),
                          spec->candidate_fingerprint, reason, now);
    if (!challenge) return std::unexpected(std::move(challenge).error());
    response.challenge =
        RaisedChallenge{challenge->challenge.challenge_id, challenge->challenge.reason,
                        challenge->challenge.expires_at};
    write.challenge = std::move(challenge->challenge);
    write.notifications.push_back(std::move(challenge->notification));
  }

  if (outcome->flag_for_review) {
    Result<std::string> review_id = NewRandomId("rev");
    if (!review_id) return std::unexpected(std::move(review_id).error());
    store::ReviewItem item;
    item.review_id = *std::move(review_id);
    item.device_id = request.device_id;
    item.user_id = request.user_id;
    item.reason = store::ReviewReason::kDrift;
    const std::optional<trust::DriftAssessment>& drift = outcome->drift;
    item.drift_score = drift.has_value() ? drift->score() : 0.0;
    item.details = ReviewDetails(*outcome, facts.trace_id);
    item.created_at = now;
    write.review_item = std::move(item);
  }

  if (actions.notify_user && outcome->device.has_value()) {
    NotificationContent alert;
    alert.kind = store::NotificationKind::kReplayAlert;
    alert.user_id = request.user_id;
    alert.device_id = request.device_id;
    alert.reason = std::string(reason);
    Result<store::Notification> notification = MakeNotification(context.keys, alert, nullptr, now);
    if (!notification) return std::unexpected(std::move(notification).error());
    write.notifications.push_back(*std::move(notification));
  }

  if (actions.enqueue_siem) recorder.AddOutboxRow(kSiemTopic, OutboxPayload(decision));
  write.events = recorder.StageForWrite();

  Status recorded;
  if (outcome->consume_nonce) {
    Result<store::NonceOutcome> consumed = context.store.ConsumeNonceAndRecordValidation(
        StoredLoginNonceClaim(request.nonce, request.user_id, request.device_id), write);
    if (consumed) {
      attempt.nonce_outcome = *consumed;
    } else {
      recorded = std::unexpected(std::move(consumed).error());
    }
  } else {
    recorded = context.store.RecordValidation(write);
  }
  if (!recorded) {
    // Nothing was decided: the caller gets a server error and the device
    // may try again with a new nonce.
    context.logger->Error({{"trace_id", facts.trace_id},
                           {"device_id", request.device_id},
                           {"error", recorded.error().reason()}},
                          "validation decision could not be stored: {}",
                          recorded.error().message());
    return std::unexpected(recorded.error());
  }
  // A decision that lost its nonce to another request was not stored, so its
  // events are dropped unpublished and its session key is discarded.
  if (attempt.nonce_outcome != store::NonceOutcome::kConsumed) return attempt;

  recorder.PublishCommitted();
  if (!write.notifications.empty() && context.notification_queued) {
    context.notification_queued();
  }

  if (outcome->session.has_value()) response.session = std::move(sessions.session());
  response.outcome = *std::move(outcome);
  return attempt;
}

}  // namespace

Result<ValidationResponse> ValidationService::Validate(const ValidationRequest& request,
                                                       const RequestFacts& facts) const {
  if (Status valid = ValidateUserId(request.user_id); !valid) {
    return std::unexpected(valid.error());
  }
  if (Status valid = ValidateDeviceId(request.device_id); !valid) {
    return std::unexpected(valid.error());
  }
  if (!request.nonce.empty() && request.nonce.size() != kNonceSize) {
    return Invalid("invalid_nonce", "nonce must be the 32 bytes POST /v1/challenges returned");
  }
  if (!request.fingerprint.has_value()) {
    return Invalid("fingerprint_invalid", "fingerprint is required");
  }

  StoreNonceLedger nonces(context_.store, context_.clock);
  Result<DecisionAttempt> attempt =
      DecideAndRecord(context_, pipeline_, key_cache_, request, facts, nonces);
  if (!attempt) return std::unexpected(std::move(attempt).error());
  if (attempt->nonce_outcome == store::NonceOutcome::kConsumed) {
    return std::move(attempt->response);
  }

  // Another request consumed the nonce between this one's replay_check and
  // its write. The pipeline runs again with the nonce's state as the store
  // found it, so the decision ends at replay_check, usually as nonce_reused,
  // and is stored and published like any other.
  const trust::NonceOutcome found = ToTrustNonceOutcome(attempt->nonce_outcome);
  ReportedNonceLedger reported(found);
  Result<DecisionAttempt> retry =
      DecideAndRecord(context_, pipeline_, key_cache_, request, facts, reported);
  if (!retry) return std::unexpected(std::move(retry).error());
  return std::move(retry->response);
}

}  // namespace devtrust::service
