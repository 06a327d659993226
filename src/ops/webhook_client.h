// An HTTP client for outbound JSON webhooks (Slack incoming webhooks, and
// later user notifications and SIEM HTTP sinks), built on libcurl.
//
// Webhook URLs often embed their credential (a Slack webhook URL is the
// secret), so the client never logs the URL, and no error or retry notice it
// produces contains it.
#ifndef DEVTRUST_OPS_WEBHOOK_CLIENT_H_
#define DEVTRUST_OPS_WEBHOOK_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/error.h"

namespace devtrust::ops {

// A retry about to happen: the failed attempt, its reason and the wait.
struct WebhookRetryNotice {
  int attempt = 0;  // the attempt that failed, from 1
  int max_attempts = 0;
  std::string reason;  // "HTTP 503" or a libcurl error text; never the URL
  std::chrono::milliseconds delay{0};
  bool from_retry_after = false;  // the delay came from a Retry-After header
};

struct WebhookClientOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  // Limit for one attempt, connection included.
  std::chrono::milliseconds attempt_timeout{15'000};
  // Attempts in total, the first included; at least 1.
  int max_attempts = 4;
  // The backoff before retry n (from 1) is a random delay between half and
  // all of min(initial_backoff * 2^(n-1), max_backoff).
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8'000};
  // Upper bound for a wait requested by Retry-After on HTTP 429 and 503; a
  // longer request is shortened to this.
  std::chrono::milliseconds max_retry_after{60'000};
  // Response bodies are cut to this many bytes; the rest is not read.
  std::size_t max_response_bytes = std::size_t{16} * 1024;
  // PEM file with the CA certificates to trust; empty uses libcurl's default
  // store. Peer and host name verification are always on.
  std::string ca_file;
  // Waits between attempts; tests replace it to avoid real sleeps.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Returns a uniformly distributed value in [0, 1) for the backoff jitter;
  // empty uses a std::mt19937 seeded from std::random_device.
  std::function<double()> random_unit;
  // Called before each retry, for example to log it.
  std::function<void(const WebhookRetryNotice&)> on_retry;
};

struct WebhookResponse {
  long status = 0;   // the HTTP status of the last attempt
  std::string body;  // at most max_response_bytes
  bool body_truncated = false;
  int attempts = 0;
};

using HttpHeader = std::pair<std::string, std::string>;

// Checks that `url` is an absolute https URL, or http to a loopback host,
// the rule every request of WebhookClient enforces. Callers use it to reject
// a configured URL at start-up instead of at the first delivery. Fails with
// "webhook_url_invalid"; the message never contains the URL.
Status CheckWebhookUrl(std::string_view url);

// Safe to use from several threads at once when the callbacks in the options
// are.
class WebhookClient {
 public:
  explicit WebhookClient(WebhookClientOptions options = {});

  // POSTs `json_body` with Content-Type: application/json and the extra
  // headers, retrying network errors, HTTP 429 and HTTP 5xx with exponential
  // backoff and jitter up to max_attempts. A Retry-After header on 429 or 503
  // (delay-seconds or an HTTP-date, RFC 9110 section 10.2.3) replaces the
  // backoff, capped at max_retry_after. Other 4xx responses and TLS
  // verification failures are not retried. Redirects are not followed.
  // NOTE: an attempt that timed out may still have been delivered, so a retry
  // can post a message twice.
  //
  // `url` must be https, or http to a loopback host (127.0.0.0/8, ::1 or
  // localhost) for local receivers. libcurl's proxy variables (https_proxy,
  // no_proxy) apply, except that loopback hosts never go through a proxy.
  //
  // Returns the response of the first 2xx attempt. No error message
  // contains the URL. Errors:
  // - kInvalidArgument "webhook_url_invalid": the URL does not parse or is
  //   not allowed.
  // - kInvalidArgument "webhook_header_invalid": a header value contains CR,
  //   LF or NUL, or a name is empty or contains ':' or whitespace.
  // - kUnavailable "webhook_http_error": the last attempt returned a non-2xx
  //   status; the message gives the status and the start of the body.
  // - kUnavailable "webhook_transport_error": the last attempt failed in the
  //   network or TLS layer.
  Result<WebhookResponse> PostJson(std::string_view url, std::string_view json_body,
                                   std::span<const HttpHeader> headers = {}) const;

 private:
  WebhookClientOptions options_;
};

// Parses a Retry-After value: delay-seconds or an HTTP-date, relative to
// `now`. Returns nothing for a value that is neither; a date in the past is a
// zero delay. Exposed for tests.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace devtrust::ops

#endif  // DEVTRUST_OPS_WEBHOOK_CLIENT_H_
