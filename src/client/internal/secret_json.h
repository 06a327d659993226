// JSON parsing for texts that contain secrets (the key file's private keys,
// the session key in a validation result): the parsed value lives in a
// crypto::SecretBytes arena, so every string copy Boost.JSON makes is wiped
// when the document is destroyed.
#ifndef DEVTRUST_CLIENT_INTERNAL_SECRET_JSON_H_
#define DEVTRUST_CLIENT_INTERNAL_SECRET_JSON_H_

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::client::internal {

class SecretJsonDocument {
 public:
  // Parses one JSON text (RFC 8259) nested at most 16 levels deep. `what`
  // names the text in errors ("the key file /home/a/.config/..."). Fails with
  // reason "json_invalid" on a syntax error, and when the parsed value does
  // not fit the arena (four times the text plus 64 KiB), which only
  // pathological texts reach.
  static Result<std::unique_ptr<SecretJsonDocument>> Parse(std::string_view text,
                                                           std::string_view what);

  const boost::json::value& value() const { return value_; }

  SecretJsonDocument(const SecretJsonDocument&) = delete;
  SecretJsonDocument& operator=(const SecretJsonDocument&) = delete;

 private:
  explicit SecretJsonDocument(std::size_t arena_size);

  // Declared in this order so that the value is destroyed before the
  // resource, and the resource before the arena it allocates from.
  crypto::SecretBytes arena_;
  boost::json::monotonic_resource resource_;
  boost::json::value value_;
};

// Builds JSON values whose strings are secrets: values created with
// storage() allocate from a wiping arena of `size` bytes and throw
// std::bad_alloc when it is full.
class SecretJsonArena {
 public:
  explicit SecretJsonArena(std::size_t size);
  SecretJsonArena(const SecretJsonArena&) = delete;
  SecretJsonArena& operator=(const SecretJsonArena&) = delete;

  boost::json::storage_ptr storage() { return boost::json::storage_ptr(&resource_); }

 private:
  crypto::SecretBytes arena_;
  boost::json::monotonic_resource resource_;
};

// Serializes `value` as compact JSON into a wiping buffer.
crypto::SecretBytes SerializeToSecretBytes(const boost::json::value& value);

// Overwrites the characters of `text` with zeros and clears it, for response
// bodies that carried a secret.
void WipeString(std::string& text);

}  // namespace devtrust::client::internal

#endif  // DEVTRUST_CLIENT_INTERNAL_SECRET_JSON_H_
