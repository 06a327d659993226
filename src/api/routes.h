// The routes of the devtrust API and the access each requires:
//
//   POST /v1/challenges                      relying party
//   POST /v1/devices                         relying party
//   GET  /v1/devices/{device_id}             relying party
//   POST /v1/devices/{device_id}/verify      relying party
//   POST /v1/devices/{device_id}/revoke      relying party
//   GET  /v1/users/{user_id}/devices         relying party
//   POST /v1/trust/validate                  relying party
//   GET  /v1/review                          admin
//   POST /v1/review/{review_id}/resolve      admin
//   GET  /v1/ca/certificates                 anyone
//   GET  /v1/ca/crl                          anyone
//
// A malformed device or review id in the path gets 404, as a missing one
// does, so that a caller cannot tell the two apart. A malformed user id gets
// 400 invalid_user_id.
#ifndef DEVTRUST_API_ROUTES_H_
#define DEVTRUST_API_ROUTES_H_

#include <string>
#include <vector>

#include "api/api_services.h"
#include "base/error.h"
#include "server/router.h"

namespace devtrust::api {

// Adds every route above and the path parameter validators. Errors: those of
// Router::Add.
Status AddApiRoutes(server::Router& router, const ApiServices& services);

// The route templates above and the server's built-in ones (/healthz,
// /readyz, /metrics), for the metrics' route allowlist.
std::vector<std::string> ApiRouteTemplates();

}  // namespace devtrust::api

#endif  // DEVTRUST_API_ROUTES_H_
