#include "service/fingerprint_digest.h"

#include "base/encoding.h"
#include "crypto/hmac.h"

namespace devtrust::service {

std::string FingerprintDigest(const crypto::SecretBytes& key,
                              const trust::Fingerprint& fingerprint) {
  Result<Bytes> mac = crypto::HmacSha256(key.view(), AsBytes(fingerprint.CanonicalJson()));
  if (!mac) return "";
  return HexEncode(ByteView(*mac).first(16));
}

}  // namespace devtrust::service
