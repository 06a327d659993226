// A blocking HTTPS/1.1 client for the devtrust API with one keep-alive
// connection, built on Boost.Beast and devtrust's client TLS settings
// (crypto/tls_context.h: TLS 1.3 only, X25519MLKEM768 offered first, the
// server's chain verified against a given CA file and its name checked).
//
// Keep-alive: the connection stays open between requests, so a replay of
// many logins pays for one handshake per client rather than one per request.
// The client reconnects when the server closed the connection (it answered
// with "Connection: close" or the socket was closed), and before a request
// when the connection has been idle for max_idle, which stays below the
// server's idle timeout (60 s by default) so that the server rarely closes a
// connection the client is about to use.
//
// Secrets: the request, including the Authorization header and a body that may
// carry a one-time code, is assembled in a crypto::SecretBytes buffer and
// written from there, so it is wiped after sending.
//
// Not thread-safe: use one client per thread.
#ifndef DEVTRUST_CLIENT_HTTPS_CLIENT_H_
#define DEVTRUST_CLIENT_HTTPS_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "client/server_url.h"
#include "crypto/secret_bytes.h"
#include "crypto/tls_context.h"

namespace devtrust::client {

struct HttpsClientOptions {
  ServerUrl server;
  // PEM file with the root certificates that may issue the server's TLS
  // certificate: for a devtrust server, its CA's ML-DSA-65 root (and the
  // ECDSA P-256 root for clients that cannot verify ML-DSA).
  std::string ca_file;
  // Key exchange groups and signature algorithms offered in the handshake.
  std::string groups = std::string(crypto::kClientTlsGroups);
  std::string signature_algorithms = "mldsa65:ecdsa_secp256r1_sha256";
  // Limit for the TCP connect and, separately, for the TLS handshake.
  std::chrono::milliseconds connect_timeout{10'000};
  // Limit for writing one request and reading its whole response.
  std::chrono::milliseconds request_timeout{30'000};
  // A connection idle for longer is closed and replaced before the next
  // request.
  std::chrono::milliseconds max_idle{45'000};
  // Responses with a larger body fail with "response_too_large".
  std::size_t max_response_bytes = std::size_t{1024} * 1024;
};

struct HttpResponse {
  unsigned status = 0;
  std::string content_type;
  // The X-Trace-Id header; empty when absent.
  std::string trace_id;
  std::string body;
};

class HttpsClient {
 public:
  // Configures the TLS context; the first request connects. Errors:
  // "ca_file_missing" (kInvalidArgument) for an empty ca_file, and the errors
  // of crypto::ConfigureTlsClientContext ("tls_credential_invalid" when the
  // CA file cannot be loaded).
  static Result<std::unique_ptr<HttpsClient>> Create(HttpsClientOptions options);

  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends `method` `target` with `body` (sent as application/json when not
  // empty, or for any POST) and `bearer_token` as "Authorization: Bearer"
  // when not null, and reads the response. Any HTTP status is a response,
  // not an error.
  //
  // A request on a reused connection that fails before the first response
  // byte arrives is sent once more on a new connection, because the server
  // may have closed the idle connection just as the request left. No other
  // failure is retried.
  //
  // Errors, each naming the server address and what to check:
  //   "http_request_invalid"     kInvalidArgument: a method, target or token
  //                              with characters HTTP does not allow;
  //   "server_unreachable"       kUnavailable: resolving or connecting failed;
  //   "tls_handshake_failed"     kUnavailable: includes a server certificate
  //                              that does not verify against ca_file;
  //   "server_connection_failed" kUnavailable: writing or reading failed;
  //   "server_timeout"           kDeadlineExceeded: a time limit ran out;
  //   "response_too_large"       kResourceExhausted.
  Result<HttpResponse> Send(std::string_view method, std::string_view target, ByteView body,
                            const crypto::SecretBytes* bearer_token = nullptr);

  // Facts about the current connection's TLS session; nullopt before the
  // first connection.
  const std::optional<crypto::TlsSessionInfo>& tls_session() const { return tls_session_; }

  // How many connections the client has opened so far.
  std::size_t connections_opened() const { return connections_opened_; }

  const HttpsClientOptions& options() const { return options_; }

  // Closes the connection, sending a TLS close_notify first.
  void Close();

 private:
  // The Asio and TLS state, kept out of this header so that callers need no
  // Boost.Asio or OpenSSL headers.
  struct Impl;

  explicit HttpsClient(HttpsClientOptions options);

  Status Connect();
  // One attempt: write the request and read the response.
  Result<HttpResponse> Exchange(const crypto::SecretBytes& request, bool* nothing_received);

  HttpsClientOptions options_;
  std::unique_ptr<Impl> impl_;
  std::optional<crypto::TlsSessionInfo> tls_session_;
  std::chrono::steady_clock::time_point last_used_{};
  std::size_t connections_opened_ = 0;
};

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_HTTPS_CLIENT_H_
