// WebhookNotifier: delivers notifications as signed JSON POSTs to the relying
// party's webhook URL through WebhookClient.
//
// Body (docs/notifications.md), a JSON object with these members in order:
//   notification_id, kind, user_id, device_id,
//   challenge_id  (absent for a replay alert),
//   code          (only for device_verification, drift_challenge and
//                  verification_failure),
//   expires_at    (absent when there is no challenge),
//   created_at, reason
// Header: X-Devtrust-Signature (notifier_signature.h), computed over the
// exact body bytes sent.
//
// The body is assembled in a wiping buffer because it carries the code. The
// URL is kept the same way because webhook URLs often embed a credential.
#ifndef DEVTRUST_OPS_NOTIFIER_WEBHOOK_H_
#define DEVTRUST_OPS_NOTIFIER_WEBHOOK_H_

#include <chrono>
#include <functional>
#include <memory>

#include "base/error.h"
#include "crypto/secret_bytes.h"
#include "ops/notifier.h"
#include "ops/webhook_client.h"

namespace devtrust::ops {

struct WebhookNotifierOptions {
  // https, or http to a loopback host (WebhookClient's rule).
  crypto::SecretBytes url;
  // The HMAC key of the signature header; at least 32 bytes.
  crypto::SecretBytes signing_secret;
  // Timeouts and the CA file. max_attempts is forced to 1, because the
  // dispatcher schedules retries and records each attempt.
  WebhookClientOptions client;
  // The time written into the signature; the system clock when empty.
  std::function<std::chrono::system_clock::time_point()> clock;
};

class WebhookNotifier final : public Notifier {
 public:
  // Errors: "notifier_config_invalid" (kInvalidArgument) for an empty URL or
  // a signing secret shorter than 32 bytes.
  static Result<std::unique_ptr<WebhookNotifier>> Create(WebhookNotifierOptions options);

  // Posts the signed body once. Errors: "notification_invalid"
  // (kInvalidArgument) for a code that is not 6 to 8 digits, or for a code on
  // a kind that carries none. Also the errors of WebhookClient::PostJson, with
  // the receiver's response body removed from the message.
  Status Send(const NotificationMessage& message) override;

 private:
  explicit WebhookNotifier(WebhookNotifierOptions options);

  WebhookNotifierOptions options_;
  WebhookClient client_;
};

// The JSON body for `message`, as Send posts it. Errors: as for Send's
// "notification_invalid".
Result<crypto::SecretBytes> NotificationBody(const NotificationMessage& message);

// Whether notifications of `kind` carry a verification code.
bool NotificationKindCarriesCode(std::string_view kind);

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_NOTIFIER_WEBHOOK_H_
