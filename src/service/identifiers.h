// Identifiers the service assigns and the identifier rules of the API
// (docs/openapi.yaml, schemas UserId and DeviceId).
#ifndef DEVTRUST_SERVICE_IDENTIFIERS_H_
#define DEVTRUST_SERVICE_IDENTIFIERS_H_

#include <string>
#include <string_view>

#include "base/error.h"

namespace devtrust::service {

// "dev_" and 26 characters of lowercase RFC 4648 base32 (a-z, 2-7) encoding
// 128 random bits.
Result<std::string> NewDeviceId();

// `prefix`, "_" and 26 base32 characters of 128 random bits, such as
// "chl_..." for challenges, "ntf_..." for notifications, "rev_..." for review
// items.
Result<std::string> NewRandomId(std::string_view prefix);

// A device id as NewDeviceId makes them. Errors: "invalid_device_id".
Status ValidateDeviceId(std::string_view device_id);

// A user id: 1 to 64 characters from [A-Za-z0-9._-], the identifiers the CA
// can write into a certificate's user URI (pki/device_identity.h). Errors:
// "invalid_user_id".
Status ValidateUserId(std::string_view user_id);

// An id the service generated with NewRandomId(prefix): the prefix, "_" and
// 26 base32 characters. Errors: `reason`, with `what` naming the id.
Status ValidateRandomId(std::string_view id, std::string_view prefix, std::string_view what,
                        std::string_view reason);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_IDENTIFIERS_H_
