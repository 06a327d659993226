#include "service/notification_payload.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/encoding.h"
#include "crypto/random.h"

namespace devtrust::service {
namespace {

ServiceKeys Keys(char fill = 'm') {
  Result<ServiceKeys> keys =
      ServiceKeys::Derive(crypto::SecretBytes(AsBytes(std::string(32, fill))));
  if (!keys) std::abort();
  return *std::move(keys);
}

store::TimePoint Now() { return store::TimePoint(std::chrono::seconds(1'767'225'600)); }

NotificationContent Verification() {
  NotificationContent content;
  content.kind = store::NotificationKind::kDriftChallenge;
  content.user_id = "alice";
  content.device_id = "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa";
  content.challenge_id = "chl_bbbbbbbbbbbbbbbbbbbbbbbbbb";
  content.expires_at = Now() + std::chrono::minutes(10);
  content.reason = "fingerprint_drift";
  return content;
}

const crypto::SecretBytes kCode(AsBytes("031415"));

TEST(NotificationPayloadTest, RoundTripsEveryField) {
  const ServiceKeys keys = Keys();
  Result<store::Notification> notification = MakeNotification(keys, Verification(), &kCode, Now());
  ASSERT_TRUE(notification.has_value()) << notification.error().ToString();

  Result<ops::NotificationMessage> message = DecodeNotification(keys, *notification);

  ASSERT_TRUE(message.has_value()) << message.error().ToString();
  EXPECT_EQ(message->notification_id, notification->notification_id);
  EXPECT_TRUE(message->notification_id.starts_with("ntf_"));
  EXPECT_EQ(message->kind, "drift_challenge");
  EXPECT_EQ(message->user_id, "alice");
  EXPECT_EQ(message->device_id, "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(message->challenge_id, "chl_bbbbbbbbbbbbbbbbbbbbbbbbbb");
  EXPECT_EQ(message->code.AsStringView(), "031415");
  EXPECT_EQ(message->expires_at, "2026-01-01T00:10:00.000Z");
  EXPECT_EQ(message->created_at, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(message->reason, "fingerprint_drift");
  EXPECT_EQ(notification->next_attempt_at, Now());
}

TEST(NotificationPayloadTest, PayloadHidesCode) {
  Result<store::Notification> notification =
      MakeNotification(Keys(), Verification(), &kCode, Now());
  ASSERT_TRUE(notification.has_value());

  EXPECT_EQ(notification->payload.find("031415"), std::string::npos);
  EXPECT_TRUE(boost::json::parse(notification->payload).as_object().contains("sealed_code"));
}

TEST(NotificationPayloadTest, OtherKeyCannotOpen) {
  Result<store::Notification> notification =
      MakeNotification(Keys('a'), Verification(), &kCode, Now());
  ASSERT_TRUE(notification.has_value());

  Result<ops::NotificationMessage> message = DecodeNotification(Keys('b'), *notification);

  ASSERT_FALSE(message.has_value());
  EXPECT_EQ(message.error().reason(), "notification_payload_invalid");
  EXPECT_EQ(message.error().code(), StatusCode::kDataLoss);
}

// The notification id is the associated data, so a sealed code copied into
// another notification does not open.
TEST(NotificationPayloadTest, SealedCodeIsBoundToNotification) {
  const ServiceKeys keys = Keys();
  Result<store::Notification> first = MakeNotification(keys, Verification(), &kCode, Now());
  Result<store::Notification> second = MakeNotification(keys, Verification(), &kCode, Now());
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  second->payload = first->payload;

  EXPECT_FALSE(DecodeNotification(keys, *second).has_value());
}

TEST(NotificationPayloadTest, TamperedSealIsRejected) {
  const ServiceKeys keys = Keys();
  Result<store::Notification> notification = MakeNotification(keys, Verification(), &kCode, Now());
  ASSERT_TRUE(notification.has_value());
  boost::json::object payload = boost::json::parse(notification->payload).as_object();
  Result<Bytes> sealed = Base64UrlDecode(payload["sealed_code"].as_string(), 64);
  ASSERT_TRUE(sealed.has_value());
  (*sealed)[14] ^= 0x01;
  payload["sealed_code"] = Base64UrlEncode(*sealed);
  notification->payload = boost::json::serialize(payload);

  EXPECT_EQ(DecodeNotification(keys, *notification).error().reason(),
            "notification_payload_invalid");
}

TEST(NotificationPayloadTest, BrokenPayloadIsRejected) {
  const ServiceKeys keys = Keys();
  Result<store::Notification> notification = MakeNotification(keys, Verification(), &kCode, Now());
  ASSERT_TRUE(notification.has_value());

  for (const std::string_view payload : {"", "[]", "{", R"({"reason":"x"})"}) {
    notification->payload = std::string(payload);
    EXPECT_FALSE(DecodeNotification(keys, *notification).has_value()) << payload;
  }
}

TEST(NotificationPayloadTest, AlertCarriesNoCode) {
  NotificationContent alert;
  alert.kind = store::NotificationKind::kReplayAlert;
  alert.user_id = "alice";
  alert.device_id = "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa";
  alert.reason = "nonce_reused";
  const ServiceKeys keys = Keys();

  Result<store::Notification> notification = MakeNotification(keys, alert, nullptr, Now());
  ASSERT_TRUE(notification.has_value());
  Result<ops::NotificationMessage> message = DecodeNotification(keys, *notification);

  ASSERT_TRUE(message.has_value());
  EXPECT_TRUE(message->code.empty());
  EXPECT_TRUE(message->challenge_id.empty());
  EXPECT_TRUE(message->expires_at.empty());
}

TEST(NotificationPayloadTest, CodeMustMatchKind) {
  NotificationContent alert = Verification();
  alert.kind = store::NotificationKind::kReplayAlert;

  EXPECT_EQ(MakeNotification(Keys(), alert, &kCode, Now()).error().reason(), "invalid_argument");
  EXPECT_EQ(MakeNotification(Keys(), Verification(), nullptr, Now()).error().reason(),
            "invalid_argument");
}

}  // namespace
}  // namespace devtrust::service
