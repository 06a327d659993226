// Notifier: delivers a user notification (a verification code, a security
// alert) to wherever the relying party receives them.
//
// The notification dispatcher (notification_dispatcher.h) calls a Notifier
// for each queued notification and retries failures, so an implementation
// makes one delivery attempt per call. WebhookNotifier (notifier_webhook.h)
// is the implementation devtrust ships.
#ifndef DEVTRUST_OPS_NOTIFIER_H_
#define DEVTRUST_OPS_NOTIFIER_H_

#include <string>

#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::ops {

// One notification, with the fields a receiver gets (docs/notifications.md).
struct NotificationMessage {
  std::string notification_id;
  // device_verification, drift_challenge, verification_failure or
  // replay_alert.
  std::string kind;
  std::string user_id;
  std::string device_id;
  // The challenge the code belongs to; empty for a replay alert.
  std::string challenge_id;
  // The one-time code, only for the three verification kinds; empty
  // otherwise. It leaves devtrust only in the notification body.
  crypto::SecretBytes code;
  // RFC 3339 UTC times; expires_at is empty when there is no challenge.
  std::string expires_at;
  std::string created_at;
  // The stable reason code of the flow that raised it, such as
  // "registration", "fingerprint_drift" or "nonce_reused".
  std::string reason;
};

class Notifier {
 public:
  virtual ~Notifier() = default;

  // Makes one delivery attempt. Safe to call from one thread at a time.
  // Errors: kUnavailable when the attempt failed and a later one may
  // succeed; kInvalidArgument when the message or the configuration can
  // never be delivered. Error messages never contain the code, the
  // destination URL or the receiver's response body, because the dispatcher
  // stores them.
  virtual Status Send(const NotificationMessage& message) = 0;
};

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_NOTIFIER_H_
