#include "trust/validation_pipeline.h"

#include <algorithm>
#include <array>
#include <utility>

#include "trust/proof.h"

namespace devtrust::trust {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kHybridSessionAlgorithm = "ML-KEM-768+X25519";
constexpr std::string_view kClassicalSessionAlgorithm = "X25519";

// The step that reports each certificate stage.
ValidationStep StepOf(CertificateStage stage) {
  switch (stage) {
    case CertificateStage::kParse:
      return ValidationStep::kCertParse;
    case CertificateStage::kChain:
      return ValidationStep::kCertChain;
    case CertificateStage::kValidity:
      return ValidationStep::kCertValidity;
    case CertificateStage::kRevocation:
      return ValidationStep::kRevocationCheck;
  }
  return ValidationStep::kCertParse;
}

constexpr std::array<CertificateStage, 4> kCertificateStages = {
    CertificateStage::kParse, CertificateStage::kChain, CertificateStage::kValidity,
    CertificateStage::kRevocation};

ReasonCode ReasonOf(NonceOutcome outcome) {
  switch (outcome) {
    case NonceOutcome::kValid:
      return ReasonCode::kOk;
    case NonceOutcome::kReused:
      return ReasonCode::kNonceReused;
    case NonceOutcome::kExpired:
      return ReasonCode::kNonceExpired;
    case NonceOutcome::kUnknown:
      return ReasonCode::kNonceUnknown;
    case NonceOutcome::kMismatch:
      return ReasonCode::kNonceMismatch;
  }
  return ReasonCode::kNonceUnknown;
}

ValidationOutcome InitialOutcome() {
  ValidationOutcome outcome;
  outcome.decision = DecideFor(ReasonCode::kOk);
  return outcome;
}

// One run of the pipeline. Each step method returns true to continue, false
// when the run has reached its decision.
class PipelineRun {
 public:
  PipelineRun(const ValidationInput& input, const ValidationPorts& ports,
              const DriftPolicy& drift_policy, const FallbackPolicy& fallback_policy)
      : input_(input),
        ports_(ports),
        drift_policy_(drift_policy),
        fallback_policy_(fallback_policy),
        started_(Clock::now()),
        step_started_(started_) {}

  Result<ValidationOutcome> Execute() {
    Result<bool> proceed = TokenCheck();
    if (proceed && *proceed) proceed = CertificateSteps();
    if (proceed && *proceed) proceed = ReplayCheck();
    if (proceed && *proceed) proceed = PopSignature();
    if (proceed && *proceed) {
      FingerprintMatch();
      proceed = DriftEval();
    }
    if (proceed && *proceed) proceed = SessionKem();
    if (!proceed) {
      return std::unexpected(std::move(proceed).error());
    }
    return Finish();
  }

 private:
  // --- token_check ---

  Result<bool> TokenCheck() {
    // The transport comes first: it decides whether anything in this request
    // may be trusted at all.
    if (!input_.tls_hybrid_group) {
      FallbackUse fallback = TlsFallback(input_.tls_group);
      if (!fallback_policy_.Allows(FallbackKind::kTlsWithoutHybridGroup)) {
        return Fail(ValidationStep::kTokenCheck, ReasonCode::kFallbackNotAllowed);
      }
      UseFallback(std::move(fallback));
    }

    Result<std::optional<EnrolledDevice>> device = ports_.devices.FindDevice(input_.device_id);
    if (!device) {
      return std::unexpected(std::move(device).error());
    }
    // A device of another user is reported as unknown, so that the decision
    // does not reveal which device ids exist.
    if (!device->has_value() || (*device)->user_id != input_.user_id) {
      return Fail(ValidationStep::kTokenCheck, ReasonCode::kDeviceUnknown);
    }
    outcome_.device = std::move(**device);
    const EnrolledDevice& enrolled = *outcome_.device;

    const bool tokens_present =
        !input_.nonce.empty() && !input_.certificate.empty() && !input_.signature.empty();
    if (enrolled.state == DeviceState::kRevoked && !tokens_present) {
      return Fail(ValidationStep::kTokenCheck, ReasonCode::kDeviceRevoked);
    }
    if (enrolled.state == DeviceState::kPending) {
      return Fail(ValidationStep::kTokenCheck, ReasonCode::kDeviceNotTrusted);
    }
    if (!tokens_present) {
      return Fail(ValidationStep::kTokenCheck, ReasonCode::kDeviceTokenMissing);
    }
    // A revoked device that presents its credentials continues, so that a
    // revoked certificate is reported as the replay it is.
    return Pass(ValidationStep::kTokenCheck);
  }

  // --- cert_parse, cert_chain, cert_validity, revocation_check ---

  Result<bool> CertificateSteps() {
    CertificateInspection inspection =
        ports_.certificates.Inspect(input_.certificate, CertificateSlot::kMlDsa);
    ByteView presented = input_.certificate;
    std::optional<CertificateStage> fallback_stage;

    // An ML-DSA certificate that does not parse or chain is "PQC cert
    // invalid". Expired, revoked and unknown certificates are replays and
    // never fall back.
    const bool pqc_certificate_invalid = inspection.failed_stage == CertificateStage::kParse ||
                                         inspection.failed_stage == CertificateStage::kChain;
    const bool twin_presented =
        !input_.classical_certificate.empty() && !input_.classical_signature.empty();
    if (pqc_certificate_invalid && twin_presented) {
      const CertificateStage failed_stage = *inspection.failed_stage;
      if (!fallback_policy_.Allows(FallbackKind::kEcdsaCertificate)) {
        // The step keeps the certificate's own reason; the decision is the
        // forbidden fallback, with the certificate's reason as a remark.
        PassStagesBefore(failed_stage);
        Record(StepOf(failed_stage), false, ReasonCodeName(inspection.reason));
        Decide(DecideFor(ReasonCode::kFallbackNotAllowed));
        remarks_.push_back(inspection.reason);
        return false;
      }
      fallback_stage = failed_stage;
      slot_ = CertificateSlot::kEcdsa;
      presented = input_.classical_certificate;
      inspection = ports_.certificates.Inspect(presented, CertificateSlot::kEcdsa);
    }
    outcome_.certificate_serial = inspection.serial;

    bool issued_revoked = false;
    for (const CertificateStage stage : kCertificateStages) {
      const ValidationStep step = StepOf(stage);
      if (inspection.failed_stage == stage) {
        return Fail(step, inspection.reason);
      }

      if (stage == CertificateStage::kChain) {
        // The CA issued this certificate; it must also be the one issued to
        // this device for this slot, byte for byte.
        Result<std::optional<IssuedCertificate>> issued =
            ports_.devices.FindCertificate(inspection.serial);
        if (!issued) {
          return std::unexpected(std::move(issued).error());
        }
        const bool belongs = issued->has_value() && (*issued)->device_id == input_.device_id &&
                             (*issued)->slot == slot_ &&
                             std::equal((*issued)->der.begin(), (*issued)->der.end(),
                                        presented.begin(), presented.end());
        if (!belongs) {
          return Fail(step, ReasonCode::kCertificateUnknown);
        }
        issued_revoked = (*issued)->revoked;
      }

      if (stage == CertificateStage::kRevocation) {
        // The directory is checked as well as the CA's list, because another
        // node may have revoked the certificate after this one loaded it.
        if (issued_revoked) {
          return Fail(step, ReasonCode::kCertificateRevoked);
        }
        if (outcome_.device->state == DeviceState::kRevoked) {
          return Fail(step, ReasonCode::kDeviceRevoked);
        }
      }

      if (fallback_stage == stage) {
        FallbackUse fallback{.kind = FallbackKind::kEcdsaCertificate,
                             .origin = FallbackOrigin::kCertificate,
                             .algorithm = "ECDSA-P256",
                             .requested_algorithm = "ML-DSA-65",
                             .reason = "pqc_cert_invalid"};
        Pass(step, fallback);
        UseFallback(std::move(fallback));
      } else {
        Pass(step);
      }
    }
    return true;
  }

  // Records the certificate stages before `stage` as passed.
  void PassStagesBefore(CertificateStage stage) {
    for (const CertificateStage earlier : kCertificateStages) {
      if (earlier == stage) return;
      Pass(StepOf(earlier));
    }
  }

  // --- replay_check ---

  Result<bool> ReplayCheck() {
    const LoginNonceClaim claim{
        .nonce = input_.nonce, .user_id = input_.user_id, .device_id = input_.device_id};
    Result<NonceOutcome> state = ports_.nonces.CheckLoginNonce(claim);
    if (!state) {
      return std::unexpected(std::move(state).error());
    }
    if (*state != NonceOutcome::kValid) {
      return Fail(ValidationStep::kReplayCheck, ReasonOf(*state));
    }
    outcome_.consume_nonce = true;
    return Pass(ValidationStep::kReplayCheck);
  }

  // --- pop_signature ---

  Result<bool> PopSignature() {
    const Bytes message =
        EncodeLoginProof(input_.user_id, input_.device_id, input_.nonce, *input_.fingerprint);
    const bool classical = slot_ == CertificateSlot::kEcdsa;
    Result<bool> valid = ports_.proofs.VerifyLoginProof(
        *outcome_.device, classical ? ProofAlgorithm::kEcdsaP256 : ProofAlgorithm::kMlDsa65,
        message, classical ? input_.classical_signature : input_.signature);
    if (!valid) {
      return std::unexpected(std::move(valid).error());
    }
    if (!*valid) {
      return Fail(ValidationStep::kPopSignature, ReasonCode::kPopSignatureInvalid);
    }
    return Pass(ValidationStep::kPopSignature);
  }

  // --- fingerprint_match, drift_eval ---

  void FingerprintMatch() {
    const EnrolledDevice& device = *outcome_.device;
    const Fingerprint& presented = *input_.fingerprint;
    const bool identical = presented == device.baseline ||
                           (device.last_accepted.has_value() && presented == *device.last_accepted);
    Record(ValidationStep::kFingerprintMatch, true, identical ? "ok" : "fingerprint_changed");
  }

  Result<bool> DriftEval() {
    const EnrolledDevice& device = *outcome_.device;
    outcome_.drift =
        AssessDrift(device.baseline, device.last_accepted ? &*device.last_accepted : nullptr,
                    *input_.fingerprint, drift_policy_);
    const double score = outcome_.drift->score();

    const Decision drift = DecideForDrift(*outcome_.drift);
    if (drift.reason != ReasonCode::kOk) {
      Record(ValidationStep::kDriftEval, false, ReasonCodeName(drift.reason), score);
      Decide(drift);
      return false;
    }
    Record(ValidationStep::kDriftEval, true, "ok", score);
    return true;
  }

  // --- session_kem ---

  Result<bool> SessionKem() {
    const EnrolledDevice& device = *outcome_.device;
    const std::string label = LoginSessionLabel(input_.device_id, input_.nonce);

    std::optional<FallbackUse> fallback;
    if (!device.has_ml_kem_key) {
      fallback = SessionFallback("mlkem_key_missing");
    } else if (Status hybrid =
                   ports_.sessions.EstablishSession(device, SessionKind::kHybrid, label);
               hybrid) {
      outcome_.session = SessionKind::kHybrid;
      return Pass(ValidationStep::kSessionKem);
    } else {
      fallback = SessionFallback("mlkem_encapsulation_failed");
    }

    if (!fallback_policy_.Allows(FallbackKind::kClassicalSessionKey)) {
      return Fail(ValidationStep::kSessionKem, ReasonCode::kFallbackNotAllowed);
    }
    if (Status classical = ports_.sessions.EstablishSession(device, SessionKind::kClassical, label);
        !classical) {
      return std::unexpected(std::move(classical).error());
    }
    outcome_.session = SessionKind::kClassical;
    Pass(ValidationStep::kSessionKem, fallback);
    UseFallback(*std::move(fallback));
    return true;
  }

  static FallbackUse SessionFallback(std::string reason) {
    return FallbackUse{.kind = FallbackKind::kClassicalSessionKey,
                       .origin = FallbackOrigin::kSessionKem,
                       .algorithm = std::string(kClassicalSessionAlgorithm),
                       .requested_algorithm = std::string(kHybridSessionAlgorithm),
                       .reason = std::move(reason)};
  }

  // --- decision ---

  ValidationOutcome Finish() {
    Decision& decision = outcome_.decision;
    if (decision.result == TrustResult::kTrusted && !remarks_.empty()) {
      decision.reason = remarks_.front();
    }
    outcome_.reasons.push_back(decision.reason);
    for (const ReasonCode remark : remarks_) {
      if (std::find(outcome_.reasons.begin(), outcome_.reasons.end(), remark) ==
          outcome_.reasons.end()) {
        outcome_.reasons.push_back(remark);
      }
    }

    if (decision.result == TrustResult::kChallengeSoft) {
      outcome_.challenge =
          ChallengeSpec{.kind = ChallengeSpec::Kind::kDrift,
                        .candidate_fingerprint = input_.fingerprint->CanonicalJson()};
      outcome_.flag_for_review =
          decision.actions.flag_for_review && !outcome_.device->flagged_for_review;
    } else if (decision.actions.send_verification_challenge) {
      ChallengeSpec challenge;
      challenge.kind = ChallengeSpec::Kind::kVerificationFailure;
      if (decision.reason == ReasonCode::kFingerprintMismatch) {
        challenge.candidate_fingerprint = input_.fingerprint->CanonicalJson();
      }
      outcome_.challenge = std::move(challenge);
    }

    if (decision.result == TrustResult::kTrusted) {
      const EnrolledDevice& device = *outcome_.device;
      const Fingerprint& current = device.last_accepted ? *device.last_accepted : device.baseline;
      if (!(*input_.fingerprint == current)) {
        outcome_.accepted_fingerprint = input_.fingerprint->CanonicalJson();
      }
    }

    outcome_.duration = Clock::now() - started_;
    return std::move(outcome_);
  }

  // --- bookkeeping ---

  bool Pass(ValidationStep step, std::optional<FallbackUse> fallback = std::nullopt) {
    Record(step, true, "ok", std::nullopt, std::move(fallback));
    return true;
  }

  // Records the failed step and decides for `reason`. A verification failure
  // of a revoked device becomes device_revoked, because a revoked device
  // cannot be verified again.
  bool Fail(ValidationStep step, ReasonCode reason) {
    Record(step, false, ReasonCodeName(reason));
    Decision decision = DecideFor(reason);
    if (decision.failure_class == FailureClass::kVerificationFailure &&
        outcome_.device.has_value() && outcome_.device->state == DeviceState::kRevoked) {
      decision = DecideFor(ReasonCode::kDeviceRevoked);
    }
    Decide(decision);
    return false;
  }

  void Decide(const Decision& decision) {
    outcome_.decision = Combine(outcome_.decision, decision);
  }

  void UseFallback(FallbackUse fallback) {
    Decide(fallback_policy_.Decide(fallback.kind));
    remarks_.push_back(ReasonCode::kClassicalFallback);
    outcome_.fallbacks.push_back(std::move(fallback));
  }

  void Record(ValidationStep step, bool passed, std::string_view reason,
              std::optional<double> drift_score = std::nullopt,
              std::optional<FallbackUse> fallback = std::nullopt) {
    const Clock::time_point now = Clock::now();
    outcome_.steps.push_back(StepRecord{.step = step,
                                        .passed = passed,
                                        .reason = std::string(reason),
                                        .duration = now - step_started_,
                                        .drift_score = drift_score,
                                        .fallback = std::move(fallback)});
    step_started_ = now;
  }

  const ValidationInput& input_;
  const ValidationPorts& ports_;
  const DriftPolicy& drift_policy_;
  const FallbackPolicy& fallback_policy_;
  const Clock::time_point started_;
  Clock::time_point step_started_;

  ValidationOutcome outcome_ = InitialOutcome();
  // The certificate slot the login proves possession with.
  CertificateSlot slot_ = CertificateSlot::kMlDsa;
  // Reasons reported after the decisive one, such as classical_fallback. The
  // first one becomes the decision's reason when the result is trusted.
  std::vector<ReasonCode> remarks_;
};

}  // namespace

std::string_view ValidationStepName(ValidationStep step) {
  switch (step) {
    case ValidationStep::kTokenCheck:
      return "token_check";
    case ValidationStep::kCertParse:
      return "cert_parse";
    case ValidationStep::kCertChain:
      return "cert_chain";
    case ValidationStep::kCertValidity:
      return "cert_validity";
    case ValidationStep::kRevocationCheck:
      return "revocation_check";
    case ValidationStep::kReplayCheck:
      return "replay_check";
    case ValidationStep::kPopSignature:
      return "pop_signature";
    case ValidationStep::kFingerprintMatch:
      return "fingerprint_match";
    case ValidationStep::kDriftEval:
      return "drift_eval";
    case ValidationStep::kSessionKem:
      return "session_kem";
  }
  return "unknown";
}

std::string_view FallbackOriginName(FallbackOrigin origin) {
  switch (origin) {
    case FallbackOrigin::kSessionKem:
      return "session_kem";
    case FallbackOrigin::kCertificate:
      return "certificate";
    case FallbackOrigin::kTls:
      return "tls";
  }
  return "unknown";
}

FallbackUse TlsFallback(std::string_view tls_group) {
  // Algorithm names as the other fallbacks spell them; an unlisted group
  // keeps its IANA name.
  std::string algorithm(tls_group);
  if (tls_group == "x25519") {
    algorithm = "X25519";
  } else if (tls_group == "secp256r1") {
    algorithm = "P-256";
  } else if (tls_group == "secp384r1") {
    algorithm = "P-384";
  } else if (tls_group.empty()) {
    algorithm = "unknown";
  }
  return FallbackUse{.kind = FallbackKind::kTlsWithoutHybridGroup,
                     .origin = FallbackOrigin::kTls,
                     .algorithm = std::move(algorithm),
                     .requested_algorithm = "X25519MLKEM768",
                     .reason = "tls_no_hybrid_group"};
}

ValidationPipeline::ValidationPipeline(DriftPolicy drift_policy, FallbackPolicy fallback_policy)
    : drift_policy_(std::move(drift_policy)), fallback_policy_(fallback_policy) {}

Result<ValidationOutcome> ValidationPipeline::Run(const ValidationInput& input,
                                                  const ValidationPorts& ports) const {
  return PipelineRun(input, ports, drift_policy_, fallback_policy_).Execute();
}

}  // namespace devtrust::trust
