#include "pki/revocation_set.h"

#include <mutex>
#include <utility>

namespace devtrust::pki {
namespace {

std::string Key(ByteView serial_number) { return std::string(AsString(serial_number)); }

}  // namespace

void RevocationSet::Add(crypto::RevokedCertificate entry) {
  std::string key = Key(entry.serial_number);
  std::unique_lock lock(mutex_);
  entries_.insert_or_assign(std::move(key), std::move(entry));
}

void RevocationSet::Replace(std::vector<crypto::RevokedCertificate> entries) {
  std::unordered_map<std::string, crypto::RevokedCertificate> replacement;
  replacement.reserve(entries.size());
  for (crypto::RevokedCertificate& entry : entries) {
    std::string key = Key(entry.serial_number);
    replacement.insert_or_assign(std::move(key), std::move(entry));
  }
  std::unique_lock lock(mutex_);
  entries_.swap(replacement);
}

bool RevocationSet::IsRevoked(ByteView serial_number) const {
  const std::string key = Key(serial_number);
  std::shared_lock lock(mutex_);
  return entries_.contains(key);
}

std::optional<crypto::RevokedCertificate> RevocationSet::Find(ByteView serial_number) const {
  const std::string key = Key(serial_number);
  std::shared_lock lock(mutex_);
  const auto found = entries_.find(key);
  if (found == entries_.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::vector<crypto::RevokedCertificate> RevocationSet::Entries() const {
  std::shared_lock lock(mutex_);
  std::vector<crypto::RevokedCertificate> entries;
  entries.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) {
    entries.push_back(entry);
  }
  return entries;
}

std::size_t RevocationSet::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace devtrust::pki
