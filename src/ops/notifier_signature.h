// The signature header of devtrust's webhook notifications, which lets a
// receiver check that a notification came from devtrust and was not altered:
//
//   X-Devtrust-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// HMAC-SHA256 is RFC 2104 with SHA-256; the hex digits are lowercase. The
// timestamp is signed with the body so that a receiver can reject old
// deliveries replayed by someone who captured one. docs/notifications.md
// describes how to verify it.
#ifndef DEVTRUST_OPS_NOTIFIER_SIGNATURE_H_
#define DEVTRUST_OPS_NOTIFIER_SIGNATURE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::ops {

inline constexpr std::string_view kNotificationSignatureHeader = "X-Devtrust-Signature";

// The header value for `body` sent at `unix_seconds` (seconds since the Unix
// epoch). Errors: "invalid_key" when `secret` is empty.
Result<std::string> SignNotificationBody(ByteView body, const crypto::SecretBytes& secret,
                                         std::int64_t unix_seconds);

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_NOTIFIER_SIGNATURE_H_
