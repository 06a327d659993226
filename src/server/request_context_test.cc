#include "server/request_context.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace devtrust::server {
namespace {

TEST(GenerateTraceId, ReturnsDistinctLowercaseHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string trace_id = GenerateTraceId();
    ASSERT_EQ(trace_id.size(), 32u);
    EXPECT_EQ(trace_id.find_first_not_of("0123456789abcdef"), std::string::npos) << trace_id;
    EXPECT_NE(trace_id, std::string(32, '0'));
    seen.insert(trace_id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(TraceIdFromTraceparent, TakesTraceIdFromValidHeader) {
  // The example of W3C Trace Context section 3.2.4.
  EXPECT_EQ(TraceIdFromTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            "0af7651916cd43dd8448eb211c80319c");
  // A later version may append fields.
  EXPECT_EQ(TraceIdFromTraceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"),
            "0af7651916cd43dd8448eb211c80319c");
}

TEST(TraceIdFromTraceparent, RejectsInvalidHeaders) {
  for (const char* bad : {
           "",
           "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
           "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
           "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
           "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
           "00-00000000000000000000000000000000-b7ad6b7169203331-01",
           "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
           "00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
           "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",
           "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x",
           "0-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
       }) {
    EXPECT_FALSE(TraceIdFromTraceparent(bad).has_value()) << bad;
  }
}

TEST(RequestContext, LooksUpParameters) {
  RequestContext context;
  context.path_parameters = {{"device_id", "dev_1"}};
  context.query_parameters = {{"status", "open"}, {"status", "closed"}, {"empty", ""}};

  EXPECT_EQ(context.PathParameter("device_id"), "dev_1");
  EXPECT_EQ(context.PathParameter("user_id"), "");
  EXPECT_EQ(context.QueryParameter("status"), "open");
  EXPECT_EQ(context.QueryParameter("empty"), "");
  EXPECT_FALSE(context.QueryParameter("absent").has_value());
}

}  // namespace
}  // namespace devtrust::server
