#include "store/records.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "store/unix_millis.h"

namespace devtrust::store {
namespace {

// Checks that every value has a distinct name that parses back to it and
// that other text is rejected.
template <typename Enum>
void ExpectNamesRoundTrip(std::initializer_list<Enum> values, std::string_view (*name)(Enum),
                          Result<Enum> (*parse)(std::string_view)) {
  std::set<std::string_view> seen;
  for (const Enum value : values) {
    const std::string_view text = name(value);
    EXPECT_TRUE(seen.insert(text).second) << "duplicate name " << text;
    const Result<Enum> parsed = parse(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, value) << text;
  }
  for (const std::string_view bad : {"", "PENDING", "unknown", "open "}) {
    const Result<Enum> parsed = parse(bad);
    ASSERT_FALSE(parsed.has_value()) << "'" << bad << "'";
    EXPECT_EQ(parsed.error().reason(), "invalid_enum_value");
  }
}

TEST(StoreRecordNames, RoundTripEveryEnum) {
  ExpectNamesRoundTrip({DeviceStatus::kPending, DeviceStatus::kTrusted, DeviceStatus::kRevoked},
                       &DeviceStatusName, &ParseDeviceStatus);
  ExpectNamesRoundTrip({CertificateKind::kMlDsa, CertificateKind::kEcdsa}, &CertificateKindName,
                       &ParseCertificateKind);
  ExpectNamesRoundTrip({NoncePurpose::kRegister, NoncePurpose::kLogin}, &NoncePurposeName,
                       &ParseNoncePurpose);
  ExpectNamesRoundTrip({ChallengeReason::kRegistration, ChallengeReason::kVerificationFailure,
                        ChallengeReason::kDrift},
                       &ChallengeReasonName, &ParseChallengeReason);
  ExpectNamesRoundTrip({ChallengeStatus::kOpen, ChallengeStatus::kPassed, ChallengeStatus::kFailed,
                        ChallengeStatus::kExpired},
                       &ChallengeStatusName, &ParseChallengeStatus);
  ExpectNamesRoundTrip({NotificationKind::kDeviceVerification, NotificationKind::kReplayAlert,
                        NotificationKind::kDriftChallenge, NotificationKind::kVerificationFailure},
                       &NotificationKindName, &ParseNotificationKind);
  ExpectNamesRoundTrip({ReviewReason::kDrift, ReviewReason::kReplay, ReviewReason::kManual},
                       &ReviewReasonName, &ParseReviewReason);
  ExpectNamesRoundTrip({ReviewStatus::kOpen, ReviewStatus::kResolved}, &ReviewStatusName,
                       &ParseReviewStatus);
}

TEST(StoreRecordNames, StoredValues) {
  EXPECT_EQ(DeviceStatusName(DeviceStatus::kTrusted), "trusted");
  EXPECT_EQ(CertificateKindName(CertificateKind::kMlDsa), "ml_dsa");
  EXPECT_EQ(ChallengeReasonName(ChallengeReason::kVerificationFailure), "verification_failure");
  EXPECT_EQ(NotificationKindName(NotificationKind::kReplayAlert), "replay_alert");
}

TEST(StoreUnixMillis, RoundTripsWholeMilliseconds) {
  const TimePoint time = FromUnixMillis(1'760'000'000'123);
  EXPECT_EQ(ToUnixMillis(time), 1'760'000'000'123);
  EXPECT_EQ(FromUnixMillis(0), TimePoint());
}

TEST(StoreUnixMillis, TruncatesTowardEarlier) {
  using std::chrono::microseconds;
  EXPECT_EQ(ToUnixMillis(TimePoint(microseconds(1'999))), 1);
  // Before the epoch, flooring moves a partial millisecond earlier too.
  EXPECT_EQ(ToUnixMillis(TimePoint(microseconds(-1))), -1);
  EXPECT_EQ(ToUnixMillis(TimePoint(microseconds(-1'000))), -1);
}

TEST(StoreUnixMillis, SaturatesOutOfRangeValues) {
  EXPECT_EQ(FromUnixMillis(std::numeric_limits<std::int64_t>::max()), TimePoint::max());
  EXPECT_EQ(FromUnixMillis(std::numeric_limits<std::int64_t>::min()), TimePoint::min());
}

}  // namespace
}  // namespace devtrust::store
