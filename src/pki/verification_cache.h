// A bounded cache of certificates whose signature and profile were already
// checked, keyed by the SHA-256 fingerprint of their DER encoding.
//
// Why skipping those checks on a hit is safe: the fingerprint covers every
// byte of the certificate, so a hit means the same bytes that were verified
// before. The verdict depends only on those bytes and the CA's root keys,
// which are fixed for the lifetime of the CertificateAuthority that owns the
// cache. Validity and revocation change with time and are checked on every
// call, cached or not.
#ifndef DEVTRUST_PKI_VERIFICATION_CACHE_H_
#define DEVTRUST_PKI_VERIFICATION_CACHE_H_

#include <cstddef>
#include <cstring>
#include <list>
#include <mutex>
#include <unordered_map>

#include "crypto/x509_types.h"

namespace devtrust::pki {

// Thread-safe, least recently used eviction. A capacity of 0 disables it.
class VerificationCache {
 public:
  explicit VerificationCache(std::size_t capacity) : capacity_(capacity) {}

  // True when `fingerprint` was inserted, has not been evicted, and `now` is
  // not after its expiry. An expired entry is removed.
  bool Contains(const crypto::Sha256Digest& fingerprint, crypto::TimePoint now);

  // Records a verified certificate until `expires_at`, the time after which
  // its validity check would fail anyway. Evicts the least recently used
  // entry when full.
  void Insert(const crypto::Sha256Digest& fingerprint, crypto::TimePoint expires_at);

  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    crypto::Sha256Digest fingerprint;
    crypto::TimePoint expires_at;
  };

  // The digest is uniformly distributed, so its first bytes make a good hash.
  struct FingerprintHash {
    std::size_t operator()(const crypto::Sha256Digest& digest) const {
      std::size_t hash = 0;
      std::memcpy(&hash, digest.data(), sizeof(hash));
      return hash;
    }
  };

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  // Most recently used first.
  std::list<Entry> entries_;
  std::unordered_map<crypto::Sha256Digest, std::list<Entry>::iterator, FingerprintHash> index_;
};

}  // namespace devtrust::pki

#endif  // DEVTRUST_PKI_VERIFICATION_CACHE_H_
