// Device and user identifiers as the devtrust CA writes them into
// certificates: the subject commonName and the subjectAltName URIs
// "urn:devtrust:device:<device id>" and "urn:devtrust:user:<user id>".
#ifndef DEVTRUST_PKI_DEVICE_IDENTITY_H_
#define DEVTRUST_PKI_DEVICE_IDENTITY_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/x509.h"

namespace devtrust::pki {

// Identifiers are 1 to 64 characters from [A-Za-z0-9._-]. The alphabet has
// no ':' or other URI delimiter, so an identifier cannot add a segment to a
// URN or pose as another kind. The length limit is the RFC 5280 upper bound
// for a commonName, which contains the device id.
inline constexpr std::size_t kMaxIdentifierLength = 64;

inline constexpr std::string_view kDeviceUriPrefix = "urn:devtrust:device:";
inline constexpr std::string_view kUserUriPrefix = "urn:devtrust:user:";

struct DeviceIdentity {
  std::string device_id;
  std::string user_id;

  friend bool operator==(const DeviceIdentity&, const DeviceIdentity&) = default;
};

// Fails with reason "invalid_device_id" or "invalid_user_id" and a message
// that names the rule the identifier breaks.
Status ValidateDeviceId(std::string_view device_id);
Status ValidateUserId(std::string_view user_id);
Status ValidateDeviceIdentity(const DeviceIdentity& identity);

std::string DeviceUri(std::string_view device_id);
std::string UserUri(std::string_view user_id);

// Reads the identity from a device certificate: exactly one device URI and
// one user URI with valid identifiers, and a subject commonName equal to the
// device id. Fails with reason "certificate_profile_invalid" otherwise.
Result<DeviceIdentity> DeviceIdentityFromCertificate(const crypto::Certificate& certificate);

}  // namespace devtrust::pki

#endif  // DEVTRUST_PKI_DEVICE_IDENTITY_H_
