#include "service/notification_payload.h"

#include <boost/json.hpp>
#include <utility>

#include "base/encoding.h"
#include "ops/notifier_webhook.h"
#include "service/identifiers.h"
#include "telemetry/json_text.h"

namespace devtrust::service {
namespace {

// A sealed code of at most 8 digits takes 12 + 8 + 16 bytes.
constexpr std::size_t kMaxSealedCodeSize = 64;

std::unexpected<Error> PayloadInvalid(const store::Notification& notification,
                                      std::string_view what) {
  return MakeError(
      StatusCode::kDataLoss, "notification_payload_invalid",
      "the payload of notification " + notification.notification_id + " " + std::string(what));
}

std::string MemberString(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return "";
  return std::string(value->as_string());
}

}  // namespace

Result<store::Notification> MakeNotification(const ServiceKeys& keys,
                                             const NotificationContent& content,
                                             const crypto::SecretBytes* code,
                                             store::TimePoint now) {
  const bool carries_code =
      ops::NotificationKindCarriesCode(store::NotificationKindName(content.kind));
  if (carries_code != (code != nullptr)) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_argument",
                     "a " + std::string(store::NotificationKindName(content.kind)) +
                         " notification " + (carries_code ? "needs" : "must not carry") +
                         " a code");
  }

  Result<std::string> id = NewRandomId("ntf");
  if (!id) return std::unexpected(std::move(id).error());

  boost::json::object payload;
  if (!content.challenge_id.empty()) payload["challenge_id"] = content.challenge_id;
  if (content.expires_at.has_value()) {
    payload["expires_at"] = telemetry::FormatRfc3339Millis(*content.expires_at);
  }
  payload["reason"] = content.reason;
  if (code != nullptr) {
    Result<Bytes> sealed = keys.code_sealing_key().Seal(code->view(), AsBytes(*id));
    if (!sealed) return std::unexpected(std::move(sealed).error());
    payload["sealed_code"] = Base64UrlEncode(*sealed);
  }

  store::Notification notification;
  notification.notification_id = *std::move(id);
  notification.user_id = content.user_id;
  notification.device_id = content.device_id;
  notification.kind = content.kind;
  notification.payload = boost::json::serialize(payload);
  notification.created_at = now;
  notification.next_attempt_at = now;
  return notification;
}

Result<ops::NotificationMessage> DecodeNotification(const ServiceKeys& keys,
                                                    const store::Notification& notification) {
  boost::system::error_code parse_error;
  const boost::json::value parsed = boost::json::parse(notification.payload, parse_error);
  if (parse_error || !parsed.is_object()) {
    return PayloadInvalid(notification, "is not a JSON object");
  }
  const boost::json::object& payload = parsed.as_object();

  ops::NotificationMessage message;
  message.notification_id = notification.notification_id;
  message.kind = std::string(store::NotificationKindName(notification.kind));
  message.user_id = notification.user_id;
  message.device_id = notification.device_id;
  message.challenge_id = MemberString(payload, "challenge_id");
  message.expires_at = MemberString(payload, "expires_at");
  message.created_at = telemetry::FormatRfc3339Millis(notification.created_at);
  message.reason = MemberString(payload, "reason");

  const std::string sealed_text = MemberString(payload, "sealed_code");
  if (ops::NotificationKindCarriesCode(message.kind)) {
    Result<Bytes> sealed = Base64UrlDecode(sealed_text, kMaxSealedCodeSize);
    if (sealed_text.empty() || !sealed) {
      return PayloadInvalid(notification, "has no readable sealed code");
    }
    Result<Bytes> code =
        keys.code_sealing_key().Open(*sealed, AsBytes(notification.notification_id));
    if (!code) return PayloadInvalid(notification, "has a sealed code that does not open");
    message.code = crypto::SecretBytes(*code);
    // The plain copy is wiped through a volatile pointer, which the compiler
    // may not drop as a dead store.
    volatile std::uint8_t* plain = code->data();
    for (std::size_t i = 0; i < code->size(); ++i) plain[i] = 0;
  }
  return message;
}

}  // namespace devtrust::service
