// A byte buffer for secret material: private keys, seeds, shared secrets,
// session keys, API keys and one-time codes.
//
// The buffer is wiped (OPENSSL_cleanse) when destroyed or reassigned, copies
// must be made explicitly with Clone(), comparisons run in constant time, and
// the type has no stream or fmt formatter, so it cannot end up in a log line
// by accident.
#ifndef DEVTRUST_CRYPTO_SECRET_BYTES_H_
#define DEVTRUST_CRYPTO_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"

namespace devtrust::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  // A zero-filled buffer of `size` bytes.
  explicit SecretBytes(std::size_t size);
  // A copy of `bytes`; the caller remains responsible for wiping the source.
  explicit SecretBytes(ByteView bytes);
  ~SecretBytes();

  // Moving hands the buffer over and leaves the source empty.
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  SecretBytes Clone() const;

  // Wipes the contents and releases the buffer, leaving an empty value.
  void Clear();

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ByteView view() const { return ByteView(data_, size_); }
  std::string_view AsStringView() const;

  // Compares in time that depends only on the sizes, never on the contents.
  bool ConstantTimeEquals(ByteView other) const;

 private:
  void Wipe();

  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// Compares two byte strings in time that depends only on their sizes. Use it for
// every comparison that involves a secret, a MAC or a code.
bool ConstantTimeEquals(ByteView a, ByteView b);

}  // namespace devtrust::crypto

#endif  // DEVTRUST_CRYPTO_SECRET_BYTES_H_
