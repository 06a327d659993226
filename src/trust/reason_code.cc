#include "trust/reason_code.h"

#include <array>
#include <utility>

namespace devtrust::trust {
namespace {

constexpr std::array<std::pair<ReasonCode, std::string_view>, 23> kReasonNames = {{
    {ReasonCode::kOk, "ok"},
    {ReasonCode::kDeviceTokenMissing, "device_token_missing"},
    {ReasonCode::kCertificateMissing, "certificate_missing"},
    {ReasonCode::kCertificateMalformed, "certificate_malformed"},
    {ReasonCode::kCertificateForeignIssuer, "certificate_foreign_issuer"},
    {ReasonCode::kCertificateSignatureInvalid, "certificate_signature_invalid"},
    {ReasonCode::kCertificateExpired, "certificate_expired"},
    {ReasonCode::kCertificateNotYetValid, "certificate_not_yet_valid"},
    {ReasonCode::kCertificateRevoked, "certificate_revoked"},
    {ReasonCode::kCertificateUnknown, "certificate_unknown"},
    {ReasonCode::kNonceReused, "nonce_reused"},
    {ReasonCode::kNonceExpired, "nonce_expired"},
    {ReasonCode::kNonceUnknown, "nonce_unknown"},
    {ReasonCode::kNonceMismatch, "nonce_mismatch"},
    {ReasonCode::kPopSignatureInvalid, "pop_signature_invalid"},
    {ReasonCode::kFingerprintMismatch, "fingerprint_mismatch"},
    {ReasonCode::kFingerprintDrift, "fingerprint_drift"},
    {ReasonCode::kHeadlessBrowser, "headless_browser"},
    {ReasonCode::kDeviceNotTrusted, "device_not_trusted"},
    {ReasonCode::kDeviceRevoked, "device_revoked"},
    {ReasonCode::kDeviceUnknown, "device_unknown"},
    {ReasonCode::kClassicalFallback, "classical_fallback"},
    {ReasonCode::kFallbackNotAllowed, "fallback_not_allowed"},
}};

constexpr std::array<ReasonCode, kReasonNames.size()> kAllReasonCodes = [] {
  std::array<ReasonCode, kReasonNames.size()> codes{};
  for (std::size_t i = 0; i < kReasonNames.size(); ++i) {
    codes[i] = kReasonNames[i].first;
  }
  return codes;
}();

constexpr std::array<std::pair<ReplayKind, std::string_view>, 4> kReplayKindNames = {{
    {ReplayKind::kNonceReused, "nonce_reused"},
    {ReplayKind::kCertificateExpired, "certificate_expired"},
    {ReplayKind::kCertificateRevoked, "certificate_revoked"},
    {ReplayKind::kCertificateUnknown, "certificate_unknown"},
}};

}  // namespace

std::string_view ReasonCodeName(ReasonCode reason) {
  for (const auto& [code, name] : kReasonNames) {
    if (code == reason) {
      return name;
    }
  }
  return "unknown";
}

std::optional<ReasonCode> ParseReasonCode(std::string_view name) {
  for (const auto& [code, code_name] : kReasonNames) {
    if (code_name == name) {
      return code;
    }
  }
  return std::nullopt;
}

std::span<const ReasonCode> AllReasonCodes() { return kAllReasonCodes; }

std::string_view ReplayKindName(ReplayKind kind) {
  for (const auto& [replay_kind, name] : kReplayKindNames) {
    if (replay_kind == kind) {
      return name;
    }
  }
  return "unknown";
}

std::optional<ReplayKind> ParseReplayKind(std::string_view name) {
  for (const auto& [replay_kind, kind_name] : kReplayKindNames) {
    if (kind_name == name) {
      return replay_kind;
    }
  }
  return std::nullopt;
}

std::optional<ReplayKind> ReplayKindOf(ReasonCode reason) {
  switch (reason) {
    case ReasonCode::kNonceReused:
      return ReplayKind::kNonceReused;
    case ReasonCode::kCertificateExpired:
      return ReplayKind::kCertificateExpired;
    case ReasonCode::kCertificateRevoked:
      return ReplayKind::kCertificateRevoked;
    case ReasonCode::kCertificateUnknown:
      return ReplayKind::kCertificateUnknown;
    default:
      return std::nullopt;
  }
}

}  // namespace devtrust::trust
