// The identifier formats of the devtrust API (docs/openapi.yaml, schemas
// UserId and DeviceId), checked on the device side before a request is sent.
#ifndef DEVTRUST_CLIENT_IDENTIFIERS_H_
#define DEVTRUST_CLIENT_IDENTIFIERS_H_

#include <string_view>

#include "base/error.h"

namespace devtrust::client {

// A user id is 1 to 64 characters from [A-Za-z0-9._-], the rule of the CA
// (pki::ValidateUserId). Fails with reason "invalid_user_id".
Status ValidateUserId(std::string_view user_id);

// A device id is "dev_" and 26 characters from [a-z2-7] (base32 of 128 bits).
// Fails with reason "invalid_device_id".
Status ValidateDeviceId(std::string_view device_id);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_IDENTIFIERS_H_
