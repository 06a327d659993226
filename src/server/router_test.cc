#include "server/router.h"

#include <gtest/gtest.h>

#include <string>

#include "server/response.h"

namespace devtrust::server {
namespace {

// A handler that responds with its own name, so a test can tell which route ran.
Handler Named(std::string name) {
  return [name](const Request&, RequestContext&) {
    return MakeTextResponse(http::status::ok, name, "text/plain");
  };
}

std::string RunMatch(const Router::Match& match) {
  Request request;
  RequestContext context;
  return match.route->handler(request, context).body();
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  ASSERT_TRUE(router.Add(http::verb::post, "/v1/devices/{device_id}/verify", Access::kRelyingParty,
                         Named("verify")));

  const Router::Match match = router.Find(http::verb::post, "/v1/devices/dev_abc/verify");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->path_template, "/v1/devices/{device_id}/verify");
  EXPECT_EQ(match.route->access, Access::kRelyingParty);
  ASSERT_EQ(match.path_parameters.size(), 1u);
  EXPECT_EQ(match.path_parameters[0].first, "device_id");
  EXPECT_EQ(match.path_parameters[0].second, "dev_abc");
  EXPECT_EQ(RunMatch(match), "verify");
}

TEST(Router, UnknownPathHasNoAllowedMethods) {
  Router router;
  ASSERT_TRUE(
      router.Add(http::verb::get, "/v1/devices/{device_id}", Access::kRelyingParty, Named("get")));

  for (const char* path : {"/v1/devices", "/v1/devices/", "/v1/devices/a/b", "/v1//a",
                           "/v1/devices//", "", "v1/devices/a", "/v2/devices/a"}) {
    const Router::Match match = router.Find(http::verb::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_TRUE(match.allowed_methods.empty()) << path;
  }
}

TEST(Router, WrongMethodListsAllowedMethods) {
  Router router;
  ASSERT_TRUE(
      router.Add(http::verb::get, "/v1/devices/{device_id}", Access::kRelyingParty, Named("get")));
  ASSERT_TRUE(router.Add(http::verb::delete_, "/v1/devices/{id}", Access::kAdmin, Named("del")));

  const Router::Match match = router.Find(http::verb::put, "/v1/devices/dev_1");
  EXPECT_EQ(match.route, nullptr);
  ASSERT_EQ(match.allowed_methods.size(), 2u);
  EXPECT_EQ(FormatAllowHeader(match.allowed_methods), "DELETE, GET");
}

TEST(Router, LiteralBeatsParameter) {
  Router router;
  ASSERT_TRUE(router.Add(http::verb::get, "/v1/devices/{device_id}", Access::kRelyingParty,
                         Named("by_id")));
  ASSERT_TRUE(router.Add(http::verb::get, "/v1/devices/pending", Access::kAdmin, Named("pending")));

  const Router::Match pending = router.Find(http::verb::get, "/v1/devices/pending");
  ASSERT_NE(pending.route, nullptr);
  EXPECT_EQ(RunMatch(pending), "pending");
  EXPECT_TRUE(pending.path_parameters.empty());

  const Router::Match by_id = router.Find(http::verb::get, "/v1/devices/dev_9");
  ASSERT_NE(by_id.route, nullptr);
  EXPECT_EQ(RunMatch(by_id), "by_id");
}

TEST(Router, MethodDecidesBeforeSpecificity) {
  Router router;
  ASSERT_TRUE(router.Add(http::verb::get, "/v1/items/special", Access::kPublic, Named("get")));
  ASSERT_TRUE(router.Add(http::verb::delete_, "/v1/items/{id}", Access::kPublic, Named("del")));

  const Router::Match match = router.Find(http::verb::delete_, "/v1/items/special");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(RunMatch(match), "del");
}

TEST(Router, DoesNotPercentDecodePaths) {
  Router router;
  ASSERT_TRUE(router.Add(http::verb::get, "/v1/devices", Access::kPublic, Named("list")));
  ASSERT_TRUE(router.Add(http::verb::get, "/v1/x/{id}", Access::kPublic, Named("x")));

  EXPECT_EQ(router.Find(http::verb::get, "/v1/%64evices").route, nullptr);
  const Router::Match match = router.Find(http::verb::get, "/v1/x/a%2Fb");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.path_parameters[0].second, "a%2Fb");
}

TEST(Router, RejectsInvalidTemplates) {
  Router router;
  for (const char* bad : {"", "v1/x", "/v1//x", "/v1/x/", "/v1/{}", "/v1/{Device}", "/v1/{1a}",
                          "/v1/{a}/{a}", "/v1/x y", "/v1/x?y", "/v1/{a"}) {
    const Status added = router.Add(http::verb::get, bad, Access::kPublic, Named("bad"));
    ASSERT_FALSE(added.has_value()) << bad;
    EXPECT_EQ(added.error().reason(), "invalid_route") << bad;
  }

  const Status no_handler = router.Add(http::verb::get, "/ok", Access::kPublic, Handler());
  ASSERT_FALSE(no_handler.has_value());
  EXPECT_EQ(no_handler.error().reason(), "invalid_route");
}

TEST(Router, RejectsDuplicateShapes) {
  Router router;
  ASSERT_TRUE(router.Add(http::verb::get, "/v1/devices/{device_id}", Access::kPublic, Named("a")));

  const Status same_shape =
      router.Add(http::verb::get, "/v1/devices/{other}", Access::kPublic, Named("b"));
  ASSERT_FALSE(same_shape.has_value());
  EXPECT_EQ(same_shape.error().reason(), "duplicate_route");

  EXPECT_TRUE(router.Add(http::verb::post, "/v1/devices/{device_id}", Access::kPublic, Named("c")));
}

TEST(Router, RunsParameterValidators) {
  Router router;
  ASSERT_TRUE(router.AddParameterValidator("device_id", [](std::string_view value) -> Status {
    if (!value.starts_with("dev_")) {
      return MakeError(StatusCode::kInvalidArgument, "invalid_device_id",
                       "device_id must start with dev_");
    }
    return {};
  }));

  EXPECT_TRUE(router.ValidateParameters({{"device_id", "dev_ok"}}).has_value());
  EXPECT_TRUE(router.ValidateParameters({{"other", "anything"}}).has_value());

  const Status invalid = router.ValidateParameters({{"device_id", "bad"}});
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().reason(), "invalid_device_id");

  EXPECT_FALSE(
      router.AddParameterValidator("Bad-Name", [](std::string_view) -> Status { return {}; }));
  EXPECT_FALSE(router.AddParameterValidator("device_id", ParameterValidator()));
}

TEST(RequestTarget, SplitsPathAndDecodesQuery) {
  const Result<RequestTarget> target =
      ParseRequestTarget("/v1/review?status=open&q=a%20b+c&flag&&empty=");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->path, "/v1/review");
  ASSERT_EQ(target->query.size(), 4u);
  EXPECT_EQ(target->query[0], (std::pair<std::string, std::string>{"status", "open"}));
  EXPECT_EQ(target->query[1], (std::pair<std::string, std::string>{"q", "a b c"}));
  EXPECT_EQ(target->query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(target->query[3], (std::pair<std::string, std::string>{"empty", ""}));
}

TEST(RequestTarget, RejectsBadTargetsAndQueries) {
  const Result<RequestTarget> absolute = ParseRequestTarget("http://host/x");
  ASSERT_FALSE(absolute.has_value());
  EXPECT_EQ(absolute.error().reason(), "invalid_request");
  EXPECT_FALSE(ParseRequestTarget("").has_value());
  EXPECT_FALSE(ParseRequestTarget("*").has_value());

  for (const char* bad : {"/x?a=%", "/x?a=%4", "/x?a=%zz", "/x?a=%00", "/x?%G1=1"}) {
    const Result<RequestTarget> target = ParseRequestTarget(bad);
    ASSERT_FALSE(target.has_value()) << bad;
    EXPECT_EQ(target.error().reason(), "invalid_query") << bad;
  }

  std::string many = "/x?";
  for (std::size_t i = 0; i <= kMaxQueryParameters; ++i) {
    many += "p" + std::to_string(i) + "=1&";
  }
  const Result<RequestTarget> too_many = ParseRequestTarget(many);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_EQ(too_many.error().reason(), "invalid_query");
}

}  // namespace
}  // namespace devtrust::server
