// The seed-only PKCS#8 PrivateKeyInfo for ML-DSA and ML-KEM keys.
//
// RFC 9881 (ML-DSA in X.509) and the IETF LAMPS ML-KEM document
// (draft-ietf-lamps-kyber-certificates) define the private key as a CHOICE
// whose seed alternative is "seed [0] IMPLICIT OCTET STRING": 32 bytes for
// ML-DSA and 64 bytes (d || z) for ML-KEM. OpenSSL 3.5 writes the "both"
// alternative unless its provider is configured otherwise. Some other
// implementations reject that form, so devtrust writes the seed form itself.
// keys_test.cc compares the bytes with OpenSSL's own seed-only output.
//
// Internal to src/crypto.
#ifndef DEVTRUST_CRYPTO_INTERNAL_SEED_PKCS8_H_
#define DEVTRUST_CRYPTO_INTERNAL_SEED_PKCS8_H_

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/keys.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto::internal {

// Encodes the DER PrivateKeyInfo (RFC 5958 version 0, no attributes) holding
// only `seed`. Fails with reason "invalid_seed" unless `algorithm` is ML-DSA
// or ML-KEM and `seed` has SeedSize(algorithm) bytes.
Result<SecretBytes> EncodeSeedOnlyPkcs8(KeyAlgorithm algorithm, ByteView seed);

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_SEED_PKCS8_H_
