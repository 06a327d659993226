// Digital signatures: ML-DSA-65 and ML-DSA-87 (FIPS 204) and ECDSA over P-256
// with SHA-256 (FIPS 186-5), behind one interface chosen by the key.
#ifndef DEVTRUST_CRYPTO_SIGNATURE_H_
#define DEVTRUST_CRYPTO_SIGNATURE_H_

#include <cstddef>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"

namespace devtrust::crypto {

// FIPS 204 section 5.2: the context string has at most 255 bytes.
inline constexpr std::size_t kMaxSignatureContextSize = 255;

struct SignOptions {
  // The FIPS 204 context string that separates signatures made for different
  // purposes. At most kMaxSignatureContextSize bytes; must be empty for ECDSA,
  // which has no context.
  std::string_view context;
  // ML-DSA: the deterministic variant (FIPS 204 section 3.4, rnd = 0^256)
  // instead of the hedged default. ECDSA: RFC 6979 nonces instead of random
  // ones. Signatures verify the same either way.
  bool deterministic = false;
};

// Signs `message` with an ML-DSA or ECDSA P-256 key. ML-DSA signs the message
// itself (pure ML-DSA, FIPS 204 algorithm 2); ECDSA signs its SHA-256 digest
// and returns the DER ECDSA-Sig-Value of RFC 5480 section 2.2.
//
// Errors (all kInvalidArgument except library faults, which are kInternal):
//   "unexpected_key_algorithm"  the key is not a signing key;
//   "context_too_long"          the context exceeds 255 bytes;
//   "context_not_supported"     a non-empty context with an ECDSA key.
Result<Bytes> Sign(const PrivateKey& key, ByteView message, const SignOptions& options = {});

// Verifies `signature` over `message` with `key` and the same `context` that
// signing used. Errors (kInvalidArgument unless noted):
//   "signature_invalid"          the signature does not verify, including a
//                                signature of the wrong size or encoding and
//                                a wrong context;
//   "unexpected_key_algorithm"   the key is not a signing key;
//   "context_too_long"           the context exceeds 255 bytes;
//   "context_not_supported"      a non-empty context with an ECDSA key;
//   "crypto_library_error"       kInternal, an OpenSSL failure.
// Messages name the algorithm and never contain signature or key bytes.
Status Verify(const PublicKey& key, ByteView message, ByteView signature,
              std::string_view context = {});

// The signature size in bytes: 3309 for ML-DSA-65 and 4627 for ML-DSA-87
// (FIPS 204 table 2); for ECDSA P-256 the maximum DER size, 72. Returns 0 for
// algorithms that do not sign.
std::size_t MaxSignatureSize(KeyAlgorithm algorithm);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_SIGNATURE_H_
