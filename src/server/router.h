// Routing of requests to handlers by method and path template.
//
// A path template is a sequence of segments, each a literal such as "devices"
// or a parameter such as "{device_id}" that matches one whole segment:
//
//   router.Add(http::verb::post, "/v1/devices/{device_id}/verify",
//              Access::kRelyingParty, HandleVerify);
//   router.AddParameterValidator("device_id", ValidateDeviceId);
//
// Matching compares raw path segments without percent-decoding them. So
// "/v1/%64evices" does not match "/v1/devices", and a parameter's validator
// receives exactly what the client sent. Among the routes for the request's
// method, a literal segment beats a parameter at the first position where
// two templates differ, so "/v1/devices/pending" wins over
// "/v1/devices/{device_id}". A path that matches only routes of other methods
// gets 405 with their methods in Allow (RFC 9110 section 15.5.6); any other
// path gets 404.
//
// Add routes before the server starts, because the router is read-only while
// serving.
#ifndef DEVTRUST_SERVER_ROUTER_H_
#define DEVTRUST_SERVER_ROUTER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "server/http_types.h"
#include "server/request_context.h"
#include "server/role.h"

namespace devtrust::server {

// Handles one request. Runs on a worker thread and may block, for example on
// the database. `context` carries the trace id, caller role, peer and TLS
// facts and path parameters, and the handler may add to it. The dispatcher
// turns an exception into a 500 response, but handlers should return errors
// as responses (MakeErrorResponse) rather than throw.
using Handler = std::function<Response(const Request& request, RequestContext& context)>;

// Checks a path parameter's raw value before the handler runs. A failure
// becomes the response through MakeErrorResponse. Use kInvalidArgument for a
// malformed value (400), or kNotFound when a malformed id should look like a
// missing one (404). Messages must not repeat the value.
using ParameterValidator = std::function<Status(std::string_view value)>;

struct Route {
  // One segment of a path template.
  struct Segment {
    std::string text;  // the literal, or the parameter name without braces
    bool is_parameter = false;
  };

  http::verb method = http::verb::unknown;
  std::string path_template;
  Access access = Access::kAdmin;
  Handler handler;
  std::vector<Segment> segments;
};

class Router {
 public:
  // The result of looking up a method and path.
  struct Match {
    // The route to run, or null when none matched.
    const Route* route = nullptr;
    Parameters path_parameters;
    // When `route` is null: the methods of routes whose template matches the
    // path, for a 405. Empty means 404.
    std::vector<http::verb> allowed_methods;
  };

  // Adds a route. Literal segments may contain A-Z a-z 0-9 - . _ ~; parameter
  // names are [a-z_][a-z0-9_]* and unique within the template. Errors:
  // "invalid_route" (bad template, method or empty handler) and
  // "duplicate_route" (a route with the same method and the same literals and
  // parameter positions exists).
  Status Add(http::verb method, std::string_view path_template, Access access, Handler handler);

  // Runs `validator` on every path parameter called `name`, in every route.
  // Several validators for one name run in the order added. Errors:
  // "invalid_route" for an invalid name or empty validator.
  Status AddParameterValidator(std::string_view name, ParameterValidator validator);

  // Finds the route for `method` and `path` (the request target without its
  // query).
  Match Find(http::verb method, std::string_view path) const;

  // Runs the validators on `parameters` and returns the first failure.
  Status ValidateParameters(const Parameters& parameters) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  std::unordered_map<std::string, std::vector<ParameterValidator>> validators_;
};

// The value of an Allow header for `methods`: "GET, POST".
std::string FormatAllowHeader(const std::vector<http::verb>& methods);

// Splits an origin-form request target (RFC 9112 section 3.2.1) into its path
// and query, and percent-decodes the query's names and values, with '+' read
// as a space (application/x-www-form-urlencoded). Errors: "invalid_request"
// for a target that does not start with '/', "invalid_query" for bad
// percent-encoding, an encoded NUL or more than kMaxQueryParameters pairs.
inline constexpr std::size_t kMaxQueryParameters = 32;
struct RequestTarget {
  std::string_view path;
  Parameters query;
};
Result<RequestTarget> ParseRequestTarget(std::string_view target);

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_ROUTER_H_
