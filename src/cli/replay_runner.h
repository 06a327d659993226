// Replays login records against a devtrust server: each account's device
// enrolls at the account's first record, with fresh keys, and every later
// record logs in with that record's browser attributes as the fingerprint.
//
// Ordering: records start in time order, and a record starts only after the
// account's previous record has finished. So each account's logins run in
// order while up to `concurrency` accounts run at once. Each worker thread
// has its own keep-alive connection.
#ifndef DEVTRUST_CLI_REPLAY_RUNNER_H_
#define DEVTRUST_CLI_REPLAY_RUNNER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "cli/replay_result.h"
#include "client/https_client.h"
#include "client/notification_receiver.h"
#include "crypto/secret_bytes.h"
#include "crypto/tls_context.h"
#include "trust/login_records.h"

namespace devtrust::cli {

// The verification challenges raised at a login that the replay completes
// with the code from the webhook, as a user confirming the login would.
enum class ChallengeCompletion {
  kNone,
  kSoft,  // drift challenges; hard ones stay open as verification failures
  kAll,
};

// "none", "soft", "all".
std::optional<ChallengeCompletion> ParseChallengeCompletion(std::string_view text);
std::string_view ChallengeCompletionName(ChallengeCompletion completion);

struct ReplayOptions {
  client::HttpsClientOptions https;
  const crypto::SecretBytes* api_key = nullptr;
  // Delivers the verification codes; must outlive the replay.
  client::NotificationReceiver* receiver = nullptr;
  ChallengeCompletion completion = ChallengeCompletion::kSoft;
  std::size_t concurrency = 4;
  // How long to wait for a code to arrive by webhook.
  std::chrono::milliseconds code_timeout{30'000};
  // Called once per finished record, from the worker threads but never
  // concurrently.
  std::function<void(const ReplayResult& result)> on_result;
};

struct ReplayRun {
  // One result per record, in the order of the records given.
  std::vector<ReplayResult> results;
  std::chrono::nanoseconds elapsed{0};
  // The TLS session of the first connection.
  std::optional<crypto::TlsSessionInfo> tls_session;
  std::size_t connections_opened = 0;
};

// Replays `records`, which must be in time order. A failed request becomes
// the result of its record ("error"), so the replay always finishes. Errors:
// "replay_options_invalid" for missing options, and the errors of creating
// the clients (such as an unreadable CA file).
Result<ReplayRun> RunReplay(const std::vector<trust::LoginRecord>& records,
                            const ReplayOptions& options);

}  // namespace devtrust::cli

#endif  // DEVTRUST_CLI_REPLAY_RUNNER_H_
