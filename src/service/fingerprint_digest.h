// The fingerprint value that logs and events carry: a keyed digest of the
// canonical fingerprint, never the raw attributes.
#ifndef DEVTRUST_SERVICE_FINGERPRINT_DIGEST_H_
#define DEVTRUST_SERVICE_FINGERPRINT_DIGEST_H_

#include <string>

#include "crypto/secret_bytes.h"
#include "trust/fingerprint.h"

namespace devtrust::service {

// The first 16 bytes of HMAC-SHA256(key, fingerprint.CanonicalJson()) as 32
// lowercase hex digits. Equal fingerprints give equal digests, so log lines of
// one device can be correlated, while the key keeps a reader from testing
// guessed attribute values. 128 bits leave collisions negligible. Returns ""
// for an empty key.
std::string FingerprintDigest(const crypto::SecretBytes& key,
                              const trust::Fingerprint& fingerprint);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_FINGERPRINT_DIGEST_H_
