#include "ops/notifier_webhook.h"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <string>
#include <utility>

#include "ops/notifier_signature.h"

namespace devtrust::ops {
namespace {

constexpr std::size_t kMinSigningSecretSize = 32;

std::unexpected<Error> InvalidNotification(std::string message) {
  return MakeError(StatusCode::kInvalidArgument, "notification_invalid", std::move(message));
}

std::string JsonString(std::string_view value) {
  return boost::json::serialize(boost::json::string(value));
}

// Appends `,"name":"value"`, with the value escaped as a JSON string
// (RFC 8259 section 7).
void AppendMember(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  out += JsonString(value);
}

bool IsCode(const crypto::SecretBytes& code) {
  const std::string_view digits = code.AsStringView();
  return digits.size() >= 6 && digits.size() <= 8 &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Drops the receiver's response body that WebhookClient quotes after
// " (response: ": a receiver that echoes requests would otherwise put the
// code into the error, which the dispatcher stores.
Error WithoutResponseBody(const Error& error) {
  std::string message = error.message();
  if (const std::size_t cut = message.find(" (response: "); cut != std::string::npos) {
    message.resize(cut);
  }
  return Error(error.code(), error.reason(), std::move(message));
}

}  // namespace

bool NotificationKindCarriesCode(std::string_view kind) {
  return kind == "device_verification" || kind == "drift_challenge" ||
         kind == "verification_failure";
}

Result<crypto::SecretBytes> NotificationBody(const NotificationMessage& message) {
  const bool carries_code = NotificationKindCarriesCode(message.kind);
  if (carries_code && !IsCode(message.code)) {
    return InvalidNotification("notification " + message.notification_id + " of kind " +
                               message.kind + " needs a code of 6 to 8 digits");
  }
  if (!carries_code && !message.code.empty()) {
    return InvalidNotification("notification " + message.notification_id + " of kind " +
                               message.kind + " must not carry a code");
  }

  // Everything except the code is public, so the body is built in two
  // ordinary strings around it and joined in the wiping buffer.
  std::string head = "{\"notification_id\":" + JsonString(message.notification_id);
  AppendMember(head, "kind", message.kind);
  AppendMember(head, "user_id", message.user_id);
  AppendMember(head, "device_id", message.device_id);
  if (!message.challenge_id.empty()) {
    AppendMember(head, "challenge_id", message.challenge_id);
  }
  std::string tail;
  if (carries_code) {
    head += ",\"code\":\"";
    tail = "\"";
  }
  if (!message.expires_at.empty()) {
    AppendMember(tail, "expires_at", message.expires_at);
  }
  AppendMember(tail, "created_at", message.created_at);
  AppendMember(tail, "reason", message.reason);
  tail += "}";

  const std::string_view code = carries_code ? message.code.AsStringView() : std::string_view();
  crypto::SecretBytes body(head.size() + code.size() + tail.size());
  std::uint8_t* out = body.data();
  out = std::copy(head.begin(), head.end(), out);
  out = std::copy(code.begin(), code.end(), out);
  std::copy(tail.begin(), tail.end(), out);
  return body;
}

Result<std::unique_ptr<WebhookNotifier>> WebhookNotifier::Create(WebhookNotifierOptions options) {
  if (options.url.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "notifier_config_invalid",
                     "the webhook URL is empty; set notifications.webhook_url");
  }
  if (options.signing_secret.size() < kMinSigningSecretSize) {
    return MakeError(StatusCode::kInvalidArgument, "notifier_config_invalid",
                     "the webhook signing secret has " +
                         std::to_string(options.signing_secret.size()) + " bytes; use at least " +
                         std::to_string(kMinSigningSecretSize));
  }
  if (Status url = CheckWebhookUrl(options.url.AsStringView()); !url) {
    return std::unexpected(url.error());
  }
  options.client.max_attempts = 1;
  if (!options.clock) {
    options.clock = [] { return std::chrono::system_clock::now(); };
  }
  return std::unique_ptr<WebhookNotifier>(new WebhookNotifier(std::move(options)));
}

WebhookNotifier::WebhookNotifier(WebhookNotifierOptions options)
    : options_(std::move(options)), client_(options_.client) {}

Status WebhookNotifier::Send(const NotificationMessage& message) {
  Result<crypto::SecretBytes> body = NotificationBody(message);
  if (!body) {
    return std::unexpected(std::move(body).error());
  }

  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(options_.clock().time_since_epoch()).count();
  Result<std::string> signature = SignNotificationBody(body->view(), options_.signing_secret, now);
  if (!signature) {
    return std::unexpected(std::move(signature).error());
  }

  const std::array<HttpHeader, 1> headers = {
      HttpHeader{std::string(kNotificationSignatureHeader), *std::move(signature)}};
  Result<WebhookResponse> response =
      client_.PostJson(options_.url.AsStringView(), body->AsStringView(), headers);
  if (!response) {
    return std::unexpected(WithoutResponseBody(response.error()));
  }
  return {};
}

}  // namespace devtrust::ops
