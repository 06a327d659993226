// Bad HTTP against the real `devtrust serve`, written byte for byte over a
// TLS connection: oversized bodies (Content-Length and chunked) and headers,
// broken framing, wrong methods, bad paths, missing and invalid API keys.
// Each request must get its 4xx and stable code; a request whose framing
// cannot be trusted also closes the connection. Every test ends by checking
// that the server still serves.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bad_input_fixture.h"
#include "server/error_mapping.h"

namespace devtrust::hardening {
namespace {

using std::chrono::milliseconds;

// A raw request and the answer it must get.
struct RawCase {
  std::string name;
  std::string request;
  unsigned status = 400;
  std::string code;
  // Whether the server must close the connection after its answer.
  bool closes = false;
};

class HttpTransportTest : public BadInputTest {
 protected:
  std::string Bearer() const {
    return "Authorization: Bearer " + harness_->relying_party_key() + "\r\n";
  }
  std::string AdminBearer() const {
    return "Authorization: Bearer " + harness_->admin_key() + "\r\n";
  }

  // Writes each request on a new connection and checks the answer.
  void ExpectAnswers(const std::vector<RawCase>& cases) {
    for (const RawCase& raw : cases) {
      SCOPED_TRACE("case: " + raw.name);
      Result<std::unique_ptr<server::testing::TestClient>> client = harness_->NewRawClient();
      ASSERT_TRUE(client.has_value()) << client.error().ToString();
      ASSERT_TRUE((*client)->WriteRaw(raw.request).has_value());
      Result<server::Response> response = (*client)->ReadResponse();
      ASSERT_TRUE(response.has_value()) << response.error().ToString();
      EXPECT_EQ(response->result_int(), raw.status) << response->body();
      EXPECT_EQ(ErrorCodeOf(response->body()), raw.code) << response->body();
      if (raw.closes) {
        EXPECT_FALSE(response->keep_alive());
        EXPECT_TRUE((*client)->WaitForClose(milliseconds(10'000)));
      }
    }
  }
};

std::string Chunked(std::size_t chunks, std::size_t chunk_bytes) {
  std::string body;
  char size[32];
  std::snprintf(size, sizeof(size), "%zx\r\n", chunk_bytes);
  for (std::size_t i = 0; i < chunks; ++i) body += size + Repeated(chunk_bytes, ' ') + "\r\n";
  return body + "0\r\n\r\n";
}

TEST_F(HttpTransportTest, BrokenFramingIsRejectedAndClosed) {
  const std::string post = "POST /v1/challenges HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Bearer() +
                           "Content-Type: application/json\r\n";
  const std::string many_headers = [] {
    std::string headers;
    for (int i = 0; i < 200; ++i)
      headers += "X-Filler-" + std::to_string(i) + ": " + Repeated(40, 'f') + "\r\n";
    return headers;
  }();

  const std::vector<RawCase> cases = {
      // Bodies over the 64 KiB limit.
      {"Content-Length over the limit", post + "Content-Length: 65537\r\n\r\n", 413,
       "body_too_large", true},
      {"Content-Length far over the limit", post + "Content-Length: 1099511627776\r\n\r\n", 413,
       "body_too_large", true},
      {"chunked body over the limit",
       post + "Transfer-Encoding: chunked\r\n\r\n" + Chunked(9, 8192), 413, "body_too_large", true},
      {"one chunk over the limit", post + "Transfer-Encoding: chunked\r\n\r\n10001\r\n", 413,
       "body_too_large", true},
      // Framing that cannot be trusted (RFC 9112 sections 6 and 7).
      {"Content-Length beyond 64 bits", post + "Content-Length: 18446744073709551616\r\n\r\n", 400,
       "invalid_request", true},
      {"negative Content-Length", post + "Content-Length: -1\r\n\r\n", 400, "invalid_request",
       true},
      {"two different Content-Length", post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
       400, "invalid_request", true},
      {"chunk size not hex", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400,
       "invalid_request", true},
      {"chunk size beyond 64 bits",
       post + "Transfer-Encoding: chunked\r\n\r\n" + Repeated(20, 'f') + "\r\n", 400,
       "invalid_request", true},
      // Headers.
      // The limit covers the request line and every header field together.
      {"header of exactly 8 KiB",
       "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + Repeated(8141, 'p') + "\r\n\r\n",
       200, ""},
      {"header of 8 KiB and one byte",
       "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + Repeated(8142, 'p') + "\r\n\r\n",
       431, "header_too_large", true},
      {"header field over 8 KiB",
       "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + Repeated(8192, 'b') + "\r\n\r\n",
       431, "header_too_large", true},
      {"request line over 8 KiB",
       "GET /v1/devices/dev_" + Repeated(8200, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 431,
       "header_too_large", true},
      {"200 headers over 8 KiB",
       "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many_headers + "\r\n", 431,
       "header_too_large", true},
      {"header without a colon", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColon\r\n\r\n", 400,
       "invalid_request", true},
      {"space in a header name", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Name: x\r\n\r\n",
       400, "invalid_request", true},
      {"NUL in a header value",
       "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a" + std::string(1, '\0') + "b\r\n\r\n",
       400, "invalid_request", true},
      {"HTTP/1.1 without Host", "GET /healthz HTTP/1.1\r\n\r\n", 400, "invalid_request", true},
      {"Expect other than 100-continue", post + "Expect: 200-ok\r\nContent-Length: 2\r\n\r\n{}",
       400, "invalid_request", true},
      // Request lines.
      {"HTTP/2.0 request line", "GET /healthz HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 400,
       "invalid_request", true},
      {"HTTP/1.2 request line", "GET /healthz HTTP/1.2\r\nHost: 127.0.0.1\r\n\r\n", 400,
       "invalid_request", true},
      {"HTTP/0.9 request line", "GET /healthz\r\n\r\n", 400, "invalid_request", true},
      {"not HTTP", "HELLO devtrust\r\n\r\n", 400, "invalid_request", true},
      {"binary bytes", std::string("\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00\r\n\r\n", 14), 400,
       "invalid_request", true},
      {"bare LF line ends", "GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n", 400, "invalid_request",
       true},
      {"control character in the target",
       "GET /v1/users/al\x01ice/devices HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Bearer() + "\r\n", 400,
       "invalid_request", true},
      {"space in the target",
       "GET /v1/users/al ice/devices HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Bearer() + "\r\n", 400,
       "invalid_request", true},
  };
  ExpectAnswers(cases);
  ExpectServerStillServes();
}

TEST_F(HttpTransportTest, WrongMethodsAndPathsGetStableCodes) {
  const std::string host = " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  const auto get = [&](const std::string& target) {
    return "GET " + target + host + Bearer() + "\r\n";
  };
  const auto admin_get = [&](const std::string& target) {
    return "GET " + target + host + AdminBearer() + "\r\n";
  };
  const auto request = [&](const std::string& method, const std::string& target) {
    return method + " " + target + host + Bearer() + "Content-Length: 0\r\n\r\n";
  };

  const std::vector<RawCase> cases = {
      // Methods.
      {"PUT on /v1/devices", request("PUT", "/v1/devices"), 405, "method_not_allowed"},
      {"DELETE on a device", request("DELETE", "/v1/devices/dev_aaaaaaaaaaaaaaaaaaaaaaaaaa"), 405,
       "method_not_allowed"},
      {"PATCH on /v1/trust/validate", request("PATCH", "/v1/trust/validate"), 405,
       "method_not_allowed"},
      {"GET on /v1/challenges", request("GET", "/v1/challenges"), 405, "method_not_allowed"},
      {"POST on /healthz", request("POST", "/healthz"), 405, "method_not_allowed"},
      {"unregistered method", request("BREW", "/v1/devices"), 405, "method_not_allowed"},
      {"CONNECT", "CONNECT 127.0.0.1:443" + host + "\r\n", 400, "invalid_request"},
      {"OPTIONS asterisk", "OPTIONS *" + host + "\r\n", 400, "invalid_request"},
      {"absolute-form target", get("https://127.0.0.1/healthz"), 400, "invalid_request"},
      // Paths: no normalization, so traversal never reaches another route.
      {"traversal to /etc/passwd", get("/v1/devices/../../etc/passwd"), 404, "not_found"},
      {"traversal to /healthz", get("/v1/../healthz"), 404, "not_found"},
      {"traversal to the review queue", get("/healthz/../v1/review"), 404, "not_found"},
      {"encoded traversal in a device id", get("/v1/devices/..%2f..%2fetc%2fpasswd"), 404,
       "device_not_found"},
      {"double slash", get("//v1/devices"), 404, "not_found"},
      {"trailing slash", get("/v1/devices/"), 404, "not_found"},
      {"upper case path", get("/V1/DEVICES/dev_aaaaaaaaaaaaaaaaaaaaaaaaaa"), 404, "not_found"},
      {"unknown path", get("/v2/devices"), 404, "not_found"},
      {"device id 5000 characters", get("/v1/devices/dev_" + Repeated(5000, 'a')), 404,
       "device_not_found"},
      {"device id with encoded NUL", get("/v1/devices/dev_%00aaaaaaaaaaaaaaaaaaaaaaaaa"), 404,
       "device_not_found"},
      {"device id never issued", get("/v1/devices/dev_aaaaaaaaaaaaaaaaaaaaaaaaaa"), 404,
       "device_not_found"},
      {"user id 65 characters", get("/v1/users/" + Repeated(65, 'u') + "/devices"), 400,
       "invalid_user_id"},
      {"user id 4000 characters", get("/v1/users/" + Repeated(4000, 'u') + "/devices"), 400,
       "invalid_user_id"},
      {"user id with encoded control character", get("/v1/users/al%01ice/devices"), 400,
       "invalid_user_id"},
      {"user id with encoded traversal", get("/v1/users/..%2f..%2fetc/devices"), 400,
       "invalid_user_id"},
      {"review id traversal", request("POST", "/v1/review/rev_..%2f..%2f/resolve"), 403,
       "permission_denied"},
      {"admin: review id traversal",
       "POST /v1/review/rev_..%2f..%2f/resolve" + host + AdminBearer() +
           "Content-Length: 0\r\n\r\n",
       404, "review_item_not_found"},
      // Query strings.
      {"invalid percent-encoding", admin_get("/v1/review?status=%zz"), 400, "invalid_query"},
      {"encoded NUL in a query", admin_get("/v1/review?status=open%00"), 400, "invalid_query"},
      {"unknown review status", admin_get("/v1/review?status=all"), 400, "invalid_status"},
      {"review limit out of range", admin_get("/v1/review?limit=100000"), 400, "invalid_limit"},
      {"review limit not a number", admin_get("/v1/review?limit=1e3"), 400, "invalid_limit"},
      {"unknown CRL kind", get("/v1/ca/crl?kind=rsa"), 400, "invalid_kind"},
  };
  ExpectAnswers(cases);
  ExpectServerStillServes();
}

TEST_F(HttpTransportTest, MissingOrInvalidApiKeysAreUnauthenticated) {
  const std::string key = harness_->relying_party_key();
  std::string altered = key;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  const std::string start = "GET /v1/users/victor/devices HTTP/1.1\r\nHost: 127.0.0.1\r\n";

  const std::vector<std::pair<std::string, std::string>> unauthenticated = {
      {"no Authorization header", ""},
      {"empty Authorization", "Authorization: \r\n"},
      {"Bearer without a token", "Authorization: Bearer\r\n"},
      {"Bearer and a space", "Authorization: Bearer \r\n"},
      {"wrong token", "Authorization: Bearer wrong-token\r\n"},
      {"last character changed", "Authorization: Bearer " + altered + "\r\n"},
      {"one character more", "Authorization: Bearer " + key + "A\r\n"},
      {"one character less", "Authorization: Bearer " + key.substr(0, key.size() - 1) + "\r\n"},
      {"Basic scheme", "Authorization: Basic " + key + "\r\n"},
      {"no scheme", "Authorization: " + key + "\r\n"},
      {"token 600 characters", "Authorization: Bearer " + Repeated(600, 'k') + "\r\n"},
      {"token outside the bearer alphabet", "Authorization: Bearer " + key + "%\r\n"},
      {"token then more text", "Authorization: Bearer " + key + " extra\r\n"},
      {"wrong Authorization first",
       "Authorization: Bearer wrong-token\r\nAuthorization: Bearer " + key + "\r\n"},
      {"key in another header", "X-Api-Key: " + key + "\r\n"},
  };
  for (const auto& [name, header] : unauthenticated) {
    SCOPED_TRACE("case: " + name);
    Result<std::unique_ptr<server::testing::TestClient>> client = harness_->NewRawClient();
    ASSERT_TRUE(client.has_value()) << client.error().ToString();
    ASSERT_TRUE((*client)->WriteRaw(start + header + "\r\n").has_value());
    Result<server::Response> response = (*client)->ReadResponse();
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    EXPECT_EQ(response->result_int(), 401u) << response->body();
    // Every 401 has the same body, so it tells nothing about what failed.
    EXPECT_EQ(response->body(), server::kUnauthenticatedBody);
    EXPECT_EQ((*response)[server::http::field::www_authenticate], R"(Bearer realm="devtrust")");
  }

  // A relying party key cannot reach the admin routes.
  const client::HttpResponse review = Get("/v1/review");
  EXPECT_EQ(review.status, 403u) << review.body;
  EXPECT_EQ(ErrorCodeOf(review.body), "permission_denied") << review.body;

  ExpectServerStillServes();
}

}  // namespace
}  // namespace devtrust::hardening
