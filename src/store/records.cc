#include "store/records.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace devtrust::store {
namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<DeviceStatus, 3> kDeviceStatusNames = {{
    {DeviceStatus::kPending, "pending"},
    {DeviceStatus::kTrusted, "trusted"},
    {DeviceStatus::kRevoked, "revoked"},
}};
constexpr NameTable<CertificateKind, 2> kCertificateKindNames = {{
    {CertificateKind::kMlDsa, "ml_dsa"},
    {CertificateKind::kEcdsa, "ecdsa"},
}};
constexpr NameTable<NoncePurpose, 2> kNoncePurposeNames = {{
    {NoncePurpose::kRegister, "register"},
    {NoncePurpose::kLogin, "login"},
}};
constexpr NameTable<ChallengeReason, 3> kChallengeReasonNames = {{
    {ChallengeReason::kRegistration, "registration"},
    {ChallengeReason::kVerificationFailure, "verification_failure"},
    {ChallengeReason::kDrift, "drift"},
}};
constexpr NameTable<ChallengeStatus, 4> kChallengeStatusNames = {{
    {ChallengeStatus::kOpen, "open"},
    {ChallengeStatus::kPassed, "passed"},
    {ChallengeStatus::kFailed, "failed"},
    {ChallengeStatus::kExpired, "expired"},
}};
constexpr NameTable<NotificationKind, 4> kNotificationKindNames = {{
    {NotificationKind::kDeviceVerification, "device_verification"},
    {NotificationKind::kReplayAlert, "replay_alert"},
    {NotificationKind::kDriftChallenge, "drift_challenge"},
    {NotificationKind::kVerificationFailure, "verification_failure"},
}};
constexpr NameTable<ReviewReason, 3> kReviewReasonNames = {{
    {ReviewReason::kDrift, "drift"},
    {ReviewReason::kReplay, "replay"},
    {ReviewReason::kManual, "manual"},
}};
constexpr NameTable<ReviewStatus, 2> kReviewStatusNames = {{
    {ReviewStatus::kOpen, "open"},
    {ReviewStatus::kResolved, "resolved"},
}};

template <typename Enum, std::size_t N>
std::string_view NameOf(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "unknown";
}

template <typename Enum, std::size_t N>
Result<Enum> Parse(const NameTable<Enum, N>& table, std::string_view type, std::string_view name) {
  for (const auto& [entry, entry_name] : table) {
    if (entry_name == name) return entry;
  }
  return MakeError(StatusCode::kInvalidArgument, "invalid_enum_value",
                   fmt::format("'{}' is not a valid {}", name, type));
}

}  // namespace

std::string_view DeviceStatusName(DeviceStatus status) {
  return NameOf(kDeviceStatusNames, status);
}
Result<DeviceStatus> ParseDeviceStatus(std::string_view name) {
  return Parse(kDeviceStatusNames, "device status", name);
}

std::string_view CertificateKindName(CertificateKind kind) {
  return NameOf(kCertificateKindNames, kind);
}
Result<CertificateKind> ParseCertificateKind(std::string_view name) {
  return Parse(kCertificateKindNames, "certificate kind", name);
}

std::string_view NoncePurposeName(NoncePurpose purpose) {
  return NameOf(kNoncePurposeNames, purpose);
}
Result<NoncePurpose> ParseNoncePurpose(std::string_view name) {
  return Parse(kNoncePurposeNames, "nonce purpose", name);
}

std::string_view ChallengeReasonName(ChallengeReason reason) {
  return NameOf(kChallengeReasonNames, reason);
}
Result<ChallengeReason> ParseChallengeReason(std::string_view name) {
  return Parse(kChallengeReasonNames, "challenge reason", name);
}

std::string_view ChallengeStatusName(ChallengeStatus status) {
  return NameOf(kChallengeStatusNames, status);
}
Result<ChallengeStatus> ParseChallengeStatus(std::string_view name) {
  return Parse(kChallengeStatusNames, "challenge status", name);
}

std::string_view NotificationKindName(NotificationKind kind) {
  return NameOf(kNotificationKindNames, kind);
}
Result<NotificationKind> ParseNotificationKind(std::string_view name) {
  return Parse(kNotificationKindNames, "notification kind", name);
}

std::string_view ReviewReasonName(ReviewReason reason) {
  return NameOf(kReviewReasonNames, reason);
}
Result<ReviewReason> ParseReviewReason(std::string_view name) {
  return Parse(kReviewReasonNames, "review reason", name);
}

std::string_view ReviewStatusName(ReviewStatus status) {
  return NameOf(kReviewStatusNames, status);
}
Result<ReviewStatus> ParseReviewStatus(std::string_view name) {
  return Parse(kReviewStatusNames, "review status", name);
}

}  // namespace devtrust::store
