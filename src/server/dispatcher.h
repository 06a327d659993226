// The request pipeline between the connection and the handler: target
// parsing, routing, authentication, parameter validation, the handler call and
// the mapping of failures to error responses.
#ifndef DEVTRUST_SERVER_DISPATCHER_H_
#define DEVTRUST_SERVER_DISPATCHER_H_

#include <memory>

#include "server/auth.h"
#include "server/http_types.h"
#include "server/request_context.h"
#include "server/router.h"
#include "telemetry/logger.h"

namespace devtrust::server {

class RequestDispatcher {
 public:
  // `logger` receives handler exceptions and must not be null.
  RequestDispatcher(Router router, ApiKeyAuthenticator authenticator,
                    std::shared_ptr<telemetry::Logger> logger);

  // Produces the response to `request`, in this order:
  //   1. the target must be origin-form with a valid query  (400)
  //   2. a route must match the path                          (404)
  //      and the method                                       (405 + Allow)
  //   3. the route's Access must be satisfied                 (401, 403)
  //   4. every path parameter must pass its validators        (validator's)
  //   5. the handler runs, and an exception becomes a generic 500, logged with
  //      the trace id.
  // Fills `context.route_template`, path and query parameters, role and key
  // name as it goes. `context.trace_id`, the peer and TLS fields must be set
  // by the caller. Blocks as long as the handler does.
  Response Dispatch(const Request& request, RequestContext& context) const;

  const Router& router() const { return router_; }

 private:
  Router router_;
  ApiKeyAuthenticator authenticator_;
  std::shared_ptr<telemetry::Logger> logger_;
};

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_DISPATCHER_H_
