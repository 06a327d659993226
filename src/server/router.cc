#include "server/router.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace devtrust::server {
namespace {

Error InvalidRoute(std::string message) {
  return Error(StatusCode::kInvalidArgument, "invalid_route", std::move(message));
}

// RFC 3986 section 2.3 unreserved characters.
bool IsLiteralCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsParameterName(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Splits "/a/b/c" into {"a", "b", "c"}. The path must start with '/'. Empty
// segments ("//", a trailing '/') are kept so that they can never match.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  while (true) {
    const std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return segments;
}

Result<std::vector<Route::Segment>> ParseTemplate(std::string_view path_template) {
  if (path_template.empty() || path_template.front() != '/') {
    return std::unexpected(
        InvalidRoute("route template '" + std::string(path_template) + "' must start with '/'"));
  }

  std::vector<Route::Segment> segments;
  for (std::string_view text : SplitPath(path_template)) {
    if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
      const std::string_view name = text.substr(1, text.size() - 2);
      if (!IsParameterName(name)) {
        return std::unexpected(InvalidRoute("route template '" + std::string(path_template) +
                                            "' has an invalid parameter name '" +
                                            std::string(name) + "'; use [a-z_][a-z0-9_]*"));
      }
      const bool repeated = std::any_of(segments.begin(), segments.end(), [&](const auto& s) {
        return s.is_parameter && s.text == name;
      });
      if (repeated) {
        return std::unexpected(InvalidRoute("route template '" + std::string(path_template) +
                                            "' repeats parameter '" + std::string(name) + "'"));
      }
      segments.push_back({std::string(name), true});
      continue;
    }

    if (text.empty() || !std::all_of(text.begin(), text.end(), IsLiteralCharacter)) {
      return std::unexpected(InvalidRoute(
          "route template '" + std::string(path_template) +
          "' has an empty segment or one with characters outside A-Z a-z 0-9 - . _ ~"));
    }
    segments.push_back({std::string(text), false});
  }
  return segments;
}

// Whether two templates match the same paths.
bool SameShape(const std::vector<Route::Segment>& a, const std::vector<Route::Segment>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_parameter != b[i].is_parameter || (!a[i].is_parameter && a[i].text != b[i].text)) {
      return false;
    }
  }
  return true;
}

bool Matches(const Route& route, const std::vector<std::string_view>& segments) {
  if (route.segments.size() != segments.size()) {
    return false;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Route::Segment& segment = route.segments[i];
    if (segment.is_parameter ? segments[i].empty() : segment.text != segments[i]) {
      return false;
    }
  }
  return true;
}

// Whether `a` is more specific than `b`: a literal where `b` has a parameter
// at the first position where they differ. Both match the same path, so they
// have the same number of segments.
bool MoreSpecific(const Route& a, const Route& b) {
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].is_parameter != b.segments[i].is_parameter) {
      return !a.segments[i].is_parameter;
    }
  }
  return false;
}

std::optional<char> HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return static_cast<char>(c - '0');
  }
  if (c >= 'a' && c <= 'f') {
    return static_cast<char>(c - 'a' + 10);
  }
  if (c >= 'A' && c <= 'F') {
    return static_cast<char>(c - 'A' + 10);
  }
  return std::nullopt;
}

Result<std::string> DecodeQueryComponent(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded.push_back(' ');
      continue;
    }
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }

    const std::optional<char> high = i + 1 < text.size() ? HexValue(text[i + 1]) : std::nullopt;
    const std::optional<char> low = i + 2 < text.size() ? HexValue(text[i + 2]) : std::nullopt;
    if (!high.has_value() || !low.has_value() || (*high == 0 && *low == 0)) {
      return MakeError(StatusCode::kInvalidArgument, "invalid_query",
                       "the query string has an invalid percent-encoding (RFC 3986 section "
                       "2.1) or an encoded NUL");
    }
    decoded.push_back(static_cast<char>(*high * 16 + *low));
    i += 2;
  }
  return decoded;
}

}  // namespace

Status Router::Add(http::verb method, std::string_view path_template, Access access,
                   Handler handler) {
  if (method == http::verb::unknown) {
    return std::unexpected(
        InvalidRoute("route '" + std::string(path_template) + "' has no HTTP method"));
  }
  if (!handler) {
    return std::unexpected(
        InvalidRoute("route '" + std::string(path_template) + "' has no handler"));
  }
  Result<std::vector<Route::Segment>> segments = ParseTemplate(path_template);
  if (!segments.has_value()) {
    return std::unexpected(segments.error());
  }

  for (const auto& existing : routes_) {
    if (existing->method == method && SameShape(existing->segments, *segments)) {
      return MakeError(StatusCode::kInvalidArgument, "duplicate_route",
                       std::string(http::to_string(method)) + " " + std::string(path_template) +
                           " matches the same paths as " + existing->path_template);
    }
  }

  auto route = std::make_unique<Route>();
  route->method = method;
  route->path_template = std::string(path_template);
  route->access = access;
  route->handler = std::move(handler);
  route->segments = std::move(*segments);
  routes_.push_back(std::move(route));
  return {};
}

Status Router::AddParameterValidator(std::string_view name, ParameterValidator validator) {
  if (!IsParameterName(name)) {
    return std::unexpected(InvalidRoute("parameter name '" + std::string(name) +
                                        "' is invalid; use [a-z_][a-z0-9_]*"));
  }
  if (!validator) {
    return std::unexpected(
        InvalidRoute("the validator for parameter '" + std::string(name) + "' is empty"));
  }
  validators_[std::string(name)].push_back(std::move(validator));
  return {};
}

Router::Match Router::Find(http::verb method, std::string_view path) const {
  Match match;
  if (path.empty() || path.front() != '/') {
    return match;
  }
  const std::vector<std::string_view> segments = SplitPath(path);

  for (const auto& route : routes_) {
    if (!Matches(*route, segments)) {
      continue;
    }
    if (route->method != method) {
      match.allowed_methods.push_back(route->method);
      continue;
    }
    if (match.route == nullptr || MoreSpecific(*route, *match.route)) {
      match.route = route.get();
    }
  }

  if (match.route == nullptr) {
    std::sort(match.allowed_methods.begin(), match.allowed_methods.end());
    match.allowed_methods.erase(
        std::unique(match.allowed_methods.begin(), match.allowed_methods.end()),
        match.allowed_methods.end());
    return match;
  }

  match.allowed_methods.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Route::Segment& segment = match.route->segments[i];
    if (segment.is_parameter) {
      match.path_parameters.emplace_back(segment.text, std::string(segments[i]));
    }
  }
  return match;
}

Status Router::ValidateParameters(const Parameters& parameters) const {
  for (const auto& [name, value] : parameters) {
    const auto found = validators_.find(name);
    if (found == validators_.end()) {
      continue;
    }
    for (const ParameterValidator& validator : found->second) {
      if (Status valid = validator(value); !valid.has_value()) {
        return valid;
      }
    }
  }
  return {};
}

std::string FormatAllowHeader(const std::vector<http::verb>& methods) {
  std::string allow;
  for (http::verb method : methods) {
    if (!allow.empty()) {
      allow += ", ";
    }
    allow += std::string(http::to_string(method));
  }
  return allow;
}

Result<RequestTarget> ParseRequestTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return MakeError(StatusCode::kInvalidArgument, "invalid_request",
                     "the request target must be a path starting with '/'");
  }

  RequestTarget parsed;
  const std::size_t question = target.find('?');
  parsed.path = target.substr(0, question);
  if (question == std::string_view::npos) {
    return parsed;
  }

  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const std::size_t ampersand = query.find('&');
    const std::string_view pair = query.substr(0, ampersand);
    query = ampersand == std::string_view::npos ? std::string_view() : query.substr(ampersand + 1);
    if (pair.empty()) {
      continue;
    }
    if (parsed.query.size() == kMaxQueryParameters) {
      return MakeError(
          StatusCode::kInvalidArgument, "invalid_query",
          "the query string has more than " + std::to_string(kMaxQueryParameters) + " parameters");
    }

    const std::size_t equals = pair.find('=');
    Result<std::string> name = DecodeQueryComponent(pair.substr(0, equals));
    Result<std::string> value = DecodeQueryComponent(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name.has_value()) {
      return std::unexpected(name.error());
    }
    if (!value.has_value()) {
      return std::unexpected(value.error());
    }
    parsed.query.emplace_back(std::move(*name), std::move(*value));
  }
  return parsed;
}

}  // namespace devtrust::server
