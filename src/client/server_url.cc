#include "client/server_url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace devtrust::client {
namespace {

constexpr std::string_view kScheme = "https://";
// RFC 1123 section 2.1 limits a host name to 255 octets; DNS to 253 in text.
constexpr std::size_t kMaxHostLength = 253;

std::unexpected<Error> InvalidUrl(std::string_view url, std::string_view problem) {
  return MakeError(StatusCode::kInvalidArgument, "server_url_invalid",
                   "server URL \"" + std::string(url) + "\" is invalid: " + std::string(problem) +
                       "; use the form https://host:port, such as https://127.0.0.1:8443");
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

bool IsHostNameCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
}

bool IsIpv6Literal(const std::string& text) {
  in6_addr address{};
  return ::inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

bool LooksLikeIpv4(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.';
  });
}

bool IsIpv4Literal(const std::string& text) {
  in_addr address{};
  return ::inet_pton(AF_INET, text.c_str(), &address) == 1;
}

}  // namespace

std::string ServerUrl::Authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string authority = ipv6 ? "[" + host + "]" : host;
  return authority + ":" + std::to_string(port);
}

std::string ServerUrl::ToString() const { return std::string(kScheme) + Authority(); }

Result<ServerUrl> ParseServerUrl(std::string_view url) {
  if (!StartsWithIgnoringCase(url, kScheme)) {
    return InvalidUrl(url, "the scheme must be https");
  }
  std::string_view rest = url.substr(kScheme.size());

  if (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return InvalidUrl(url, "a path, query or fragment is not allowed");
  }
  if (rest.find('@') != std::string_view::npos) {
    return InvalidUrl(url, "user information is not allowed");
  }

  ServerUrl parsed;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return InvalidUrl(url, "the IPv6 address has no closing ']'");
    }
    parsed.host = std::string(rest.substr(1, close - 1));
    if (!IsIpv6Literal(parsed.host)) {
      return InvalidUrl(url, "the bracketed host is not an IPv6 address");
    }
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return InvalidUrl(url, "only a port may follow the IPv6 address");
    }
    port_text = after.empty() ? after : after.substr(1);
    if (!after.empty() && port_text.empty()) {
      return InvalidUrl(url, "the port after ':' is empty");
    }
  } else {
    const std::size_t colon = rest.find(':');
    parsed.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) {
        return InvalidUrl(url, "the port after ':' is empty");
      }
    }
    if (parsed.host.empty()) {
      return InvalidUrl(url, "the host is missing");
    }
    if (parsed.host.size() > kMaxHostLength ||
        !std::all_of(parsed.host.begin(), parsed.host.end(), IsHostNameCharacter)) {
      return InvalidUrl(url, "the host is not a valid host name or IPv4 address");
    }
    if (LooksLikeIpv4(parsed.host) && !IsIpv4Literal(parsed.host)) {
      return InvalidUrl(url, "the host is not a valid IPv4 address");
    }
  }

  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return InvalidUrl(url, "the port must be a number from 1 to 65535");
    }
    parsed.port = static_cast<std::uint16_t>(port);
  }
  return parsed;
}

}  // namespace devtrust::client
