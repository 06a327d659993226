// The JSON representations of the API's resources (docs/openapi.yaml,
// components.schemas), and reads of the request fields several handlers
// share.
#ifndef DEVTRUST_API_RESOURCE_JSON_H_
#define DEVTRUST_API_RESOURCE_JSON_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "base/error.h"
#include "server/json_body.h"
#include "store/records.h"
#include "trust/fingerprint.h"

namespace devtrust::api {

// RFC 3339 UTC with milliseconds, such as 2026-03-14T09:00:00.000Z.
std::string Rfc3339(store::TimePoint time);

// The Device schema.
boost::json::object DeviceJson(const store::DeviceRecord& device);

// The ReviewItem schema. `details` is embedded as the object the service
// stored.
boost::json::object ReviewItemJson(const store::ReviewItem& item);

// The ChallengeRef schema.
boost::json::object ChallengeRefJson(std::string_view challenge_id, store::ChallengeReason reason,
                                     store::TimePoint expires_at);

// Reads the required member "fingerprint" (schema Fingerprint). Errors:
// "missing_field", and "fingerprint_invalid" naming the attribute.
Result<trust::Fingerprint> ReadFingerprint(server::JsonObjectReader& fields);

}  // namespace devtrust::api

#endif  // DEVTRUST_API_RESOURCE_JSON_H_
