// The operational endpoints every devtrust server has:
//
//   GET /healthz  200 {"status":"ok"} while the process serves requests.
//   GET /readyz   200 {"status":"ready"} when the readiness check passes and
//                 the server is not shutting down; otherwise 503 with the
//                 generic "unavailable" error, so that load balancers stop
//                 sending traffic before the listener closes.
//   GET /metrics  the text of the metrics callback with Content-Type
//                 "text/plain; version=0.0.4; charset=utf-8" (the Prometheus
//                 text exposition format). Registered only when a callback
//                 is set.
//
// /healthz and /readyz need no API key. /metrics uses `metrics_access`, by
// default Access::kLoopbackOrAdmin: a Prometheus agent on the same host
// scrapes without a key, any other peer needs an admin key.
#ifndef DEVTRUST_SERVER_BUILTIN_ENDPOINTS_H_
#define DEVTRUST_SERVER_BUILTIN_ENDPOINTS_H_

#include <functional>
#include <memory>
#include <string>

#include "base/error.h"
#include "server/role.h"
#include "server/router.h"
#include "telemetry/logger.h"

namespace devtrust::server {

struct BuiltinEndpoints {
  // Returns an error when a dependency, such as the store, cannot serve.
  // Null means always ready. Runs on a worker thread and may block briefly.
  std::function<Status()> readiness_check;
  // Returns the metrics text. Null leaves /metrics unregistered.
  std::function<std::string()> metrics_text;
  Access metrics_access = Access::kLoopbackOrAdmin;
  // Returns true once graceful shutdown has begun. Null means never.
  std::function<bool()> is_draining;
  // Receives failed readiness checks. Must not be null.
  std::shared_ptr<telemetry::Logger> logger;
};

// Adds the endpoints to `router`. Errors: those of Router::Add, such as
// "duplicate_route" when the router already has one of these paths.
Status AddBuiltinEndpoints(Router& router, BuiltinEndpoints endpoints);

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_BUILTIN_ENDPOINTS_H_
