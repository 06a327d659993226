#include "api/routes.h"

#include <array>

#include "api/handlers.h"
#include "service/identifiers.h"

namespace devtrust::api {
namespace {

using server::Access;
namespace http = server::http;

struct RouteSpec {
  http::verb method;
  std::string_view path;
  Access access;
  server::Handler (*make)(const ApiServices&);
};

constexpr std::array<RouteSpec, 11> kRoutes = {{
    {http::verb::post, "/v1/challenges", Access::kRelyingParty, &CreateChallengeHandler},
    {http::verb::post, "/v1/devices", Access::kRelyingParty, &RegisterDeviceHandler},
    {http::verb::get, "/v1/devices/{device_id}", Access::kRelyingParty, &GetDeviceHandler},
    {http::verb::post, "/v1/devices/{device_id}/verify", Access::kRelyingParty,
     &VerifyDeviceHandler},
    {http::verb::post, "/v1/devices/{device_id}/revoke", Access::kRelyingParty,
     &RevokeDeviceHandler},
    {http::verb::get, "/v1/users/{user_id}/devices", Access::kRelyingParty,
     &ListUserDevicesHandler},
    {http::verb::post, "/v1/trust/validate", Access::kRelyingParty, &ValidateDeviceHandler},
    {http::verb::get, "/v1/review", Access::kAdmin, &ListReviewItemsHandler},
    {http::verb::post, "/v1/review/{review_id}/resolve", Access::kAdmin, &ResolveReviewItemHandler},
    {http::verb::get, "/v1/ca/certificates", Access::kPublic, &CaCertificatesHandler},
    {http::verb::get, "/v1/ca/crl", Access::kPublic, &CrlHandler},
}};

constexpr std::array<std::string_view, 3> kBuiltinRoutes = {"/healthz", "/readyz", "/metrics"};

// Validators see the raw segment and must not repeat it in the message.
Status ValidateDeviceIdParameter(std::string_view value) {
  if (service::ValidateDeviceId(value)) return {};
  return MakeError(StatusCode::kNotFound, "device_not_found", "no device has this id");
}

Status ValidateUserIdParameter(std::string_view value) {
  if (service::ValidateUserId(value)) return {};
  return MakeError(StatusCode::kInvalidArgument, "invalid_user_id",
                   "user ids have 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
}

Status ValidateReviewIdParameter(std::string_view value) {
  if (service::ValidateRandomId(value, "rev", "review id", "invalid_review_id")) return {};
  return MakeError(StatusCode::kNotFound, "review_item_not_found", "no review item has this id");
}

}  // namespace

Status AddApiRoutes(server::Router& router, const ApiServices& services) {
  for (const RouteSpec& route : kRoutes) {
    if (Status added = router.Add(route.method, route.path, route.access, route.make(services));
        !added) {
      return added;
    }
  }
  if (Status added = router.AddParameterValidator("device_id", &ValidateDeviceIdParameter);
      !added) {
    return added;
  }
  if (Status added = router.AddParameterValidator("user_id", &ValidateUserIdParameter); !added) {
    return added;
  }
  return router.AddParameterValidator("review_id", &ValidateReviewIdParameter);
}

std::vector<std::string> ApiRouteTemplates() {
  std::vector<std::string> templates;
  for (const RouteSpec& route : kRoutes) {
    bool listed = false;
    for (const std::string& existing : templates) listed = listed || existing == route.path;
    if (!listed) templates.emplace_back(route.path);
  }
  for (const std::string_view path : kBuiltinRoutes) templates.emplace_back(path);
  return templates;
}

}  // namespace devtrust::api
