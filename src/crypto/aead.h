// AES-256-GCM authenticated encryption with associated data (NIST SP 800-38D).
#ifndef DEVTRUST_CRYPTO_AEAD_H_
#define DEVTRUST_CRYPTO_AEAD_H_

#include <cstddef>
#include <utility>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::crypto {

// An AES-256-GCM key. Seal draws a fresh 96-bit nonce from the CSPRNG for
// every message and writes it in front of the ciphertext:
//   sealed = nonce (12 bytes) || ciphertext (plaintext size) || tag (16 bytes)
// NOTE: two of n random 96-bit nonces collide with probability about
// n^2 / 2^97, which reaches 2^-33 at n = 2^32 messages. Rotate keys well
// before one key seals that many messages.
class Aes256Gcm {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;
  static constexpr std::size_t kOverhead = kNonceSize + kTagSize;

  // Fails with "invalid_key" unless `key` has kKeySize bytes.
  static Result<Aes256Gcm> Create(SecretBytes key);

  // Encrypts and authenticates `plaintext`, and authenticates `aad`.
  // Fails only on a library fault ("crypto_library_error").
  Result<Bytes> Seal(ByteView plaintext, ByteView aad) const;

  // Checks and decrypts the output of Seal. Every mismatch fails with the one
  // reason "decryption_failed": a changed bit in the nonce, ciphertext, tag
  // or `aad`, a truncated input, or the wrong key. The message does not say
  // which part was wrong, and no plaintext is returned or left in memory.
  Result<Bytes> Open(ByteView sealed, ByteView aad) const;

 private:
  explicit Aes256Gcm(SecretBytes key) : key_(std::move(key)) {}

  SecretBytes key_;
};

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_AEAD_H_
