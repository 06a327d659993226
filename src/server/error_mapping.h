// The one place where an Error becomes an HTTP status and an error body.
//
// Status codes (RFC 9110 section 15 unless noted):
//   kInvalidArgument     400, except reason "unsupported_media_type" 415,
//                        "body_too_large" 413 and "header_too_large" 431
//                        (RFC 6585 section 5)
//   kUnauthenticated     401, always with the fixed body below
//   kPermissionDenied    403
//   kNotFound            404, except reason "method_not_allowed" 405
//   kAlreadyExists       409
//   kFailedPrecondition  409: the request is well formed but conflicts with
//                        the object's state, such as verifying a revoked
//                        device. 422 would suggest that the body itself is
//                        wrong, and 400 already means that here.
//   kResourceExhausted   429, except "body_too_large" 413 and
//                        "header_too_large" 431
//   kDeadlineExceeded    504
//   kUnavailable         503
//   kDataLoss, kInternal 500
//
// Body: {"error":{"code":"<reason>","message":"<message>"},"trace_id":"..."}.
// Errors with a 4xx status keep their reason and message, so those must be
// safe to show a client: they name the field or value that failed and never
// contain secrets, paths or SQL. Every 5xx replaces both with a generic code
// ("internal", "unavailable" or "deadline_exceeded") and message, because
// internal errors may quote library text, file paths or queries. Log the
// original before mapping it.
#ifndef DEVTRUST_SERVER_ERROR_MAPPING_H_
#define DEVTRUST_SERVER_ERROR_MAPPING_H_

#include <string_view>

#include "base/error.h"
#include "server/http_types.h"

namespace devtrust::server {

// The body of every 401, whatever the cause, so that a client learns nothing
// about which part of its credentials failed.
inline constexpr std::string_view kUnauthenticatedBody =
    R"({"error":{"code":"unauthenticated","message":"missing or invalid API key"}})";

http::status HttpStatusFor(const Error& error);

// Builds the JSON error response for `error`. A 401 gets kUnauthenticatedBody
// and `WWW-Authenticate: Bearer realm="devtrust"` (RFC 6750 section 3). A 405
// still needs its Allow header from the caller.
Response MakeErrorResponse(const Error& error, std::string_view trace_id);

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_ERROR_MAPPING_H_
