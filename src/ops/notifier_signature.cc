#include "ops/notifier_signature.h"

#include <algorithm>
#include <utility>

#include "base/encoding.h"
#include "crypto/hmac.h"

namespace devtrust::ops {

Result<std::string> SignNotificationBody(ByteView body, const crypto::SecretBytes& secret,
                                         std::int64_t unix_seconds) {
  if (secret.empty()) {
    return MakeError(
        StatusCode::kInvalidArgument, "invalid_key",
        "the webhook signing secret is empty; configure a secret of at least 32 bytes");
  }

  // The signed text contains the body, which may carry a one-time code, so
  // it lives in a buffer that is wiped when released.
  const std::string timestamp = std::to_string(unix_seconds);
  crypto::SecretBytes signed_text(timestamp.size() + 1 + body.size());
  std::uint8_t* out = signed_text.data();
  out = std::copy(timestamp.begin(), timestamp.end(), out);
  *out++ = '.';
  std::copy(body.begin(), body.end(), out);

  Result<Bytes> tag = crypto::HmacSha256(secret.view(), signed_text.view());
  if (!tag) {
    return std::unexpected(std::move(tag).error());
  }
  return "t=" + timestamp + ",v1=" + HexEncode(*tag);
}

}  // namespace devtrust::ops
