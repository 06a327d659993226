// X25519 key agreement (RFC 7748).
#ifndef DEVTRUST_CRYPTO_X25519_H_
#define DEVTRUST_CRYPTO_X25519_H_

#include <cstddef>

#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto {

inline constexpr std::size_t kX25519SharedSecretSize = 32;

// Computes X25519(own private scalar, peer public u-coordinate). Errors:
//   "unexpected_key_algorithm"  either key is not X25519;
//   "key_agreement_failed"      the result is all zeros, which a peer key of
//                               small order produces; RFC 7748 section 6.1
//                               requires rejecting it.
Result<SecretBytes> ComputeX25519SharedSecret(const PrivateKey& own, const PublicKey& peer);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_X25519_H_
