// The handlers of the devtrust API (docs/openapi.yaml). Each maps a JSON
// request onto one application service call and its result or error onto
// the response; routes.h adds them to a router.
//
// Every handler decodes its body with the server's strict JSON reader
// (server/json_body.h): size-limited, duplicate members and unknown fields
// rejected, each field type- and length-checked.
#ifndef DEVTRUST_API_HANDLERS_H_
#define DEVTRUST_API_HANDLERS_H_

#include "api/api_services.h"
#include "server/router.h"

namespace devtrust::api {

// POST /v1/challenges -> 201 Challenge.
server::Handler CreateChallengeHandler(const ApiServices& services);

// POST /v1/devices -> 201 Registration.
server::Handler RegisterDeviceHandler(const ApiServices& services);

// POST /v1/devices/{device_id}/verify -> 200 Device.
server::Handler VerifyDeviceHandler(const ApiServices& services);

// POST /v1/trust/validate -> 200 ValidationResult, also for denied devices.
server::Handler ValidateDeviceHandler(const ApiServices& services);

// GET /v1/devices/{device_id} -> 200 Device.
server::Handler GetDeviceHandler(const ApiServices& services);

// GET /v1/users/{user_id}/devices -> 200 {"devices": [Device]}.
server::Handler ListUserDevicesHandler(const ApiServices& services);

// POST /v1/devices/{device_id}/revoke -> 200 Device.
server::Handler RevokeDeviceHandler(const ApiServices& services);

// GET /v1/review?status=&limit=&after= -> 200 {"items": [ReviewItem]}.
server::Handler ListReviewItemsHandler(const ApiServices& services);

// POST /v1/review/{review_id}/resolve -> 200 ReviewItem.
server::Handler ResolveReviewItemHandler(const ApiServices& services);

// GET /v1/ca/certificates -> 200 {"ml_dsa_65": PEM, "ecdsa_p256": PEM}.
server::Handler CaCertificatesHandler(const ApiServices& services);

// GET /v1/ca/crl?kind= -> 200 application/pkix-crl.
server::Handler CrlHandler(const ApiServices& services);

}  // namespace devtrust::api

#endif  // DEVTRUST_API_HANDLERS_H_
