#include "server/auth.h"

#include <algorithm>
#include <utility>

#include "base/encoding.h"
#include "crypto/hash.h"

namespace devtrust::server {
namespace {

// The b64token alphabet of RFC 6750 section 2.1, without the trailing '='.
bool IsTokenCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// Whether `token` is a b64token: token characters followed by any '='.
bool IsToken68(std::string_view token) {
  const std::size_t padding_start = token.find_last_not_of('=');
  if (padding_start == std::string_view::npos) {
    return false;
  }
  const std::string_view body = token.substr(0, padding_start + 1);
  return std::all_of(body.begin(), body.end(), IsTokenCharacter);
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

Error ConfigError(std::string message) {
  return Error(StatusCode::kInvalidArgument, "invalid_api_key_config", std::move(message));
}

Error Unauthenticated(std::string reason, std::string message) {
  return Error(StatusCode::kUnauthenticated, std::move(reason), std::move(message));
}

}  // namespace

ApiKeyAuthenticator::ApiKeyAuthenticator(DigestComparator compare) : compare_(compare) {}

Status ApiKeyAuthenticator::AddKey(std::string name, Role role, const crypto::SecretBytes& key) {
  if (key.size() < kMinApiKeyLength || key.size() > kMaxApiKeyLength) {
    return std::unexpected(ConfigError("API key '" + name + "' has " + std::to_string(key.size()) +
                                       " characters; use " + std::to_string(kMinApiKeyLength) +
                                       " to " + std::to_string(kMaxApiKeyLength) +
                                       ", such as 32 random bytes in base64url"));
  }
  if (!IsToken68(key.AsStringView())) {
    return std::unexpected(ConfigError("API key '" + name +
                                       "' has characters outside A-Z a-z 0-9 - . _ ~ + / and "
                                       "trailing '='; use base64url"));
  }
  return AddEntry(std::move(name), role, crypto::Sha256(key.view()));
}

Status ApiKeyAuthenticator::AddKeyDigest(std::string name, Role role, std::string_view sha256_hex) {
  Result<Bytes> digest = HexDecode(sha256_hex);
  if (!digest.has_value() || digest->size() != crypto::kSha256Size) {
    return std::unexpected(
        ConfigError("the digest of API key '" + name + "' is not 64 hex digits of SHA-256"));
  }
  return AddEntry(std::move(name), role, std::move(*digest));
}

Status ApiKeyAuthenticator::AddEntry(std::string name, Role role, Bytes digest) {
  if (name.empty()) {
    return std::unexpected(ConfigError("an API key has an empty name; give every key a name"));
  }
  for (const Entry& entry : keys_) {
    if (entry.name == name) {
      return std::unexpected(ConfigError("API key name '" + name + "' is used twice"));
    }
    if (entry.digest == digest) {
      return std::unexpected(
          ConfigError("API keys '" + entry.name + "' and '" + name + "' are the same key"));
    }
  }
  keys_.push_back(Entry{std::move(name), role, std::move(digest)});
  return {};
}

Result<Principal> ApiKeyAuthenticator::Authenticate(std::string_view authorization_header) const {
  constexpr std::string_view kScheme = "Bearer";

  if (authorization_header.empty()) {
    return std::unexpected(Unauthenticated("missing_api_key", "no Authorization header"));
  }

  // "Bearer" (case-insensitive, RFC 9110 section 11.1), one or more spaces,
  // then the token.
  if (authorization_header.size() <= kScheme.size() ||
      !EqualsIgnoringCase(authorization_header.substr(0, kScheme.size()), kScheme) ||
      authorization_header[kScheme.size()] != ' ') {
    return std::unexpected(
        Unauthenticated("malformed_authorization", "Authorization is not a Bearer credential"));
  }
  std::string_view token = authorization_header.substr(kScheme.size());
  token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
  if (token.empty() || token.size() > kMaxApiKeyLength || !IsToken68(token)) {
    return std::unexpected(
        Unauthenticated("malformed_authorization", "the Bearer token is not a valid b64token"));
  }

  // Compare with every key, without stopping at a match.
  const Bytes digest = crypto::Sha256(AsBytes(token));
  const Entry* match = nullptr;
  for (const Entry& entry : keys_) {
    const bool equal = compare_(digest, entry.digest);
    match = equal ? &entry : match;
  }

  if (match == nullptr) {
    return std::unexpected(Unauthenticated("invalid_api_key", "no configured API key matches"));
  }
  return Principal{match->name, match->role};
}

std::string ApiKeyDigestHex(const crypto::SecretBytes& key) {
  return HexEncode(crypto::Sha256(key.view()));
}

Status AuthorizeRequest(const ApiKeyAuthenticator& authenticator, Access access,
                        std::string_view authorization_header, RequestContext& context) {
  if (access == Access::kPublic) {
    return {};
  }
  if (access == Access::kLoopbackOrAdmin && authorization_header.empty() &&
      context.remote_is_loopback) {
    return {};
  }

  Result<Principal> principal = authenticator.Authenticate(authorization_header);
  if (!principal.has_value()) {
    return std::unexpected(principal.error());
  }
  context.role = principal->role;
  context.api_key_name = principal->key_name;

  if (!RoleSatisfies(principal->role, access)) {
    // Only admin-only routes can refuse an authenticated key.
    return MakeError(StatusCode::kPermissionDenied, "permission_denied",
                     "this operation requires an admin API key; this key has role " +
                         std::string(RoleName(principal->role)));
  }
  return {};
}

}  // namespace devtrust::server
