// API key authentication and role checks.
//
// Clients send `Authorization: Bearer <key>` (RFC 6750 section 2.1). The server
// stores only the SHA-256 digest of each key. Keys must be at least
// kMinApiKeyLength characters and are meant to be 32 random bytes in
// base64url. With that much entropy a leaked digest cannot be inverted by
// guessing, so a plain hash is enough and a slow password hash would only add
// CPU time to every request.
//
// Lookup hashes the presented key and compares the digest with every stored
// digest in constant time, without stopping at a match, so the time taken does
// not depend on which stored key, if any, shares a prefix with it.
#ifndef DEVTRUST_SERVER_AUTH_H_
#define DEVTRUST_SERVER_AUTH_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"
#include "server/request_context.h"
#include "server/role.h"

namespace devtrust::server {

inline constexpr std::size_t kMinApiKeyLength = 32;
inline constexpr std::size_t kMaxApiKeyLength = 512;

// The owner of an API key, as configured.
struct Principal {
  std::string key_name;
  Role role;
};

class ApiKeyAuthenticator {
 public:
  // Compares two digests. Production code keeps the default, and tests pass a
  // wrapper around it to observe the comparisons.
  using DigestComparator = bool (*)(ByteView, ByteView);

  explicit ApiKeyAuthenticator(DigestComparator compare = &crypto::ConstantTimeEquals);

  // Adds a key given in full. `name` identifies it in logs and audit records
  // and must be unique. Errors: "invalid_api_key_config" for an empty or
  // duplicate name, a key shorter than kMinApiKeyLength or longer than
  // kMaxApiKeyLength, a key with characters outside the RFC 6750 token
  // alphabet (A-Z a-z 0-9 - . _ ~ + / and trailing =), or a key already added.
  Status AddKey(std::string name, Role role, const crypto::SecretBytes& key);

  // Adds a key by its SHA-256 digest as 64 hex digits, the form configuration
  // files store (see ApiKeyDigestHex). Errors: "invalid_api_key_config".
  Status AddKeyDigest(std::string name, Role role, std::string_view sha256_hex);

  // Finds the key in an Authorization header value. Every error has
  // StatusCode kUnauthenticated, so the client always gets the same 401. The
  // reasons are for logs and metrics: "missing_api_key" (no header),
  // "malformed_authorization" (not "Bearer <token>"), "invalid_api_key" (no
  // stored key matches).
  Result<Principal> Authenticate(std::string_view authorization_header) const;

  std::size_t size() const { return keys_.size(); }

 private:
  struct Entry {
    std::string name;
    Role role;
    Bytes digest;
  };

  Status AddEntry(std::string name, Role role, Bytes digest);

  DigestComparator compare_;
  std::vector<Entry> keys_;
};

// The lowercase hex SHA-256 digest of `key`, as AddKeyDigest takes it.
std::string ApiKeyDigestHex(const crypto::SecretBytes& key);

// Checks that the request may call a route requiring `access`, and on success
// records the caller's role and key name in `context`. Uses
// `context.remote_is_loopback` for kLoopbackOrAdmin. Errors: the
// kUnauthenticated errors of Authenticate, and "permission_denied"
// (kPermissionDenied) when the key's role is not enough.
Status AuthorizeRequest(const ApiKeyAuthenticator& authenticator, Access access,
                        std::string_view authorization_header, RequestContext& context);

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_AUTH_H_
