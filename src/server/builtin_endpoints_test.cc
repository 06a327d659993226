#include "server/builtin_endpoints.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "telemetry/log_output.h"

namespace devtrust::server {
namespace {

class BuiltinEndpointsTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "devtrust_builtin_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    Result<std::shared_ptr<telemetry::LogOutput>> output =
        telemetry::LogOutput::OpenFile((directory_ / "server.log").string());
    ASSERT_TRUE(output.has_value());
    endpoints_.logger = std::make_shared<telemetry::Logger>(*output, "test");
  }

  void TearDown() override { std::filesystem::remove_all(directory_); }

  Response Get(const Router& router, std::string_view path) {
    const Router::Match match = router.Find(http::verb::get, path);
    if (match.route == nullptr) {
      return Response(http::status::not_found, 11);
    }
    EXPECT_EQ(match.route->access,
              path == "/metrics" ? endpoints_.metrics_access : Access::kPublic);
    Request request(http::verb::get, path, 11);
    RequestContext context;
    context.trace_id = "0af7651916cd43dd8448eb211c80319c";
    return match.route->handler(request, context);
  }

  std::filesystem::path directory_;
  BuiltinEndpoints endpoints_;
};

TEST_F(BuiltinEndpointsTest, HealthAndReadinessWithoutCallbacks) {
  Router router;
  ASSERT_TRUE(AddBuiltinEndpoints(router, endpoints_));

  EXPECT_EQ(Get(router, "/healthz").body(), R"({"status":"ok"})");
  EXPECT_EQ(Get(router, "/readyz").body(), R"({"status":"ready"})");
  EXPECT_EQ(Get(router, "/metrics").result(), http::status::not_found);
}

TEST_F(BuiltinEndpointsTest, NotReadyWhileDrainingOrCheckFails) {
  bool draining = false;
  bool store_up = true;
  endpoints_.is_draining = [&draining] { return draining; };
  endpoints_.readiness_check = [&store_up]() -> Status {
    if (!store_up) {
      return MakeError(StatusCode::kInternal, "store_down", "the store is down");
    }
    return {};
  };
  Router router;
  ASSERT_TRUE(AddBuiltinEndpoints(router, endpoints_));
  EXPECT_EQ(Get(router, "/readyz").result(), http::status::ok);

  store_up = false;
  EXPECT_EQ(Get(router, "/readyz").result(), http::status::service_unavailable);

  store_up = true;
  draining = true;
  EXPECT_EQ(Get(router, "/readyz").result(), http::status::service_unavailable);
  EXPECT_EQ(Get(router, "/healthz").result(), http::status::ok);
}

TEST_F(BuiltinEndpointsTest, MetricsUseConfiguredAccess) {
  endpoints_.metrics_text = [] { return std::string("up 1\n"); };
  endpoints_.metrics_access = Access::kAdmin;
  Router router;
  ASSERT_TRUE(AddBuiltinEndpoints(router, endpoints_));

  const Response metrics = Get(router, "/metrics");
  EXPECT_EQ(metrics.result(), http::status::ok);
  EXPECT_EQ(metrics.body(), "up 1\n");
  EXPECT_EQ(metrics[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
}

TEST_F(BuiltinEndpointsTest, RejectsRouterWithSamePath) {
  Router router;
  ASSERT_TRUE(router.Add(http::verb::get, "/readyz", Access::kPublic,
                         [](const Request&, RequestContext&) { return Response(); }));
  const Status added = AddBuiltinEndpoints(router, endpoints_);
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().reason(), "duplicate_route");
}

}  // namespace
}  // namespace devtrust::server
