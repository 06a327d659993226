#include "client/notification_receiver.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "base/encoding.h"
#include "client/internal/json_fields.h"
#include "client/internal/secret_json.h"
#include "client/internal/secret_source.h"
#include "crypto/secret_bytes.h"
#include "ops/notifier_signature.h"

namespace devtrust::client {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
constexpr std::size_t kMaxTimestampDigits = 15;
constexpr std::size_t kMaxFieldChars = 128;

std::string Trim(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  const auto begin = std::find_if_not(text.begin(), text.end(), is_space);
  const auto end = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

std::unexpected<Error> SignatureError(std::string_view reason, std::string_view message) {
  return MakeError(StatusCode::kUnauthenticated, std::string(reason), std::string(message));
}

bool IsVerificationCode(std::string_view code) {
  return code.size() >= 6 && code.size() <= 8 && std::all_of(code.begin(), code.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) != 0;
         });
}

}  // namespace

Result<crypto::SecretBytes> LoadWebhookSecret(const std::filesystem::path& file) {
  Result<crypto::SecretBytes> secret =
      internal::ReadSecret(file, kWebhookSecretEnvironmentVariable, "webhook signing secret",
                           "--webhook-secret-file", "webhook_secret_missing");
  if (!secret) {
    return std::unexpected(secret.error());
  }
  if (secret->empty()) {
    return MakeError(StatusCode::kInvalidArgument, "webhook_secret_invalid",
                     "the webhook signing secret is empty; use the secret the devtrust server "
                     "signs notifications with");
  }
  return secret;
}

Status VerifyNotificationSignature(std::string_view header, std::string_view body,
                                   const crypto::SecretBytes& secret,
                                   std::chrono::system_clock::time_point now,
                                   std::chrono::seconds tolerance) {
  std::optional<std::string> timestamp;
  std::vector<std::string> signatures;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string entry = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);

    const std::size_t equals = entry.find('=');
    if (equals == std::string::npos) {
      return SignatureError("signature_invalid",
                            "an X-Devtrust-Signature entry has no '='; expected t=...,v1=...");
    }
    const std::string key = entry.substr(0, equals);
    std::string value = entry.substr(equals + 1);
    if (key == "t") {
      timestamp = std::move(value);
    } else if (key == "v1") {
      signatures.push_back(std::move(value));
    }
  }
  if (!timestamp || signatures.empty()) {
    return SignatureError("signature_missing",
                          "the notification has no X-Devtrust-Signature with t= and v1=");
  }

  std::int64_t seconds = 0;
  const auto [end, parse_error] =
      std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), seconds);
  if (timestamp->empty() || timestamp->size() > kMaxTimestampDigits || parse_error != std::errc() ||
      end != timestamp->data() + timestamp->size() || seconds < 0) {
    return SignatureError("signature_invalid",
                          "the X-Devtrust-Signature timestamp is not Unix seconds");
  }

  Result<std::string> expected = ops::SignNotificationBody(AsBytes(body), secret, seconds);
  if (!expected) {
    return std::unexpected(expected.error());
  }
  const std::string_view expected_tag =
      std::string_view(*expected).substr(expected->find(",v1=") + 4);
  bool matched = false;
  for (const std::string& signature : signatures) {
    // Every entry is checked, without stopping at a match, so the time taken
    // does not show which entry matched.
    matched = crypto::ConstantTimeEquals(AsBytes(signature), AsBytes(expected_tag)) || matched;
  }
  if (!matched) {
    return SignatureError("signature_invalid",
                          "no X-Devtrust-Signature v1 entry matches the body; check that the "
                          "receiver uses the server's webhook signing secret");
  }

  const auto signed_at = std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
  const auto skew = now > signed_at ? now - signed_at : signed_at - now;
  if (skew > tolerance) {
    return SignatureError(
        "signature_expired",
        "the notification was signed " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(skew).count()) +
            " s away from this machine's clock; at most " + std::to_string(tolerance.count()) +
            " s are accepted");
  }
  return {};
}

Result<ListenAddress> ParseLoopbackListenAddress(std::string_view text) {
  const auto invalid = [text](std::string_view problem) {
    return MakeError(StatusCode::kInvalidArgument, "listen_address_invalid",
                     "listen address \"" + std::string(text) + "\" is invalid: " +
                         std::string(problem) + "; use 127.0.0.1:PORT or [::1]:PORT");
  };
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return invalid("the port is missing");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }

  unsigned port = 0;
  const auto [end, parse_error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || parse_error != std::errc() ||
      end != port_text.data() + port_text.size() || port > 65535) {
    return invalid("the port must be a number from 0 to 65535");
  }

  error_code error;
  const net::ip::address address = net::ip::make_address(std::string(host), error);
  if (error) {
    return invalid("the host is not an IP address");
  }
  if (!address.is_loopback()) {
    return invalid("the address is not a loopback address");
  }
  return ListenAddress{.address = address.to_string(), .port = static_cast<std::uint16_t>(port)};
}

struct NotificationReceiver::Impl {
  NotificationReceiverOptions options;
  net::io_context io_context;
  net::ip::tcp::acceptor acceptor{io_context};
  std::thread thread;
  std::uint16_t port = 0;

  mutable std::mutex mutex;
  std::condition_variable code_arrived;
  std::map<std::string, crypto::SecretBytes, std::less<>> codes;
  std::set<std::string, std::less<>> seen_ids;
  NotificationReceiverStats stats;
  bool stopped = false;

  void Accept();
  http::response<http::string_body> Handle(http::request<http::string_body>& request);
  Status Record(std::string_view body);

  void Reject(const Error& error, bool signature) {
    {
      std::lock_guard lock(mutex);
      ++(signature ? stats.rejected_signature : stats.rejected_invalid);
    }
    if (options.on_rejected) {
      options.on_rejected(error);
    }
  }
};

namespace {

// One connection to the receiver. It reads requests until the peer closes,
// a request carries "Connection: close", or the read timeout runs out.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(net::ip::tcp::socket socket, NotificationReceiver::Impl* impl)
      : stream_(std::move(socket)), impl_(impl) {}

  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(impl_->options.max_body_bytes);
    stream_.expires_after(impl_->options.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code error, std::size_t) { self->OnRead(error); });
  }

 private:
  void OnRead(error_code error) {
    if (error == http::error::body_limit) {
      impl_->Reject(Error(StatusCode::kResourceExhausted, "notification_too_large",
                          "a notification body exceeded " +
                              std::to_string(impl_->options.max_body_bytes) + " bytes"),
                    false);
      Write(Reply(http::status::payload_too_large, "notification too large\n", false));
      return;
    }
    if (error) {
      // End of stream, a timeout or a reset: the connection is done.
      Close();
      return;
    }
    http::request<http::string_body> request = parser_->release();
    http::response<http::string_body> response = impl_->Handle(request);
    // The body carried the code.
    internal::WipeString(request.body());
    Write(std::move(response));
  }

  http::response<http::string_body> Reply(http::status status, std::string body, bool keep_alive) {
    http::response<http::string_body> response(status, 11);
    response.set(http::field::content_type, "text/plain");
    response.body() = std::move(body);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    return response;
  }

  void Write(http::response<http::string_body> response) {
    response_ = std::move(response);
    stream_.expires_after(impl_->options.read_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](error_code error, std::size_t) {
                        if (error || !self->response_.keep_alive()) {
                          self->Close();
                          return;
                        }
                        self->Read();
                      });
  }

  void Close() {
    error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  NotificationReceiver::Impl* impl_;
};

http::response<http::string_body> MakeReply(const http::request<http::string_body>& request,
                                            http::status status, std::string_view body) {
  http::response<http::string_body> response(status, request.version());
  if (!body.empty()) {
    response.set(http::field::content_type, "text/plain");
    response.body() = std::string(body);
  }
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

}  // namespace

void NotificationReceiver::Impl::Accept() {
  acceptor.async_accept([this](error_code error, net::ip::tcp::socket socket) {
    if (error == net::error::operation_aborted) {
      return;
    }
    if (!error) {
      std::make_shared<Session>(std::move(socket), this)->Read();
    }
    Accept();
  });
}

http::response<http::string_body> NotificationReceiver::Impl::Handle(
    http::request<http::string_body>& request) {
  if (request.method() != http::verb::post) {
    Reject(Error(StatusCode::kInvalidArgument, "notification_invalid",
                 "a request used " + std::string(request.method_string()) +
                     "; notifications are POSTed"),
           false);
    http::response<http::string_body> response =
        MakeReply(request, http::status::method_not_allowed, "use POST\n");
    response.set(http::field::allow, "POST");
    return response;
  }

  const std::string_view header = request[ops::kNotificationSignatureHeader];
  if (Status verified = VerifyNotificationSignature(header, request.body(), options.signing_secret,
                                                    std::chrono::system_clock::now(),
                                                    options.signature_tolerance);
      !verified) {
    Reject(verified.error(), true);
    return MakeReply(request, http::status::unauthorized, "signature rejected\n");
  }

  if (Status recorded = Record(request.body()); !recorded) {
    Reject(recorded.error(), false);
    return MakeReply(request, http::status::bad_request, "notification invalid\n");
  }
  return MakeReply(request, http::status::no_content, "");
}

Status NotificationReceiver::Impl::Record(std::string_view body) {
  Result<std::unique_ptr<internal::SecretJsonDocument>> document =
      internal::SecretJsonDocument::Parse(body, "a notification");
  if (!document || !(*document)->value().is_object()) {
    return MakeError(StatusCode::kInvalidArgument, "notification_invalid",
                     "a signed notification is not a JSON object");
  }
  const internal::JsonFields fields((*document)->value().get_object(), "a notification",
                                    "notification_invalid", StatusCode::kInvalidArgument);

  Result<std::string> notification_id = fields.String("notification_id");
  if (!notification_id) {
    return std::unexpected(notification_id.error());
  }
  Result<std::string> kind = fields.String("kind");
  if (!kind) {
    return std::unexpected(kind.error());
  }
  if (notification_id->size() > kMaxFieldChars || kind->size() > kMaxFieldChars) {
    return fields.Fail("has a notification_id or kind longer than 128 characters");
  }
  Result<std::optional<std::string>> challenge_id = fields.OptionalString("challenge_id");
  if (!challenge_id) {
    return std::unexpected(challenge_id.error());
  }
  Result<std::optional<std::string>> code = fields.OptionalString("code");
  if (!code) {
    return std::unexpected(code.error());
  }
  if (code->has_value()) {
    if (!challenge_id->has_value() || (*challenge_id)->empty()) {
      return fields.Fail("carries a code but no challenge_id");
    }
    if (!IsVerificationCode(**code)) {
      return fields.Fail("carries a code that is not 6 to 8 digits");
    }
  }

  std::lock_guard lock(mutex);
  if (seen_ids.insert(*notification_id).second) {
    ++stats.accepted;
    ++stats.by_kind[*kind];
  } else {
    ++stats.duplicates;
  }
  if (code->has_value()) {
    codes.insert_or_assign(**challenge_id, crypto::SecretBytes(AsBytes(**code)));
    internal::WipeString(**code);
    code_arrived.notify_all();
  }
  return {};
}

NotificationReceiver::NotificationReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

NotificationReceiver::~NotificationReceiver() { Stop(); }

Result<std::unique_ptr<NotificationReceiver>> NotificationReceiver::Start(
    NotificationReceiverOptions options) {
  Result<ListenAddress> listen = ParseLoopbackListenAddress(options.listen_address);
  if (!listen) {
    return std::unexpected(listen.error());
  }
  if (options.signing_secret.empty()) {
    return MakeError(StatusCode::kInvalidArgument, "webhook_secret_invalid",
                     "the webhook signing secret is empty");
  }

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const net::ip::tcp::endpoint endpoint(net::ip::make_address(listen->address), listen->port);
  error_code error;
  impl->acceptor.open(endpoint.protocol(), error);
  if (!error) {
    impl->acceptor.set_option(net::socket_base::reuse_address(true), error);
  }
  if (!error) {
    impl->acceptor.bind(endpoint, error);
  }
  if (!error) {
    impl->acceptor.listen(net::socket_base::max_listen_connections, error);
  }
  if (error) {
    return MakeError(StatusCode::kUnavailable, "listen_failed",
                     "listening on " + impl->options.listen_address +
                         " failed: " + error.message() + "; choose another --notify-listen port");
  }
  impl->port = impl->acceptor.local_endpoint().port();
  impl->Accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io_context.run(); });
  return std::unique_ptr<NotificationReceiver>(new NotificationReceiver(std::move(impl)));
}

std::uint16_t NotificationReceiver::port() const { return impl_->port; }

Result<crypto::SecretBytes> NotificationReceiver::TakeCode(std::string_view challenge_id,
                                                           std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  const bool ready = impl_->code_arrived.wait_for(lock, timeout, [&] {
    return impl_->stopped || impl_->codes.find(challenge_id) != impl_->codes.end();
  });
  const auto found = impl_->codes.find(challenge_id);
  if (found != impl_->codes.end()) {
    crypto::SecretBytes code = std::move(found->second);
    impl_->codes.erase(found);
    return code;
  }
  if (!ready) {
    return MakeError(
        StatusCode::kDeadlineExceeded, "code_timeout",
        "no verification code for challenge " + std::string(challenge_id) + " arrived within " +
            std::to_string(timeout.count()) +
            " ms; check that the server's notifier webhook URL points at http://" +
            impl_->options.listen_address.substr(0, impl_->options.listen_address.rfind(':')) +
            ":" + std::to_string(impl_->port) + "/ and that both use the same signing secret");
  }
  return MakeError(StatusCode::kUnavailable, "receiver_stopped",
                   "the notification receiver stopped before the code for challenge " +
                       std::string(challenge_id) + " arrived");
}

NotificationReceiverStats NotificationReceiver::Stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stats;
}

void NotificationReceiver::Stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) {
      return;
    }
    impl_->stopped = true;
  }
  impl_->code_arrived.notify_all();
  net::post(impl_->io_context, [impl = impl_.get()] {
    error_code ignored;
    impl->acceptor.close(ignored);
  });
  impl_->io_context.stop();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
}

}  // namespace devtrust::client
