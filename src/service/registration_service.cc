#include "service/registration_service.h"

#include <utility>

#include "crypto/hash.h"
#include "crypto/signature.h"
#include "pki/device_identity.h"
#include "service/challenge_service.h"
#include "service/code_challenge.h"
#include "service/flow_reasons.h"
#include "service/flow_recorder.h"
#include "service/identifiers.h"
#include "service/staged_outbox.h"
#include "trust/drift.h"
#include "trust/proof.h"

namespace devtrust::service {
namespace {

std::unexpected<Error> Rejected(std::string_view reason, std::string message) {
  return MakeError(StatusCode::kInvalidArgument, std::string(reason), std::move(message));
}

// Verifies both proofs of possession over the registration encoding.
Status VerifyProofs(const RegistrationRequest& request, const trust::Fingerprint& fingerprint,
                    const DevicePublicKeys& keys) {
  const trust::RegistrationProofFields fields{.user_id = request.user_id,
                                              .nonce = request.nonce,
                                              .ml_dsa_public_key = request.public_keys.ml_dsa,
                                              .ecdsa_public_key = request.public_keys.ecdsa,
                                              .ml_kem_public_key = request.public_keys.ml_kem,
                                              .x25519_public_key = request.public_keys.x25519};
  const Bytes message = trust::EncodeRegistrationProof(fields, fingerprint);

  if (Status valid = crypto::Verify(keys.ml_dsa, message, request.ml_dsa_signature,
                                    trust::kRegistrationProofContext);
      !valid) {
    return Rejected("pop_signature_invalid",
                    "signatures.ml_dsa_65 does not verify with public_keys.ml_dsa_65 over the "
                    "registration encoding with context devtrust/register/v1");
  }
  if (Status valid = crypto::Verify(keys.ecdsa, message, request.ecdsa_signature); !valid) {
    return Rejected("pop_signature_invalid",
                    "signatures.ecdsa_p256 does not verify with public_keys.ecdsa_p256 over the "
                    "registration encoding");
  }
  return {};
}

store::CertificateRecord CertificateRecordOf(const crypto::Certificate& certificate,
                                             std::string_view device_id,
                                             store::CertificateKind kind) {
  store::CertificateRecord record;
  record.serial = certificate.serial_number_hex();
  record.device_id = std::string(device_id);
  record.kind = kind;
  record.der = certificate.ToDer();
  record.not_before = certificate.not_before();
  record.not_after = certificate.not_after();
  return record;
}

std::string_view NonceReason(store::NonceOutcome outcome) {
  switch (outcome) {
    case store::NonceOutcome::kConsumed:
      return "ok";
    case store::NonceOutcome::kReused:
      return "nonce_reused";
    case store::NonceOutcome::kExpired:
      return "nonce_expired";
    case store::NonceOutcome::kUnknown:
      return "nonce_unknown";
    case store::NonceOutcome::kMismatch:
      return "nonce_mismatch";
  }
  return "nonce_unknown";
}

std::string_view NonceProblem(store::NonceOutcome outcome) {
  switch (outcome) {
    case store::NonceOutcome::kConsumed:
      return "was consumed";
    case store::NonceOutcome::kReused:
      return "was already used";
    case store::NonceOutcome::kExpired:
      return "has expired";
    case store::NonceOutcome::kUnknown:
      return "is unknown";
    case store::NonceOutcome::kMismatch:
      return "was issued for another purpose or user";
  }
  return "is unknown";
}

}  // namespace

Result<RegistrationResult> RegistrationService::Register(const RegistrationRequest& request,
                                                         const RequestFacts& facts) const {
  if (Status valid = ValidateUserId(request.user_id); !valid) {
    return std::unexpected(valid.error());
  }
  if (request.nonce.size() != kNonceSize) {
    return Rejected("invalid_nonce", "nonce must be the 32 bytes POST /v1/challenges returned");
  }
  if (!request.fingerprint.has_value()) {
    return Rejected("fingerprint_invalid", "fingerprint is required");
  }

  FlowRecorder recorder(context_, telemetry::Flow::kRegistration, facts.trace_id);
  recorder.SetUserId(request.user_id);
  recorder.SetFingerprint(*request.fingerprint);
  if (Status allowed = ApplyTlsFallbackPolicy(context_, facts, recorder); !allowed) {
    return std::unexpected(allowed.error());
  }

  // token_check: every key parses with its exact algorithm.
  Result<DevicePublicKeys> keys = ParseSubmittedKeys(request.public_keys);
  if (!keys) {
    recorder.AddStep(telemetry::FlowStep::kTokenCheck, false, kReasonInvalidKey);
    recorder.PublishUncommitted();
    return std::unexpected(std::move(keys).error());
  }
  recorder.AddStep(telemetry::FlowStep::kTokenCheck, true, "ok");

  // A baseline from an automated browser would let later automated logins
  // match it, because drift compares against the baseline.
  if (trust::CarriesHeadlessMarker(*request.fingerprint)) {
    recorder.AddStep(telemetry::FlowStep::kFingerprintMatch, false, "headless_browser");
    recorder.SetDecision(telemetry::TrustResult::kDenied, "headless_browser");
    recorder.PublishUncommitted();
    return Rejected("headless_browser",
                    "the fingerprint marks an automated browser (headless user agent or "
                    "webdriver); enroll from the user's own browser");
  }

  if (Status proven = VerifyProofs(request, *request.fingerprint, *keys); !proven) {
    recorder.AddStep(telemetry::FlowStep::kPopSignature, false, "pop_signature_invalid");
    recorder.SetDecision(telemetry::TrustResult::kDenied, "pop_signature_invalid");
    recorder.PublishUncommitted();
    return std::unexpected(proven.error());
  }
  recorder.AddStep(telemetry::FlowStep::kPopSignature, true, "ok");

  // cert_issue: the ML-DSA-65 certificate and its ECDSA twin.
  Result<std::string> device_id = NewDeviceId();
  if (!device_id) return std::unexpected(std::move(device_id).error());
  recorder.SetDeviceId(*device_id);
  const store::TimePoint now = context_.clock();
  Result<pki::DeviceCertificates> certificates = context_.ca.IssueDeviceCertificates(
      pki::DeviceIdentity{*device_id, request.user_id}, keys->ml_dsa, keys->ecdsa, now);
  if (!certificates) {
    recorder.AddStep(telemetry::FlowStep::kCertIssue, false, "certificate_issue_failed");
    recorder.PublishUncommitted();
    return std::unexpected(std::move(certificates).error());
  }
  recorder.AddStep(telemetry::FlowStep::kCertIssue, true, "ok");

  Result<CodeChallenge> challenge =
      MakeCodeChallenge(context_, request.user_id, *device_id,
                        store::ChallengeReason::kRegistration, "", kReasonRegistration, now);
  if (!challenge) return std::unexpected(std::move(challenge).error());

  store::DeviceRegistration registration;
  registration.nonce.nonce_hash = crypto::Sha256(request.nonce);
  registration.nonce.purpose = store::NoncePurpose::kRegister;
  registration.nonce.user_id = request.user_id;
  store::DeviceRecord& device = registration.device;
  device.device_id = *device_id;
  device.user_id = request.user_id;
  device.status = store::DeviceStatus::kPending;
  device.ml_dsa_public_key = request.public_keys.ml_dsa;
  device.ml_kem_public_key = request.public_keys.ml_kem;
  device.ecdsa_public_key = request.public_keys.ecdsa;
  device.x25519_public_key = request.public_keys.x25519;
  device.baseline_fingerprint = request.fingerprint->CanonicalJson();
  device.accepted_fingerprint = device.baseline_fingerprint;
  device.created_at = now;
  device.updated_at = now;
  registration.ml_dsa_certificate =
      CertificateRecordOf(certificates->ml_dsa, *device_id, store::CertificateKind::kMlDsa);
  registration.ecdsa_certificate =
      CertificateRecordOf(certificates->ecdsa, *device_id, store::CertificateKind::kEcdsa);
  registration.challenge = challenge->challenge;
  registration.notification = challenge->notification;

  // store_commit: one transaction consumes the nonce and writes everything.
  recorder.SetDecision(telemetry::TrustResult::kPending, kReasonRegistration);
  registration.events = recorder.StageForWrite();
  Result<store::NonceOutcome> outcome = context_.store.RegisterDevice(registration);
  if (!outcome) {
    recorder.AddStep(telemetry::FlowStep::kStoreCommit, false, outcome.error().reason());
    recorder.ClearDecision();
    recorder.PublishUncommitted();
    return std::unexpected(std::move(outcome).error());
  }
  if (*outcome != store::NonceOutcome::kConsumed) {
    const std::string_view reason = NonceReason(*outcome);
    const bool replay = *outcome == store::NonceOutcome::kReused;
    recorder.AddStep(telemetry::FlowStep::kReplayCheck, false, reason);
    const telemetry::TrustEvent decision = recorder.SetDecision(
        telemetry::TrustResult::kDenied, reason,
        replay ? std::optional(telemetry::ReplayKind::kNonceReused) : std::nullopt);
    if (replay) recorder.AddOutboxRow(kSiemTopic, OutboxPayload(decision));
    recorder.PublishUncommitted();
    return MakeError(StatusCode::kFailedPrecondition, std::string(reason),
                     "the registration nonce " + std::string(NonceProblem(*outcome)) +
                         "; request a new challenge with purpose register");
  }
  recorder.AddStep(telemetry::FlowStep::kStoreCommit, true, "ok");
  recorder.PublishCommitted();
  if (context_.notification_queued) context_.notification_queued();

  RegistrationResult result;
  result.device = std::move(device);
  result.ml_dsa_certificate = certificates->ml_dsa.ToDer();
  result.ecdsa_certificate = certificates->ecdsa.ToDer();
  result.challenge_id = challenge->challenge.challenge_id;
  result.challenge_expires_at = challenge->challenge.expires_at;
  return result;
}

}  // namespace devtrust::service
