#include "server/error_mapping.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace devtrust::server {
namespace {

constexpr std::string_view kTraceId = "0af7651916cd43dd8448eb211c80319c";

TEST(HttpStatusFor, MapsEveryStatusCode) {
  struct Case {
    StatusCode code;
    http::status status;
  };
  const Case cases[] = {
      {StatusCode::kInvalidArgument, http::status::bad_request},
      {StatusCode::kUnauthenticated, http::status::unauthorized},
      {StatusCode::kPermissionDenied, http::status::forbidden},
      {StatusCode::kNotFound, http::status::not_found},
      {StatusCode::kAlreadyExists, http::status::conflict},
      {StatusCode::kFailedPrecondition, http::status::conflict},
      {StatusCode::kResourceExhausted, http::status::too_many_requests},
      {StatusCode::kDeadlineExceeded, http::status::gateway_timeout},
      {StatusCode::kUnavailable, http::status::service_unavailable},
      {StatusCode::kDataLoss, http::status::internal_server_error},
      {StatusCode::kInternal, http::status::internal_server_error},
  };
  for (const Case& test_case : cases) {
    EXPECT_EQ(HttpStatusFor(Error(test_case.code, "some_reason", "m")), test_case.status)
        << StatusCodeName(test_case.code);
  }
}

TEST(HttpStatusFor, UsesReasonSpecificStatuses) {
  EXPECT_EQ(HttpStatusFor(Error(StatusCode::kResourceExhausted, "body_too_large", "m")),
            http::status::payload_too_large);
  EXPECT_EQ(HttpStatusFor(Error(StatusCode::kResourceExhausted, "header_too_large", "m")),
            http::status::request_header_fields_too_large);
  EXPECT_EQ(HttpStatusFor(Error(StatusCode::kInvalidArgument, "unsupported_media_type", "m")),
            http::status::unsupported_media_type);
  EXPECT_EQ(HttpStatusFor(Error(StatusCode::kNotFound, "method_not_allowed", "m")),
            http::status::method_not_allowed);
}

TEST(MakeErrorResponse, KeepsClientErrorCodeAndMessage) {
  const Response response = MakeErrorResponse(
      Error(StatusCode::kInvalidArgument, "missing_field", "field 'user_id' is required"),
      kTraceId);

  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  const boost::json::value body = boost::json::parse(response.body());
  EXPECT_EQ(body.at("error").at("code").as_string(), "missing_field");
  EXPECT_EQ(body.at("error").at("message").as_string(), "field 'user_id' is required");
  EXPECT_EQ(body.at("trace_id").as_string(), kTraceId);
}

TEST(MakeErrorResponse, HidesServerErrorDetails) {
  const Response internal =
      MakeErrorResponse(Error(StatusCode::kInternal, "sqlite_io_error",
                              "disk I/O error in /var/lib/devtrust/store.db: INSERT INTO devices"),
                        kTraceId);

  EXPECT_EQ(internal.result(), http::status::internal_server_error);
  EXPECT_EQ(internal.body().find("sqlite"), std::string::npos);
  EXPECT_EQ(internal.body().find("/var/lib"), std::string::npos);
  EXPECT_EQ(internal.body().find("INSERT"), std::string::npos);
  const boost::json::value body = boost::json::parse(internal.body());
  EXPECT_EQ(body.at("error").at("code").as_string(), "internal");
  EXPECT_EQ(body.at("trace_id").as_string(), kTraceId);

  const Response data_loss =
      MakeErrorResponse(Error(StatusCode::kDataLoss, "checksum", "row 7 corrupt"), kTraceId);
  EXPECT_EQ(boost::json::parse(data_loss.body()).at("error").at("code").as_string(), "internal");

  const Response unavailable =
      MakeErrorResponse(Error(StatusCode::kUnavailable, "db_down", "host db1"), kTraceId);
  EXPECT_EQ(unavailable.result(), http::status::service_unavailable);
  EXPECT_EQ(boost::json::parse(unavailable.body()).at("error").at("code").as_string(),
            "unavailable");
  EXPECT_EQ(unavailable.body().find("db1"), std::string::npos);

  const Response timeout =
      MakeErrorResponse(Error(StatusCode::kDeadlineExceeded, "slow", "query took 9 s"), kTraceId);
  EXPECT_EQ(timeout.result(), http::status::gateway_timeout);
  EXPECT_EQ(boost::json::parse(timeout.body()).at("error").at("code").as_string(),
            "deadline_exceeded");
}

TEST(MakeErrorResponse, UnauthenticatedHasFixedBody) {
  const Response response = MakeErrorResponse(
      Error(StatusCode::kUnauthenticated, "invalid_api_key", "key 'ops' revoked"), kTraceId);

  EXPECT_EQ(response.result(), http::status::unauthorized);
  EXPECT_EQ(response.body(),
            R"({"error":{"code":"unauthenticated","message":"missing or invalid API key"}})");
  EXPECT_EQ(response[http::field::www_authenticate], R"(Bearer realm="devtrust")");
}

}  // namespace
}  // namespace devtrust::server
