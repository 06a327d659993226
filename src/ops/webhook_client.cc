#include "ops/webhook_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "base/build_info.h"

namespace devtrust::ops {
namespace {

constexpr std::size_t kMaxErrorBodyChars = 200;

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlSlistDeleter>;

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;

// curl_global_init must run before any other libcurl call and is not
// thread-safe, so std::call_once runs it once per process.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::unexpected<Error> InvalidUrl(std::string_view problem) {
  return MakeError(StatusCode::kInvalidArgument, "webhook_url_invalid",
                   fmt::format("the webhook URL (not shown) {}", problem));
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]") {
    return true;
  }
  in_addr address{};
  std::string host_text(host);
  if (inet_pton(AF_INET, host_text.c_str(), &address) == 1) {
    return (ntohl(address.s_addr) >> 24) == 127;
  }
  return false;
}

// Accepts https anywhere and plain http only to this machine, because a
// webhook URL and its payload must not cross a network in clear text.
// Returns whether the host is a loopback address.
Result<bool> ValidateUrl(std::string_view url) {
  CurlUrlPtr parsed(curl_url());
  if (parsed == nullptr) {
    return MakeError(StatusCode::kInternal, "webhook_url_invalid", "curl_url() failed");
  }
  std::string url_text(url);
  if (curl_url_set(parsed.get(), CURLUPART_URL, url_text.c_str(), 0) != CURLUE_OK) {
    return InvalidUrl("does not parse as an absolute URL; check the configured webhook URL");
  }
  char* scheme = nullptr;
  char* host = nullptr;
  if (curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
      curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    curl_free(scheme);
    return InvalidUrl("has no scheme or host");
  }
  std::string scheme_text(scheme);
  std::string host_text(host);
  curl_free(scheme);
  curl_free(host);

  bool loopback = IsLoopbackHost(host_text);
  if (scheme_text == "https" || (scheme_text == "http" && loopback)) {
    return loopback;
  }
  if (scheme_text == "http") {
    return InvalidUrl("uses plain http to a remote host; use https");
  }
  return InvalidUrl(fmt::format("uses the scheme \"{}\"; use https", scheme_text));
}

}  // namespace

Status CheckWebhookUrl(std::string_view url) {
  InitCurlOnce();
  Result<bool> loopback = ValidateUrl(url);
  if (!loopback) return std::unexpected(std::move(loopback).error());
  return {};
}

namespace {

Status ValidateHeaders(std::span<const HttpHeader> headers) {
  for (const auto& [name, value] : headers) {
    bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isgraph(static_cast<unsigned char>(c)) != 0 && c != ':';
    });
    bool value_ok = value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
    if (!name_ok || !value_ok) {
      return MakeError(StatusCode::kInvalidArgument, "webhook_header_invalid",
                       fmt::format("the header \"{}\" has an invalid name or value; header "
                                   "names are tokens without ':' and values have no CR, LF or NUL",
                                   name_ok ? name : std::string("(invalid name)")));
    }
  }
  return {};
}

// curl_slist_append returns the head of the list, which is the same node
// after the first append, or nullptr when it runs out of memory.
void AppendHeader(CurlSlistPtr& list, const std::string& line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  if (head == nullptr) {
    std::abort();
  }
  if (list == nullptr) {
    list.reset(head);
  }
}

struct ResponseSink {
  std::string body;
  std::size_t limit = 0;
  bool truncated = false;
};

// Keeps the first `limit` bytes. Returning less than the chunk size makes
// libcurl stop the transfer with CURLE_WRITE_ERROR, so an oversized response
// is not read to its end.
size_t WriteResponse(char* data, size_t size, size_t count, void* user_data) {
  auto* sink = static_cast<ResponseSink*>(user_data);
  std::size_t bytes = size * count;
  std::size_t room = sink->limit - sink->body.size();
  if (bytes > room) {
    sink->body.append(data, room);
    sink->truncated = true;
    return 0;
  }
  sink->body.append(data, bytes);
  return bytes;
}

// Network failures that may pass on their own. TLS verification failures,
// malformed URLs and unsupported protocols are not among them.
bool IsRetriableCurlCode(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

bool IsRetriableStatus(long status) { return status == 429 || (status >= 500 && status <= 599); }

// The start of a response body, printable ASCII only, for error messages.
std::string BodySnippet(std::string_view body) {
  std::string snippet;
  for (char c : body.substr(0, kMaxErrorBodyChars)) {
    snippet += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  if (body.size() > kMaxErrorBodyChars) {
    snippet += "...";
  }
  return snippet;
}

struct AttemptResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  bool body_truncated = false;
  std::optional<std::string> retry_after;
};

std::string AttemptsText(int attempts) {
  return attempts == 1 ? std::string("1 attempt") : fmt::format("{} attempts", attempts);
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) {
    return std::nullopt;
  }

  // delay-seconds = 1*DIGIT. Values above 10^9 seconds are cut to that,
  // since the caller caps the wait anyway.
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc::result_out_of_range || seconds > 1'000'000'000) {
      seconds = 1'000'000'000;
    }
    return std::chrono::milliseconds(seconds * 1000);
  }

  // HTTP-date. curl_getdate accepts all three forms that HTTP/1.1 recipients
  // must accept (RFC 1123, RFC 850 and asctime; RFC 2068 section 3.3.1).
  std::string text(value);
  time_t date = curl_getdate(text.c_str(), nullptr);
  if (date == -1) {
    return std::nullopt;
  }
  auto wait = std::chrono::system_clock::from_time_t(date) - now;
  if (wait.count() <= 0) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::ceil<std::chrono::milliseconds>(wait);
}

WebhookClient::WebhookClient(WebhookClientOptions options) : options_(std::move(options)) {
  InitCurlOnce();
  if (!options_.sleep) {
    options_.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  }
  if (!options_.random_unit) {
    // The engine is shared by the copies of this function, and PostJson may
    // run on several threads at once, so a mutex guards it.
    struct Jitter {
      std::mutex mutex;
      std::mt19937 engine{std::random_device{}()};
    };
    auto jitter = std::make_shared<Jitter>();
    options_.random_unit = [jitter] {
      std::lock_guard lock(jitter->mutex);
      return std::uniform_real_distribution<double>(0.0, 1.0)(jitter->engine);
    };
  }
  options_.max_attempts = std::max(options_.max_attempts, 1);
}

namespace {

AttemptResult PostOnce(const WebhookClientOptions& options, const std::string& url, bool loopback,
                       const std::string& body, curl_slist* headers) {
  AttemptResult result;
  CurlEasyPtr handle(curl_easy_init());
  if (handle == nullptr) {
    result.code = CURLE_FAILED_INIT;
    return result;
  }
  ResponseSink sink;
  sink.limit = options.max_response_bytes;
  std::string user_agent = fmt::format("devtrust/{}", BuildVersion());

  CURL* curl = handle.get();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  // No signals: libcurl would otherwise use SIGALRM for resolver timeouts,
  // which is unsafe in a multi-threaded process.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  if (loopback) {
    // A proxy from http_proxy or https_proxy cannot reach this machine's
    // loopback interface.
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  }
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.attempt_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!options.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteResponse);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);

  result.code = curl_easy_perform(curl);
  if (result.code == CURLE_WRITE_ERROR && sink.truncated) {
    result.code = CURLE_OK;  // the status line and headers arrived in full
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  result.body = std::move(sink.body);
  result.body_truncated = sink.truncated;

  curl_header* retry_after = nullptr;
  if (curl_easy_header(curl, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK &&
      retry_after != nullptr) {
    result.retry_after = std::string(retry_after->value);
  }
  return result;
}

}  // namespace

Result<WebhookResponse> WebhookClient::PostJson(std::string_view url, std::string_view json_body,
                                                std::span<const HttpHeader> headers) const {
  Result<bool> loopback = ValidateUrl(url);
  if (!loopback) {
    return std::unexpected(loopback.error());
  }
  if (Status valid = ValidateHeaders(headers); !valid) {
    return std::unexpected(valid.error());
  }

  // Headers are the same for every attempt. An empty "Expect:" stops libcurl
  // from waiting for "100 Continue" before sending larger bodies.
  CurlSlistPtr header_list;
  AppendHeader(header_list, "Content-Type: application/json");
  AppendHeader(header_list, "Expect:");
  for (const auto& [name, value] : headers) {
    AppendHeader(header_list, fmt::format("{}: {}", name, value));
  }

  const std::string url_text(url);
  const std::string body(json_body);
  for (int attempt = 1;; ++attempt) {
    AttemptResult result = PostOnce(options_, url_text, *loopback, body, header_list.get());

    // Success and final failures.
    bool transport_failed = result.code != CURLE_OK;
    if (!transport_failed && result.status >= 200 && result.status <= 299) {
      return WebhookResponse{result.status, std::move(result.body), result.body_truncated, attempt};
    }
    bool retriable =
        transport_failed ? IsRetriableCurlCode(result.code) : IsRetriableStatus(result.status);
    std::string reason = transport_failed ? std::string(curl_easy_strerror(result.code))
                                          : fmt::format("HTTP {}", result.status);
    if (!retriable || attempt >= options_.max_attempts) {
      std::string detail;
      if (!transport_failed && !result.body.empty()) {
        detail = fmt::format(" (response: \"{}\")", BodySnippet(result.body));
      }
      std::string not_retried = retriable ? "" : ", which is not retried";
      return MakeError(StatusCode::kUnavailable,
                       transport_failed ? "webhook_transport_error" : "webhook_http_error",
                       fmt::format("webhook POST failed after {}: {}{}{}", AttemptsText(attempt),
                                   reason, not_retried, detail));
    }

    // Wait: the server's Retry-After on 429 and 503, otherwise exponential
    // backoff with jitter so that many clients do not retry in step.
    WebhookRetryNotice notice{attempt, options_.max_attempts, reason, {}, false};
    std::optional<std::chrono::milliseconds> requested;
    if (!transport_failed && (result.status == 429 || result.status == 503) &&
        result.retry_after.has_value()) {
      requested = ParseRetryAfter(*result.retry_after, std::chrono::system_clock::now());
    }
    if (requested.has_value()) {
      notice.delay = std::min(*requested, options_.max_retry_after);
      notice.from_retry_after = true;
    } else {
      int doublings = std::min(attempt - 1, 30);
      auto ceiling =
          std::min(options_.initial_backoff * (std::int64_t{1} << doublings), options_.max_backoff);
      double fraction = 0.5 + 0.5 * options_.random_unit();
      notice.delay = std::chrono::milliseconds(
          static_cast<std::int64_t>(static_cast<double>(ceiling.count()) * fraction));
    }
    if (options_.on_retry) {
      options_.on_retry(notice);
    }
    options_.sleep(notice.delay);
  }
}

}  // namespace devtrust::ops
