// A small HTTP receiver for devtrust's webhook notifications, standing in for
// the user's inbox: the device side learns verification codes from it.
//
// devtrust's webhook notifier POSTs one JSON object per notification,
//   {notification_id, kind, user_id, device_id, challenge_id, code,
//    expires_at, created_at, reason}
// (code only for verification kinds), signed with the header
//   X-Devtrust-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// The receiver verifies the signature before it reads the body, rejects a
// timestamp more than `signature_tolerance` away from its clock (a replayed
// delivery), and responds with 204 to an accepted notification, so the
// notifier stops retrying it. Deliveries are at least once, so a repeated
// notification_id is accepted again but counted once.
//
// It listens on loopback only, over plain HTTP: the notification never
// leaves the machine, and devtrust's webhook client allows http:// only to
// loopback hosts.
#ifndef DEVTRUST_CLIENT_NOTIFICATION_RECEIVER_H_
#define DEVTRUST_CLIENT_NOTIFICATION_RECEIVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/secret_bytes.h"

namespace devtrust::client {

inline constexpr std::string_view kWebhookSecretEnvironmentVariable = "DEVTRUST_WEBHOOK_SECRET";

// Reads the webhook signing secret from `file` (mode 0600) when it is not
// empty, else from DEVTRUST_WEBHOOK_SECRET; the secret is the text with
// surrounding whitespace removed. Errors: "webhook_secret_missing", the file
// errors of pki::ReadPrivateKeyFile, "webhook_secret_invalid" when empty.
Result<crypto::SecretBytes> LoadWebhookSecret(const std::filesystem::path& file);

// Checks an X-Devtrust-Signature header value against `body`, recomputing
// the signature with ops::SignNotificationBody, the notifier's own code.
// Several v1 entries may be present (while the secret is being rotated); one
// valid entry suffices, compared in constant time. Errors (kUnauthenticated):
//   "signature_missing"  no header, no t= or no v1= entry;
//   "signature_invalid"  a malformed entry, or no v1 matches;
//   "signature_expired"  t is more than `tolerance` from `now`.
Status VerifyNotificationSignature(std::string_view header, std::string_view body,
                                   const crypto::SecretBytes& secret,
                                   std::chrono::system_clock::time_point now,
                                   std::chrono::seconds tolerance);

// A loopback address and port: "127.0.0.1:8780", "[::1]:8780"; port 0 picks
// a free one. Fails with reason "listen_address_invalid" for any address that
// is not loopback (127.0.0.0/8 or ::1).
struct ListenAddress {
  std::string address;
  std::uint16_t port = 0;
};
Result<ListenAddress> ParseLoopbackListenAddress(std::string_view text);

struct NotificationReceiverOptions {
  std::string listen_address = "127.0.0.1:0";
  crypto::SecretBytes signing_secret;
  // Allows for clock differences between the server and the receiver while
  // rejecting a captured delivery that is replayed later. Each delivery
  // attempt is signed when it is sent.
  std::chrono::seconds signature_tolerance{300};
  std::size_t max_body_bytes = 64 * 1024;
  // Limit for reading one request, and for a keep-alive connection's idle
  // time.
  std::chrono::milliseconds read_timeout{10'000};
  // Called on the receiver's thread for every rejected request with its
  // reason, for logging; must not block. Never given the code or secret.
  std::function<void(const Error& error)> on_rejected;
};

struct NotificationReceiverStats {
  std::uint64_t accepted = 0;    // distinct notification ids
  std::uint64_t duplicates = 0;  // repeated deliveries of an accepted id
  std::uint64_t rejected_signature = 0;
  std::uint64_t rejected_invalid = 0;            // not POST, not JSON, missing fields, too large
  std::map<std::string, std::uint64_t> by_kind;  // distinct ids per kind
};

class NotificationReceiver {
 public:
  // Binds the address and starts the receiver's thread. Errors:
  // "listen_address_invalid", "webhook_secret_invalid" for an empty secret,
  // "listen_failed" (kUnavailable) when the address cannot be bound.
  static Result<std::unique_ptr<NotificationReceiver>> Start(NotificationReceiverOptions options);

  // Stops and joins the thread.
  ~NotificationReceiver();
  NotificationReceiver(const NotificationReceiver&) = delete;
  NotificationReceiver& operator=(const NotificationReceiver&) = delete;

  // The bound port, useful when the requested port was 0.
  std::uint16_t port() const;

  // Waits until a notification with a code for `challenge_id` has arrived,
  // then returns the code and removes it from the inbox. Errors: "code_timeout"
  // (kDeadlineExceeded) naming the challenge, with a hint to check the
  // server's webhook URL; "receiver_stopped".
  Result<crypto::SecretBytes> TakeCode(std::string_view challenge_id,
                                       std::chrono::milliseconds timeout);

  NotificationReceiverStats Stats() const;

  // Closes the listening socket and every connection; later calls do nothing.
  void Stop();

  // The sockets, thread and inbox; an implementation detail, declared public
  // only so that the connection handlers in the .cc file can name it.
  struct Impl;

 private:
  explicit NotificationReceiver(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_NOTIFICATION_RECEIVER_H_
