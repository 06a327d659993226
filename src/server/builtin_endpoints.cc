#include "server/builtin_endpoints.h"

#include <boost/json/object.hpp>
#include <utility>

#include "server/error_mapping.h"
#include "server/response.h"

namespace devtrust::server {
namespace {

// Prometheus text exposition format 0.0.4.
constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

Response StatusResponse(std::string_view status) {
  boost::json::object body;
  body["status"] = status;
  return MakeJsonResponse(http::status::ok, body);
}

}  // namespace

Status AddBuiltinEndpoints(Router& router, BuiltinEndpoints endpoints) {
  Status added = router.Add(http::verb::get, "/healthz", Access::kPublic,
                            [](const Request&, RequestContext&) { return StatusResponse("ok"); });
  if (!added.has_value()) {
    return added;
  }

  added = router.Add(
      http::verb::get, "/readyz", Access::kPublic,
      [readiness_check = endpoints.readiness_check, is_draining = endpoints.is_draining,
       logger = endpoints.logger](const Request&, RequestContext& context) {
        if (is_draining && is_draining()) {
          return MakeErrorResponse(
              Error(StatusCode::kUnavailable, "shutting_down", "the server is shutting down"),
              context.trace_id);
        }
        if (readiness_check) {
          if (Status ready = readiness_check(); !ready.has_value()) {
            logger->Warn({{"trace_id", context.trace_id}, {"reason", ready.error().reason()}},
                         "readiness check failed: {}", ready.error().message());
            // Always 503, whatever the check's code, so probes read it as not ready.
            return MakeErrorResponse(
                Error(StatusCode::kUnavailable, "not_ready", "a dependency is not ready"),
                context.trace_id);
          }
        }
        return StatusResponse("ready");
      });
  if (!added.has_value()) {
    return added;
  }

  if (!endpoints.metrics_text) {
    return {};
  }
  return router.Add(
      http::verb::get, "/metrics", endpoints.metrics_access,
      [metrics_text = std::move(endpoints.metrics_text)](const Request&, RequestContext&) {
        return MakeTextResponse(http::status::ok, metrics_text(), kMetricsContentType);
      });
}

}  // namespace devtrust::server
