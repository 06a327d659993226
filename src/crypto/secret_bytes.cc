#include "crypto/secret_bytes.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

namespace devtrust::crypto {

SecretBytes::SecretBytes(std::size_t size) {
  if (size == 0) {
    return;
  }
  data_ = new std::uint8_t[size]();
  size_ = size;
}

SecretBytes::SecretBytes(ByteView bytes) : SecretBytes(bytes.size()) {
  if (!bytes.empty()) {
    std::copy(bytes.begin(), bytes.end(), data_);
  }
}

SecretBytes::~SecretBytes() { Wipe(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes SecretBytes::Clone() const { return SecretBytes(view()); }

std::string_view SecretBytes::AsStringView() const { return AsString(view()); }

bool SecretBytes::ConstantTimeEquals(ByteView other) const {
  return crypto::ConstantTimeEquals(view(), other);
}

void SecretBytes::Clear() { Wipe(); }

void SecretBytes::Wipe() {
  if (data_ != nullptr) {
    // OPENSSL_cleanse writes through a volatile function pointer, so the
    // compiler cannot drop the stores as dead before the delete.
    OPENSSL_cleanse(data_, size_);
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
}

bool ConstantTimeEquals(ByteView a, ByteView b) {
  // The sizes are public (a MAC or code has a fixed size), so returning early
  // on a size mismatch reveals nothing about the contents.
  if (a.size() != b.size()) {
    return false;
  }
  if (a.empty()) {
    return true;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace devtrust::crypto
