// The address of a devtrust server as the device side takes it on the command
// line: "https://host[:port]".
#ifndef DEVTRUST_CLIENT_SERVER_URL_H_
#define DEVTRUST_CLIENT_SERVER_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace devtrust::client {

inline constexpr std::uint16_t kDefaultHttpsPort = 443;

struct ServerUrl {
  // A host name or an IP address literal; IPv6 without its brackets.
  std::string host;
  std::uint16_t port = kDefaultHttpsPort;

  // The Host header value (RFC 9110 section 7.2): "127.0.0.1:8443",
  // "[::1]:8443".
  std::string Authority() const;
  // "https://" followed by the authority.
  std::string ToString() const;
};

// Parses "https://host[:port][/]". The scheme is case-insensitive; the host
// is a DNS name ([A-Za-z0-9.-], RFC 1123), an IPv4 literal or a bracketed
// IPv6 literal (RFC 3986 section 3.2.2); the port is 1 to 65535. User
// information, a path other than "/", a query and a fragment are rejected,
// because every API path is absolute from the server's root. Fails with
// reason "server_url_invalid" and a message that names the part.
Result<ServerUrl> ParseServerUrl(std::string_view url);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_SERVER_URL_H_
