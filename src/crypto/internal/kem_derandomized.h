// ML-KEM encapsulation with caller-supplied randomness, for known-answer
// tests that compare against other implementations. Production code uses
// Encapsulate in crypto/kem.h, which draws the randomness from the CSPRNG.
//
// Internal to src/crypto.
#ifndef DEVTRUST_CRYPTO_INTERNAL_KEM_DERANDOMIZED_H_
#define DEVTRUST_CRYPTO_INTERNAL_KEM_DERANDOMIZED_H_

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/kem.h"
#include "crypto/keys.h"

namespace devtrust::crypto::internal {

// ML-KEM.Encaps_internal (FIPS 203 algorithm 17) with the 32-byte message m.
// Reusing m for two encapsulations to one key gives the same shared secret,
// so it must never come from anything but a test vector.
Result<Encapsulation> EncapsulateWithMessage(const PublicKey& key, ByteView message);

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_KEM_DERANDOMIZED_H_
