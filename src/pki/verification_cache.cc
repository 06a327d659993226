#include "pki/verification_cache.h"

namespace devtrust::pki {

bool VerificationCache::Contains(const crypto::Sha256Digest& fingerprint, crypto::TimePoint now) {
  std::lock_guard lock(mutex_);
  const auto found = index_.find(fingerprint);
  if (found == index_.end()) {
    return false;
  }
  if (now > found->second->expires_at) {
    entries_.erase(found->second);
    index_.erase(found);
    return false;
  }
  entries_.splice(entries_.begin(), entries_, found->second);
  return true;
}

void VerificationCache::Insert(const crypto::Sha256Digest& fingerprint,
                               crypto::TimePoint expires_at) {
  if (capacity_ == 0) {
    return;
  }
  std::lock_guard lock(mutex_);
  if (const auto found = index_.find(fingerprint); found != index_.end()) {
    found->second->expires_at = expires_at;
    entries_.splice(entries_.begin(), entries_, found->second);
    return;
  }
  if (entries_.size() >= capacity_) {
    index_.erase(entries_.back().fingerprint);
    entries_.pop_back();
  }
  entries_.push_front(Entry{fingerprint, expires_at});
  index_.emplace(fingerprint, entries_.begin());
}

std::size_t VerificationCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace devtrust::pki
