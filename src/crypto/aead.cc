#include "crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <string>

#include "crypto/internal/openssl_error.h"
#include "crypto/internal/openssl_handles.h"

namespace devtrust::crypto {
namespace {

using internal::EvpCipherCtxPtr;

// EVP_*Update take int lengths; larger messages are rejected up front.
constexpr std::size_t kMaxMessageSize = INT_MAX - Aes256Gcm::kOverhead;

std::unexpected<Error> DecryptionFailed() {
  internal::ClearOpenSslErrors();
  return MakeError(StatusCode::kInvalidArgument, "decryption_failed",
                   "AES-256-GCM decryption failed: the message or its associated data was "
                   "changed, or the key is wrong");
}

}  // namespace

Result<Aes256Gcm> Aes256Gcm::Create(SecretBytes key) {
  if (key.size() != kKeySize) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_key",
                     "AES-256-GCM key must be 32 bytes, got " + std::to_string(key.size()));
  }
  return Aes256Gcm(std::move(key));
}

Result<Bytes> Aes256Gcm::Seal(ByteView plaintext, ByteView aad) const {
  if (plaintext.size() > kMaxMessageSize || aad.size() > kMaxMessageSize) {
    return MakeError(StatusCode::kInvalidArgument, "message_too_large",
                     "AES-256-GCM input is " + std::to_string(plaintext.size() + aad.size()) +
                         " bytes, more than one call can take; split the message");
  }

  Bytes sealed(kNonceSize + plaintext.size() + kTagSize);
  std::uint8_t* nonce = sealed.data();
  std::uint8_t* ciphertext = nonce + kNonceSize;
  std::uint8_t* tag = ciphertext + plaintext.size();
  if (RAND_bytes(nonce, static_cast<int>(kNonceSize)) != 1) {
    return std::unexpected(internal::OpenSslInternalError("drawing an AES-256-GCM nonce"));
  }

  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int written = 0;
  if (ctx == nullptr ||
      EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key_.data(), nonce, nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &written, aad.data(),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), ciphertext, &written, plaintext.data(),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ciphertext + written, &written) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    return std::unexpected(internal::OpenSslInternalError("AES-256-GCM encryption"));
  }
  return sealed;
}

Result<Bytes> Aes256Gcm::Open(ByteView sealed, ByteView aad) const {
  if (sealed.size() < kOverhead || sealed.size() - kOverhead > kMaxMessageSize ||
      aad.size() > kMaxMessageSize) {
    return DecryptionFailed();
  }

  const ByteView nonce = sealed.first(kNonceSize);
  const ByteView ciphertext = sealed.subspan(kNonceSize, sealed.size() - kOverhead);
  const ByteView tag = sealed.last(kTagSize);

  Bytes plaintext(ciphertext.size());
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int written = 0;
  const bool decrypted =
      ctx != nullptr &&
      EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key_.data(), nonce.data(), nullptr) == 1 &&
      (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &written, aad.data(),
                                        static_cast<int>(aad.size())) == 1) &&
      EVP_DecryptUpdate(ctx.get(), plaintext.data(), &written, ciphertext.data(),
                        static_cast<int>(ciphertext.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          const_cast<std::uint8_t*>(tag.data())) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + written, &written) == 1;
  if (!decrypted) {
    // GCM decrypts before it checks the tag, so the buffer already contains
    // unauthenticated plaintext. Wipe it before it is freed.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return DecryptionFailed();
  }
  return plaintext;
}

}  // namespace devtrust::crypto
