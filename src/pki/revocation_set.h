// The set of revoked certificate serial numbers that the CA checks on every
// validation. The store keeps revocations durably, and the caller loads them
// here at startup and adds each new one, because the CA does no I/O beyond
// its key directory.
#ifndef DEVTRUST_PKI_REVOCATION_SET_H_
#define DEVTRUST_PKI_REVOCATION_SET_H_

#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"
#include "crypto/crl.h"

namespace devtrust::pki {

// Thread-safe: lookups share a reader lock, changes take the writer lock.
//
// Entries are keyed by serial number alone, not by issuer. Both roots draw
// 128-bit random serial numbers, so two certificates of devtrust share a
// serial number with negligible probability (about 2^-65 after 2^32 issued).
class RevocationSet {
 public:
  // Adds `entry`, replacing an earlier entry for the same serial number.
  void Add(crypto::RevokedCertificate entry);
  // Replaces the whole set, as after loading it from the store.
  void Replace(std::vector<crypto::RevokedCertificate> entries);

  bool IsRevoked(ByteView serial_number) const;
  std::optional<crypto::RevokedCertificate> Find(ByteView serial_number) const;
  // A copy of every entry, in no particular order.
  std::vector<crypto::RevokedCertificate> Entries() const;
  std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  // Keyed by the serial number's bytes.
  std::unordered_map<std::string, crypto::RevokedCertificate> entries_;
};

}  // namespace devtrust::pki

#endif  // DEVTRUST_PKI_REVOCATION_SET_H_
