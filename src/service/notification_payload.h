// The stored form of a user notification and its conversion into the
// message the notifier sends.
//
// A queued notification must carry its one-time code until the dispatcher
// sends it, but the database must not hold codes in the clear. The payload
// therefore keeps the code sealed with AES-256-GCM under the service's code
// sealing key (service_keys.h), with the notification id as associated data,
// so a sealed code cannot be moved to another notification:
//
//   {"challenge_id":"chl_...","expires_at":"...","reason":"...",
//    "sealed_code":"<base64url of nonce || ciphertext || tag>"}
//
// challenge_id, expires_at and sealed_code are absent for alerts.
#ifndef DEVTRUST_SERVICE_NOTIFICATION_PAYLOAD_H_
#define DEVTRUST_SERVICE_NOTIFICATION_PAYLOAD_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/secret_bytes.h"
#include "ops/notifier.h"
#include "service/service_keys.h"
#include "store/records.h"

namespace devtrust::service {

struct NotificationContent {
  store::NotificationKind kind = store::NotificationKind::kDeviceVerification;
  std::string user_id;
  std::string device_id;
  // The challenge the code belongs to, and its expiry. Both are empty for
  // alerts.
  std::string challenge_id;
  std::optional<store::TimePoint> expires_at;
  // The reason code of the flow that raised the notification.
  std::string reason;
};

// A new notification record, due at `now`, with a fresh id. `code` must be
// given exactly for the kinds that carry one (ops::NotificationKindCarriesCode).
// Errors: "invalid_argument" when it is not; the CSPRNG's and the cipher's.
Result<store::Notification> MakeNotification(const ServiceKeys& keys,
                                             const NotificationContent& content,
                                             const crypto::SecretBytes* code, store::TimePoint now);

// The message for a stored notification, with its code opened. Errors:
// "notification_payload_invalid" (kDataLoss) when the payload does not parse
// or the sealed code does not open under this key and id.
Result<ops::NotificationMessage> DecodeNotification(const ServiceKeys& keys,
                                                    const store::Notification& notification);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_NOTIFICATION_PAYLOAD_H_
