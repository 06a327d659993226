#include "server/error_mapping.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "server/response.h"

namespace devtrust::server {
namespace {

// The code and message a client receives with a 5xx.
struct GenericServerError {
  std::string_view code;
  std::string_view message;
};

GenericServerError GenericErrorFor(http::status status) {
  switch (status) {
    case http::status::service_unavailable:
      return {"unavailable", "the service is temporarily unavailable; retry later"};
    case http::status::gateway_timeout:
      return {"deadline_exceeded", "the service did not finish in time; retry later"};
    default:
      return {"internal", "internal error; retry later, and report the trace_id if it persists"};
  }
}

}  // namespace

http::status HttpStatusFor(const Error& error) {
  // Reasons whose HTTP status is more specific than their StatusCode's.
  const std::string& reason = error.reason();
  if (reason == "unsupported_media_type") {
    return http::status::unsupported_media_type;
  }
  if (reason == "body_too_large") {
    return http::status::payload_too_large;
  }
  if (reason == "header_too_large") {
    return http::status::request_header_fields_too_large;
  }
  if (reason == "method_not_allowed") {
    return http::status::method_not_allowed;
  }

  switch (error.code()) {
    case StatusCode::kInvalidArgument:
      return http::status::bad_request;
    case StatusCode::kUnauthenticated:
      return http::status::unauthorized;
    case StatusCode::kPermissionDenied:
      return http::status::forbidden;
    case StatusCode::kNotFound:
      return http::status::not_found;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return http::status::conflict;
    case StatusCode::kResourceExhausted:
      return http::status::too_many_requests;
    case StatusCode::kDeadlineExceeded:
      return http::status::gateway_timeout;
    case StatusCode::kUnavailable:
      return http::status::service_unavailable;
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

Response MakeErrorResponse(const Error& error, std::string_view trace_id) {
  const http::status status = HttpStatusFor(error);

  if (status == http::status::unauthorized) {
    Response response =
        MakeTextResponse(status, std::string(kUnauthenticatedBody), "application/json");
    response.set(http::field::www_authenticate, R"(Bearer realm="devtrust")");
    return response;
  }

  boost::json::object detail;
  if (static_cast<unsigned>(status) >= 500) {
    const GenericServerError generic = GenericErrorFor(status);
    detail["code"] = generic.code;
    detail["message"] = generic.message;
  } else {
    detail["code"] = error.reason();
    detail["message"] = error.message();
  }

  boost::json::object body;
  body["error"] = std::move(detail);
  body["trace_id"] = trace_id;
  return MakeJsonResponse(status, body);
}

}  // namespace devtrust::server
