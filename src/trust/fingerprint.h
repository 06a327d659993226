// A device fingerprint: the attribute name to string value map a device
// reports at registration and at every login.
//
// Every constructor validates, because fingerprints arrive from devices:
//   - at least 1 and at most kMaxFingerprintAttributes attributes;
//   - names match [a-z][a-z0-9_]{0,31} and appear once;
//   - values are strings of at most kMaxAttributeValueBytes bytes of valid
//     UTF-8 without control characters. JSON numbers and booleans are
//     accepted and stored as their text ("1536", "1.25", "true"), because
//     browsers report screen_width or cookies_enabled as such;
//   - null, objects, arrays and numbers outside the range of a double are
//     rejected.
// Failures have reason "fingerprint_invalid" and a message that names the
// attribute. Unknown names are kept (see attributes.h).
#ifndef DEVTRUST_TRUST_FINGERPRINT_H_
#define DEVTRUST_TRUST_FINGERPRINT_H_

#include <boost/json/fwd.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/error.h"
#include "trust/user_agent.h"

namespace devtrust::trust {

inline constexpr std::size_t kMaxFingerprintAttributes = 32;
inline constexpr std::size_t kMaxAttributeNameBytes = 32;
inline constexpr std::size_t kMaxAttributeValueBytes = 512;
// The largest fingerprint JSON text FromJsonText accepts. A maximal valid
// fingerprint with every character written as a \u escape stays below it.
inline constexpr std::size_t kMaxFingerprintJsonBytes = 128 * 1024;

class Fingerprint {
 public:
  using AttributeMap = std::map<std::string, std::string, std::less<>>;

  // Reads a fingerprint from a decoded JSON object. Boost.JSON keeps only the
  // last of repeated keys, so a value decoded with boost::json::parse can no
  // longer show a duplicate. Decode untrusted text with ParseStrictJson, or
  // use FromJsonText.
  static Result<Fingerprint> FromJson(const boost::json::value& json);

  // Parses JSON text with ParseStrictJson, which rejects repeated names, then
  // reads it as FromJson does. Accepts the output of CanonicalJson.
  static Result<Fingerprint> FromJsonText(std::string_view text);

  // Builds a fingerprint from name and value pairs with the same checks.
  static Result<Fingerprint> FromAttributes(
      std::span<const std::pair<std::string_view, std::string_view>> attributes);

  const AttributeMap& attributes() const { return attributes_; }

  // The value of `name`, or nullopt when the device did not report it.
  std::optional<std::string_view> Find(std::string_view name) const;

  // The attributes derived from user_agent; all unknown when it is absent.
  const UserAgentInfo& user_agent_info() const { return user_agent_info_; }

  // The OS family the platform attribute names; kUnknown when it is absent.
  OsFamily platform_family() const { return platform_family_; }

  // The attributes as compact JSON with keys in byte order and no
  // insignificant whitespace, such as {"language":"en-US","platform":"Win32"}.
  // Strings are escaped as RFC 8785 section 3.2.2.2 prescribes, so equal
  // fingerprints give equal bytes. Callers store this text and compute the
  // keyed digest that logs carry over it.
  std::string CanonicalJson() const;

  bool operator==(const Fingerprint& other) const { return attributes_ == other.attributes_; }

 private:
  explicit Fingerprint(AttributeMap attributes);

  AttributeMap attributes_;
  UserAgentInfo user_agent_info_;
  OsFamily platform_family_ = OsFamily::kUnknown;
};

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_FINGERPRINT_H_
