#include "client/server_url.h"

#include <gtest/gtest.h>

namespace devtrust::client {
namespace {

TEST(ServerUrl, ParsesIpv4WithPort) {
  Result<ServerUrl> url = ParseServerUrl("https://127.0.0.1:8443");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->Authority(), "127.0.0.1:8443");
  EXPECT_EQ(url->ToString(), "https://127.0.0.1:8443");
}

TEST(ServerUrl, ParsesBracketedIpv6) {
  Result<ServerUrl> url = ParseServerUrl("https://[::1]:9000/");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->Authority(), "[::1]:9000");
}

TEST(ServerUrl, DefaultsToPort443) {
  Result<ServerUrl> url = ParseServerUrl("HTTPS://trust.example.com");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->host, "trust.example.com");
  EXPECT_EQ(url->port, 443);
}

TEST(ServerUrl, RejectsInvalidForms) {
  for (std::string_view bad :
       {"http://127.0.0.1:8443", "127.0.0.1:8443", "https://", "https://127.0.0.1:0",
        "https://127.0.0.1:65536", "https://127.0.0.1:", "https://127.0.0.1:84a3",
        "https://127.0.0.1:8443/v1", "https://127.0.0.1:8443?x=1", "https://user@127.0.0.1:8443",
        "https://[::1:8443", "https://[not-ipv6]:8443", "https://999.0.0.1:8443",
        "https://host_name:8443", "https://[::1]x"}) {
    Result<ServerUrl> url = ParseServerUrl(bad);
    ASSERT_FALSE(url.has_value()) << bad;
    EXPECT_EQ(url.error().reason(), "server_url_invalid") << bad;
    EXPECT_NE(url.error().message().find("https://host:port"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace devtrust::client
