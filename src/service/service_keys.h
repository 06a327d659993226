// The service's own keys, derived from one master secret kept in the data
// directory (service.key, mode 0600):
//
//   code MAC key      HMAC-SHA256 key under which verification codes are
//                     stored, so the database never holds a code
//   code sealing key  AES-256-GCM key that seals the code inside a queued
//                     notification until the dispatcher sends it
//   log digest key    HMAC-SHA256 key of the fingerprint digests in logs, so
//                     a log reader cannot test guesses of raw attributes
//
// Each is HKDF-SHA256 (RFC 5869) of the master secret with an empty salt and
// its own info label, so one key never serves two purposes.
#ifndef DEVTRUST_SERVICE_SERVICE_KEYS_H_
#define DEVTRUST_SERVICE_SERVICE_KEYS_H_

#include <cstddef>

#include "base/error.h"
#include "crypto/aead.h"
#include "crypto/secret_bytes.h"

namespace devtrust::service {

inline constexpr std::size_t kMasterSecretSize = 32;

class ServiceKeys {
 public:
  // Derives the keys. Errors: "invalid_key" when `master_secret` is shorter
  // than kMasterSecretSize bytes.
  static Result<ServiceKeys> Derive(const crypto::SecretBytes& master_secret);

  const crypto::SecretBytes& code_mac_key() const { return code_mac_key_; }
  const crypto::Aes256Gcm& code_sealing_key() const { return code_sealing_key_; }
  const crypto::SecretBytes& log_digest_key() const { return log_digest_key_; }

 private:
  ServiceKeys(crypto::SecretBytes code_mac_key, crypto::Aes256Gcm code_sealing_key,
              crypto::SecretBytes log_digest_key)
      : code_mac_key_(std::move(code_mac_key)),
        code_sealing_key_(std::move(code_sealing_key)),
        log_digest_key_(std::move(log_digest_key)) {}

  crypto::SecretBytes code_mac_key_;
  crypto::Aes256Gcm code_sealing_key_;
  crypto::SecretBytes log_digest_key_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_SERVICE_KEYS_H_
