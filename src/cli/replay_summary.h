// The summary `devtrust replay-logins` prints after a run: decisions and
// reasons per scenario, drift flags, fallbacks, challenges, session keys,
// validation latency and the notifications received.
#ifndef DEVTRUST_CLI_REPLAY_SUMMARY_H_
#define DEVTRUST_CLI_REPLAY_SUMMARY_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/replay_result.h"
#include "client/notification_receiver.h"
#include "crypto/tls_context.h"

namespace devtrust::cli {

struct ReplaySummaryInput {
  std::string records_file;
  std::string server_url;
  std::size_t concurrency = 0;
  std::string completion;  // "none", "soft" or "all"
  const std::vector<ReplayResult>* results = nullptr;
  std::chrono::nanoseconds elapsed{0};
  std::optional<crypto::TlsSessionInfo> tls_session;
  std::size_t connections_opened = 0;
  client::NotificationReceiverStats notifications;
  std::string results_file;  // empty when none was written
};

// The nearest-rank percentile (0 < p <= 100) of `values`, which need not be
// sorted; 0 for an empty list.
std::int64_t Percentile(std::vector<std::int64_t> values, double p);

// How many results failed: decision "error" or "skipped", or an error noted
// beside a decision (a session key check or challenge completion that failed).
std::size_t CountFailures(const std::vector<ReplayResult>& results);

// The summary as text, one section per topic, ending with a newline.
std::string FormatReplaySummary(const ReplaySummaryInput& input);

}  // namespace devtrust::cli

#endif  // DEVTRUST_CLI_REPLAY_SUMMARY_H_
