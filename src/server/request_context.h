// Per-request facts that the server and router gather for handlers, logs and
// metrics, and the trace id that ties them together.
#ifndef DEVTRUST_SERVER_REQUEST_CONTEXT_H_
#define DEVTRUST_SERVER_REQUEST_CONTEXT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/tls_context.h"
#include "server/role.h"

namespace devtrust::server {

// Name-value pairs in the order they appeared.
using Parameters = std::vector<std::pair<std::string, std::string>>;

struct RequestContext {
  // 32 lowercase hex digits: the trace-id of a valid W3C `traceparent` request
  // header, or 16 fresh random bytes. Error responses and logs carry it.
  std::string trace_id;

  // The role of the API key that authenticated the request. Empty on routes
  // that need no key, and for loopback callers of kLoopbackOrAdmin routes who
  // sent none.
  std::optional<Role> role;
  // The configured name of that API key, for audit records. Never the key.
  std::string api_key_name;

  // The peer's address without brackets ("127.0.0.1", "::1") and port.
  std::string remote_address;
  std::uint16_t remote_port = 0;
  bool remote_is_loopback = false;

  // The connection's TLS parameters. `tls.hybrid_group()` returns whether the
  // key exchange combined ML-KEM with a classical group.
  crypto::TlsSessionInfo tls;

  // The template of the matched route, such as "/v1/devices/{device_id}", for
  // metric labels. Empty when no route matched.
  std::string route_template;
  // Values of the template's {parameters}, as raw path segments: they are not
  // percent-decoded, so validators see exactly what the client sent.
  Parameters path_parameters;
  // The query string, percent-decoded.
  Parameters query_parameters;

  // When the server finished reading the request.
  std::chrono::steady_clock::time_point received_at;

  // The value of path parameter `name`, or "" when the route has none.
  std::string_view PathParameter(std::string_view name) const;
  // The first value of query parameter `name`, if present.
  std::optional<std::string_view> QueryParameter(std::string_view name) const;
};

// Returns 16 random bytes from the kernel's CSPRNG as 32 lowercase hex digits,
// never all zeros (W3C Trace Context section 3.2.2.3).
std::string GenerateTraceId();

// Extracts the trace-id from a W3C Trace Context `traceparent` header value
// (section 3.2): "00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>", in
// lowercase. Returns nothing for an invalid value, including the forbidden
// version ff and all-zero ids. A version above 00 may carry more fields after
// the flags, which are ignored as the specification requires.
std::optional<std::string> TraceIdFromTraceparent(std::string_view header);

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_REQUEST_CONTEXT_H_
