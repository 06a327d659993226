// PEM armor (RFC 7468) for DER keys: one block, strict base64, no headers.
//
// Internal to src/crypto. Both directions work on SecretBytes, so that the
// base64 text of a private key is wiped like the key itself.
#ifndef DEVTRUST_CRYPTO_INTERNAL_PEM_H_
#define DEVTRUST_CRYPTO_INTERNAL_PEM_H_

#include <cstddef>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto::internal {

// Encodes `der` as "-----BEGIN <label>-----", base64 lines of 64 characters
// and "-----END <label>-----", each line ending in "\n" (RFC 7468 section 2).
SecretBytes EncodePem(std::string_view label, ByteView der);

// Decodes exactly one PEM block with `label`, which only whitespace may
// surround. Fails with reason "invalid_pem" on encapsulated headers (RFC 1421
// "Proc-Type"), characters outside the base64 alphabet, misplaced padding, or
// a body that decodes to more than `max_size` bytes.
Result<SecretBytes> DecodePem(std::string_view pem, std::string_view label, std::size_t max_size);

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_PEM_H_
