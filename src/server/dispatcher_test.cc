#include "server/dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "crypto/secret_bytes.h"
#include "server/error_mapping.h"
#include "server/response.h"
#include "telemetry/log_output.h"

namespace devtrust::server {
namespace {

constexpr std::string_view kRelyingPartyKey = "rp-key-0123456789abcdefghijklmnopqrstuv";
constexpr std::string_view kAdminKey = "admin-key-0123456789abcdefghijklmnopqrstu";
constexpr std::string_view kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

class DispatcherTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "devtrust_dispatcher_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    Result<std::shared_ptr<telemetry::LogOutput>> output =
        telemetry::LogOutput::OpenFile((directory_ / "server.log").string());
    ASSERT_TRUE(output.has_value());
    logger_ = std::make_shared<telemetry::Logger>(*output, "test");

    Router router;
    ASSERT_TRUE(router.Add(http::verb::get, "/v1/devices/{device_id}", Access::kRelyingParty,
                           [](const Request&, RequestContext& context) {
                             boost::json::object body;
                             body["device_id"] = context.PathParameter("device_id");
                             body["route"] = context.route_template;
                             body["role"] = RoleName(*context.role);
                             body["key"] = context.api_key_name;
                             body["status"] = context.QueryParameter("status").value_or("");
                             return MakeJsonResponse(http::status::ok, body);
                           }));
    ASSERT_TRUE(router.Add(http::verb::get, "/v1/review", Access::kAdmin,
                           [](const Request&, RequestContext&) {
                             return MakeJsonResponse(http::status::ok, boost::json::object());
                           }));
    ASSERT_TRUE(router.Add(http::verb::post, "/v1/boom", Access::kRelyingParty,
                           [](const Request&, RequestContext&) -> Response {
                             throw std::runtime_error("secret detail from /etc/devtrust");
                           }));
    ASSERT_TRUE(router.AddParameterValidator("device_id", [](std::string_view value) -> Status {
      if (!value.starts_with("dev_")) {
        return MakeError(StatusCode::kInvalidArgument, "invalid_device_id",
                         "device_id must look like dev_<26 base32 characters>");
      }
      return {};
    }));

    ApiKeyAuthenticator authenticator;
    ASSERT_TRUE(authenticator.AddKey("shop", Role::kRelyingParty,
                                     crypto::SecretBytes(AsBytes(kRelyingPartyKey))));
    ASSERT_TRUE(authenticator.AddKey("ops", Role::kAdmin, crypto::SecretBytes(AsBytes(kAdminKey))));
    dispatcher_ =
        std::make_unique<RequestDispatcher>(std::move(router), std::move(authenticator), logger_);
  }

  void TearDown() override { std::filesystem::remove_all(directory_); }

  Response Send(http::verb method, std::string_view target, std::string_view key = "") {
    Request request(method, target, 11);
    if (!key.empty()) {
      request.set(http::field::authorization, "Bearer " + std::string(key));
    }
    context_ = RequestContext();
    context_.trace_id = kTraceId;
    return dispatcher_->Dispatch(request, context_);
  }

  std::string LogText() const {
    std::ifstream file(directory_ / "server.log");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  static std::string ErrorCode(const Response& response) {
    return std::string(boost::json::parse(response.body()).at("error").at("code").as_string());
  }

  std::filesystem::path directory_;
  std::shared_ptr<telemetry::Logger> logger_;
  std::unique_ptr<RequestDispatcher> dispatcher_;
  RequestContext context_;
};

TEST_F(DispatcherTest, RunsHandlerWithContext) {
  const Response response =
      Send(http::verb::get, "/v1/devices/dev_7?status=open", kRelyingPartyKey);

  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  const boost::json::value body = boost::json::parse(response.body());
  EXPECT_EQ(body.at("device_id").as_string(), "dev_7");
  EXPECT_EQ(body.at("route").as_string(), "/v1/devices/{device_id}");
  EXPECT_EQ(body.at("role").as_string(), "relying_party");
  EXPECT_EQ(body.at("key").as_string(), "shop");
  EXPECT_EQ(body.at("status").as_string(), "open");
  EXPECT_EQ(context_.route_template, "/v1/devices/{device_id}");
}

TEST_F(DispatcherTest, UnknownPathIs404) {
  const Response response = Send(http::verb::get, "/v1/nothing", kAdminKey);
  EXPECT_EQ(response.result(), http::status::not_found);
  EXPECT_EQ(ErrorCode(response), "not_found");
  EXPECT_EQ(boost::json::parse(response.body()).at("trace_id").as_string(), kTraceId);
  EXPECT_TRUE(context_.route_template.empty());
}

TEST_F(DispatcherTest, WrongMethodIs405WithAllow) {
  const Response response = Send(http::verb::delete_, "/v1/review", kAdminKey);
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "GET");
  EXPECT_EQ(ErrorCode(response), "method_not_allowed");
}

TEST_F(DispatcherTest, MissingOrWrongKeyIs401WithFixedBody) {
  for (std::string_view key :
       {std::string_view(), std::string_view("wrong-key-0123456789abcdefghijklmnopqrs")}) {
    const Response response = Send(http::verb::get, "/v1/devices/dev_1", key);
    EXPECT_EQ(response.result(), http::status::unauthorized);
    EXPECT_EQ(response.body(), kUnauthenticatedBody);
    EXPECT_EQ(response[http::field::www_authenticate], R"(Bearer realm="devtrust")");
  }
}

TEST_F(DispatcherTest, RoleChecks) {
  const Response relying_party = Send(http::verb::get, "/v1/review", kRelyingPartyKey);
  EXPECT_EQ(relying_party.result(), http::status::forbidden);
  EXPECT_EQ(ErrorCode(relying_party), "permission_denied");

  EXPECT_EQ(Send(http::verb::get, "/v1/review", kAdminKey).result(), http::status::ok);
  EXPECT_EQ(Send(http::verb::get, "/v1/devices/dev_1", kAdminKey).result(), http::status::ok);
}

TEST_F(DispatcherTest, AuthenticatesBeforeValidatingParameters) {
  // An anonymous client learns nothing about parameter formats.
  EXPECT_EQ(Send(http::verb::get, "/v1/devices/bad").result(), http::status::unauthorized);

  const Response invalid = Send(http::verb::get, "/v1/devices/bad", kRelyingPartyKey);
  EXPECT_EQ(invalid.result(), http::status::bad_request);
  EXPECT_EQ(ErrorCode(invalid), "invalid_device_id");
}

TEST_F(DispatcherTest, InvalidQueryIs400) {
  const Response response = Send(http::verb::get, "/v1/devices/dev_1?x=%zz", kRelyingPartyKey);
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(ErrorCode(response), "invalid_query");
}

TEST_F(DispatcherTest, HandlerExceptionIsGeneric500AndLogged) {
  const Response response = Send(http::verb::post, "/v1/boom", kRelyingPartyKey);

  EXPECT_EQ(response.result(), http::status::internal_server_error);
  EXPECT_EQ(ErrorCode(response), "internal");
  EXPECT_EQ(response.body().find("secret detail"), std::string::npos);
  EXPECT_EQ(response.body().find("/etc/devtrust"), std::string::npos);

  const std::string log = LogText();
  EXPECT_NE(log.find("secret detail from /etc/devtrust"), std::string::npos) << log;
  EXPECT_NE(log.find(kTraceId), std::string::npos) << log;
}

}  // namespace
}  // namespace devtrust::server
