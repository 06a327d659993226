// `devtrust replay-logins`: replays real login records against a devtrust
// server and reports what it decides. Each account's device enrolls with
// fresh keys at the account's first record, and the verification code
// arrives by webhook at a receiver this command runs. Every later record logs
// in with that record's browser attributes as the fingerprint.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/replay_progress.h"
#include "cli/replay_result.h"
#include "cli/replay_runner.h"
#include "cli/replay_summary.h"
#include "client/api_key.h"
#include "client/notification_receiver.h"
#include "client/server_url.h"
#include "pki/secure_file.h"
#include "trust/login_records.h"

namespace devtrust::cli {
namespace {

constexpr int kExitSuccess = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// rba-logins.csv has 871 records in 188 KB; the limit only bounds what
// is read into memory.
constexpr std::size_t kMaxRecordsFileBytes = 256 * 1024 * 1024;
constexpr std::size_t kMaxConcurrency = 64;
// Failures are printed as they happen up to this count, then only counted;
// all of them are in the results file.
constexpr std::size_t kMaxPrintedFailures = 20;
constexpr std::size_t kMaxPrintedRejections = 10;

constexpr std::string_view kFooter = R"(
Records are replayed in file order, which rba-logins.csv keeps in time
order; a record starts only after the same account's previous record has
finished, and up to --concurrency accounts run at once, each worker on its
own keep-alive TLS connection. Each account's first record registers a new
device with fresh keys and verifies it with the code that devtrust's webhook
notifier sends. The server must therefore be started with its notifier
webhook URL pointing at --notify-listen, such as
http://127.0.0.1:8780/, and both must use the same webhook signing secret
(--webhook-secret-file, mode 0600, or DEVTRUST_WEBHOOK_SECRET). Every later
record logs in with the record's user_agent, platform, language, screen
size, pixel_ratio and cookies_enabled as the fingerprint.

--complete-challenges decides which challenges raised at a login are
answered with the webhook code, as a user confirming the login would:
soft (the default) answers drift challenges, so the accepted fingerprint
moves on; hard challenges stay open as verification failures. all answers
both; none answers neither.

Output: progress on standard error, the summary on standard output, and with
--out one JSON object per record (login_id, user, scenario, timestamp,
action, decision, trust_result, reasons, drift, session_mode,
session_key_agreed, fallback, challenge, latency_us, trace_id, device_id,
error).

Exit status:
  0  every record was replayed: enrolled, or a decision was returned
  1  a record failed (a request, an enrollment, a session key check or a
     challenge completion), or the run could not start
  2  usage error
)";

struct ReplayArguments {
  std::string records_file;
  std::string server;
  std::string api_key_file;
  std::string ca_file;
  std::string notify_listen = "127.0.0.1:8780";
  std::string webhook_secret_file;
  std::string out;
  std::string complete_challenges = "soft";
  std::size_t limit = 0;
  std::size_t concurrency = 4;
  std::size_t progress_every = 100;
  unsigned code_timeout_seconds = 30;
};

int UsageError(std::string_view message) {
  std::cerr << fmt::format("devtrust replay-logins: {} (see --help)\n", message);
  return kExitUsage;
}

int Failure(const Error& error) {
  std::cerr << fmt::format("devtrust replay-logins: {}: {}\n", error.reason(), error.message());
  return kExitFailure;
}

int RunReplayLogins(const ReplayArguments& arguments) {
  if (arguments.server.empty()) {
    return UsageError("--server is required");
  }
  if (arguments.ca_file.empty()) {
    return UsageError(
        "--ca-file is required: the replay trusts the server only through the "
        "devtrust CA root certificates");
  }
  Result<client::ServerUrl> url = client::ParseServerUrl(arguments.server);
  if (!url) {
    return UsageError(url.error().message());
  }
  const std::optional<ChallengeCompletion> completion =
      ParseChallengeCompletion(arguments.complete_challenges);
  if (!completion) {
    return UsageError("--complete-challenges must be none, soft or all");
  }
  if (arguments.concurrency == 0 || arguments.concurrency > kMaxConcurrency) {
    return UsageError(fmt::format("--concurrency must be from 1 to {}", kMaxConcurrency));
  }
  if (arguments.code_timeout_seconds == 0) {
    return UsageError("--code-timeout must be at least 1 second");
  }
  if (Result<client::ListenAddress> listen =
          client::ParseLoopbackListenAddress(arguments.notify_listen);
      !listen) {
    return UsageError(listen.error().message());
  }

  Result<std::string> text = pki::ReadPublicFile(arguments.records_file, kMaxRecordsFileBytes);
  if (!text) {
    return Failure(text.error());
  }
  Result<std::vector<trust::LoginRecord>> records = trust::ParseLoginRecords(*text);
  if (!records) {
    return Failure(Error(records.error().code(), records.error().reason(),
                         arguments.records_file + ": " + records.error().message()));
  }
  if (arguments.limit > 0 && records->size() > arguments.limit) {
    records->resize(arguments.limit);
  }

  Result<crypto::SecretBytes> api_key = client::LoadApiKey(arguments.api_key_file);
  if (!api_key) {
    return Failure(api_key.error());
  }
  Result<crypto::SecretBytes> secret = client::LoadWebhookSecret(arguments.webhook_secret_file);
  if (!secret) {
    return Failure(secret.error());
  }

  std::ofstream out;
  if (!arguments.out.empty()) {
    out.open(arguments.out, std::ios::binary | std::ios::trunc);
    if (!out) {
      return Failure(Error(StatusCode::kUnavailable, "file_write_failed",
                           "cannot open the results file " + arguments.out + " for writing"));
    }
  }

  std::size_t rejections = 0;
  client::NotificationReceiverOptions receiver_options;
  receiver_options.listen_address = arguments.notify_listen;
  receiver_options.signing_secret = std::move(*secret);
  receiver_options.on_rejected = [&rejections](const Error& error) {
    // Runs on the receiver's thread, the only writer of `rejections`.
    if (++rejections <= kMaxPrintedRejections) {
      std::cerr << fmt::format("devtrust replay-logins: rejected a notification: {}: {}\n",
                               error.reason(), error.message());
    }
  };
  Result<std::unique_ptr<client::NotificationReceiver>> receiver =
      client::NotificationReceiver::Start(std::move(receiver_options));
  if (!receiver) {
    return Failure(receiver.error());
  }
  std::cerr << fmt::format(
      "devtrust replay-logins: replaying {} records against {}; notification receiver on "
      "{} (the server's notifier webhook URL must point there)\n",
      records->size(), url->ToString(), arguments.notify_listen);

  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  ReplayProgress progress(records->size(), arguments.progress_every, terminal, stderr);
  std::size_t printed_failures = 0;
  ReplayOptions options;
  options.https.server = *url;
  options.https.ca_file = arguments.ca_file;
  options.api_key = &*api_key;
  options.receiver = receiver->get();
  options.completion = *completion;
  options.concurrency = arguments.concurrency;
  options.code_timeout = std::chrono::seconds(arguments.code_timeout_seconds);
  options.on_result = [&](const ReplayResult& result) {
    const bool failed = !result.error.empty();
    if (failed && ++printed_failures <= kMaxPrintedFailures) {
      // On a terminal the message starts below the progress bar.
      std::cerr << fmt::format("{}devtrust replay-logins: login {} ({}): {}\n",
                               terminal ? "\n" : "", result.login_id, result.user, result.error);
    }
    progress.RecordDone(failed);
  };

  Result<ReplayRun> run = RunReplay(*records, options);
  progress.Finish();
  if (!run) {
    return Failure(run.error());
  }
  (*receiver)->Stop();

  if (out.is_open()) {
    for (const ReplayResult& result : run->results) {
      out << ToJsonLine(result) << '\n';
    }
    out.close();
    if (!out) {
      return Failure(Error(StatusCode::kUnavailable, "file_write_failed",
                           "writing the results file " + arguments.out + " failed"));
    }
  }

  ReplaySummaryInput summary;
  summary.records_file = std::filesystem::path(arguments.records_file).lexically_normal().string();
  summary.server_url = url->ToString();
  summary.concurrency = arguments.concurrency;
  summary.completion = std::string(ChallengeCompletionName(*completion));
  summary.results = &run->results;
  summary.elapsed = run->elapsed;
  summary.tls_session = run->tls_session;
  summary.connections_opened = run->connections_opened;
  summary.notifications = (*receiver)->Stats();
  summary.results_file = arguments.out;
  std::cout << FormatReplaySummary(summary) << std::flush;

  return CountFailures(run->results) == 0 ? kExitSuccess : kExitFailure;
}

}  // namespace

void AddReplayLoginsCommand(CLI::App& app) {
  auto arguments = std::make_shared<ReplayArguments>();
  CLI::App* command = app.add_subcommand(
      "replay-logins",
      "Replay login records (such as rba-logins.csv) against a devtrust server and summarize "
      "its decisions");
  command->add_option("FILE", arguments->records_file, "CSV file of login records")->required();

  // The server and the credentials.
  command->add_option("--server", arguments->server,
                      "devtrust server URL, such as https://127.0.0.1:8443");
  command->add_option("--ca-file", arguments->ca_file,
                      "PEM file with the devtrust CA root certificates that the server's TLS "
                      "certificate must chain to");
  command->add_option("--api-key-file", arguments->api_key_file,
                      "File with the relying party API key, mode 0600 (default: the "
                      "DEVTRUST_RP_API_KEY environment variable)");

  // The webhook receiver for verification codes.
  command
      ->add_option("--notify-listen", arguments->notify_listen,
                   "Loopback address and port of the webhook receiver for verification "
                   "codes")
      ->capture_default_str();
  command->add_option("--webhook-secret-file", arguments->webhook_secret_file,
                      "File with the webhook signing secret, mode 0600 (default: the "
                      "DEVTRUST_WEBHOOK_SECRET environment variable)");

  // What to replay and how.
  command->add_option("--out", arguments->out, "Write one JSON line per record to this file");
  command
      ->add_option("--complete-challenges", arguments->complete_challenges,
                   "Challenges to answer with the webhook code: none, soft or all")
      ->capture_default_str();
  command->add_option("--limit", arguments->limit, "Replay only the first N records (0: all)")
      ->capture_default_str();
  command
      ->add_option("--concurrency", arguments->concurrency,
                   "Accounts replayed at once, each worker with its own connection")
      ->capture_default_str();
  command
      ->add_option("--progress-every", arguments->progress_every,
                   "Print a progress line every N records when standard error is not a "
                   "terminal (0: none)")
      ->capture_default_str();
  command
      ->add_option("--code-timeout", arguments->code_timeout_seconds,
                   "Seconds to wait for a verification code to arrive by webhook")
      ->capture_default_str();

  command->footer(std::string(kFooter));
  command->callback([arguments] { SetExitCode(RunReplayLogins(*arguments)); });
}

}  // namespace devtrust::cli
