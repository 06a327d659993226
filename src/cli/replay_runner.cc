#include "cli/replay_runner.h"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "client/device_flows.h"
#include "client/device_keys.h"
#include "client/device_trust_client.h"

namespace devtrust::cli {
namespace {

// An account's device and its progress through the replay. Only the worker
// running the account's current record touches it.
struct Account {
  std::vector<std::size_t> records;
  std::size_t next = 0;
  bool busy = false;

  bool enrollment_attempted = false;
  bool enrolled = false;
  std::string enrollment_error;
  std::optional<client::DeviceKeys> keys;
  std::string device_id;
  std::optional<crypto::Certificate> ml_dsa_certificate;
  std::optional<crypto::Certificate> ecdsa_certificate;
};

// Hands out records in time order, at most one per account at a time.
class Scheduler {
 public:
  explicit Scheduler(const std::vector<trust::LoginRecord>& records)
      : account_of_(records.size()), started_(records.size(), false) {
    std::map<std::string_view, std::size_t> index_of_user;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto [entry, inserted] = index_of_user.emplace(records[i].user, accounts_.size());
      if (inserted) {
        accounts_.emplace_back();
      }
      account_of_[i] = entry->second;
      accounts_[entry->second].records.push_back(i);
    }
  }

  // Blocks until a record may start and returns its index, or nullopt when
  // every record has started.
  std::optional<std::size_t> Next() {
    std::unique_lock lock(mutex_);
    while (true) {
      if (first_unstarted_ == started_.size()) {
        return std::nullopt;
      }
      for (std::size_t i = first_unstarted_; i < started_.size(); ++i) {
        Account& account = accounts_[account_of_[i]];
        // Scanning in time order, the first unstarted record of an idle
        // account is that account's next one.
        if (started_[i] || account.busy) {
          continue;
        }
        started_[i] = true;
        account.busy = true;
        while (first_unstarted_ < started_.size() && started_[first_unstarted_]) {
          ++first_unstarted_;
        }
        if (first_unstarted_ == started_.size()) {
          ready_.notify_all();
        }
        return i;
      }
      ready_.wait(lock);
    }
  }

  void Finish(std::size_t index) {
    {
      std::lock_guard lock(mutex_);
      Account& account = accounts_[account_of_[index]];
      ++account.next;
      account.busy = false;
    }
    ready_.notify_all();
  }

  Account& AccountOf(std::size_t index) { return accounts_[account_of_[index]]; }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::size_t> account_of_;
  std::vector<Account> accounts_;
  std::vector<bool> started_;
  std::size_t first_unstarted_ = 0;
};

std::string Describe(const Error& error) { return error.reason() + ": " + error.message(); }

std::int64_t Microseconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
}

bool ShouldComplete(ChallengeCompletion completion, std::string_view kind) {
  switch (completion) {
    case ChallengeCompletion::kNone:
      return false;
    case ChallengeCompletion::kSoft:
      return kind == "soft";
    case ChallengeCompletion::kAll:
      return true;
  }
  return false;
}

ReplayResult ResultFor(const trust::LoginRecord& record) {
  ReplayResult result;
  result.login_id = record.login_id;
  result.user = record.user;
  result.scenario = ScenarioOf(record.user);
  result.timestamp = record.timestamp;
  return result;
}

// Completes `challenge_id` with the code the webhook delivers and returns the
// device's status afterwards.
Result<std::string> CompleteChallenge(client::DeviceTrustClient& client,
                                      const ReplayOptions& options, std::string_view device_id,
                                      std::string_view challenge_id) {
  Result<crypto::SecretBytes> code = options.receiver->TakeCode(challenge_id, options.code_timeout);
  if (!code) {
    return std::unexpected(code.error());
  }
  Result<client::DeviceRecord> record = client.VerifyDevice(device_id, challenge_id, *code);
  if (!record) {
    return std::unexpected(record.error());
  }
  return record->status;
}

void Enroll(const trust::LoginRecord& record, Account& account, client::DeviceTrustClient& client,
            const ReplayOptions& options, ReplayResult& result) {
  result.action = ReplayAction::kEnroll;
  account.enrollment_attempted = true;
  const auto fail = [&](const Error& error) {
    result.decision = "error";
    result.error = Describe(error);
    account.enrollment_error = result.error;
  };

  Result<trust::Fingerprint> fingerprint = trust::FingerprintOf(record);
  if (!fingerprint) {
    fail(fingerprint.error());
    return;
  }
  Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
  if (!keys) {
    fail(keys.error());
    return;
  }
  Result<client::RegisteredDevice> registered =
      client::RegisterDevice(client, *keys, record.user, *fingerprint);
  if (!registered) {
    fail(registered.error());
    return;
  }
  const client::Registration& registration = registered->registration;
  result.device_id = registration.device_id;
  result.trace_id = registration.trace_id;
  result.latency_us = Microseconds(registered->registration_latency);
  result.challenge = registration.verification;

  Result<std::string> status = CompleteChallenge(client, options, registration.device_id,
                                                 registration.verification.challenge_id);
  if (!status) {
    fail(status.error());
    return;
  }
  if (*status != "trusted") {
    fail(Error(StatusCode::kFailedPrecondition, "device_not_trusted",
               "the device is " + *status + " after its registration challenge passed"));
    return;
  }

  result.challenge_completed = true;
  result.decision = "enrolled";
  account.enrolled = true;
  account.keys = std::move(*keys);
  account.device_id = registration.device_id;
  account.ml_dsa_certificate = registered->ml_dsa_certificate;
  account.ecdsa_certificate = registered->ecdsa_certificate;
}

void Login(const trust::LoginRecord& record, Account& account, client::DeviceTrustClient& client,
           const ReplayOptions& options, ReplayResult& result) {
  result.action = ReplayAction::kLogin;
  if (!account.enrolled) {
    result.decision = "skipped";
    result.error =
        "account_not_enrolled: the account's enrollment failed (" + account.enrollment_error + ")";
    return;
  }
  result.device_id = account.device_id;

  Result<trust::Fingerprint> fingerprint = trust::FingerprintOf(record);
  if (!fingerprint) {
    result.decision = "error";
    result.error = Describe(fingerprint.error());
    return;
  }
  const client::LoginCredentials credentials{.user_id = record.user,
                                             .device_id = account.device_id,
                                             .keys = &*account.keys,
                                             .ml_dsa_certificate = &*account.ml_dsa_certificate,
                                             .ecdsa_certificate = &*account.ecdsa_certificate};
  Result<client::LoginOutcome> outcome = client::LogIn(client, credentials, *fingerprint);
  if (!outcome) {
    result.decision = "error";
    result.error = Describe(outcome.error());
    return;
  }

  client::ValidationResult& validation = outcome->result;
  result.decision = validation.decision;
  result.trust_result = validation.trust_result;
  result.reasons = std::move(validation.reasons);
  result.drift = std::move(validation.drift);
  result.fallback = std::move(validation.fallback);
  result.challenge = std::move(validation.challenge);
  result.trace_id = validation.trace_id;
  result.latency_us = Microseconds(outcome->validation_latency);
  if (validation.session) {
    result.session_mode = validation.session->mode;
  }
  if (outcome->session) {
    result.session_key_agreed = outcome->session->agreed;
  }
  if (outcome->session_error) {
    result.error = "session_key_check_failed: " + Describe(*outcome->session_error);
  }

  if (result.challenge && ShouldComplete(options.completion, result.challenge->kind)) {
    Result<std::string> status =
        CompleteChallenge(client, options, account.device_id, result.challenge->challenge_id);
    if (status) {
      result.challenge_completed = true;
    } else {
      result.error = "challenge_completion_failed: " + Describe(status.error());
    }
  }
}

}  // namespace

std::optional<ChallengeCompletion> ParseChallengeCompletion(std::string_view text) {
  if (text == "none") {
    return ChallengeCompletion::kNone;
  }
  if (text == "soft") {
    return ChallengeCompletion::kSoft;
  }
  if (text == "all") {
    return ChallengeCompletion::kAll;
  }
  return std::nullopt;
}

std::string_view ChallengeCompletionName(ChallengeCompletion completion) {
  switch (completion) {
    case ChallengeCompletion::kNone:
      return "none";
    case ChallengeCompletion::kSoft:
      return "soft";
    case ChallengeCompletion::kAll:
      return "all";
  }
  return "none";
}

Result<ReplayRun> RunReplay(const std::vector<trust::LoginRecord>& records,
                            const ReplayOptions& options) {
  if (options.api_key == nullptr || options.receiver == nullptr || options.concurrency == 0) {
    return MakeError(StatusCode::kInvalidArgument, "replay_options_invalid",
                     "the replay needs an API key, a notification receiver and a concurrency "
                     "of at least 1");
  }

  // Clients are created up front so that a bad CA file or API key fails the
  // run before any record is replayed.
  std::vector<std::unique_ptr<client::DeviceTrustClient>> clients;
  for (std::size_t i = 0; i < options.concurrency; ++i) {
    Result<std::unique_ptr<client::DeviceTrustClient>> created =
        client::DeviceTrustClient::Create(options.https, options.api_key->Clone());
    if (!created) {
      return std::unexpected(created.error());
    }
    clients.push_back(std::move(*created));
  }

  ReplayRun run;
  run.results.resize(records.size());
  Scheduler scheduler(records);
  std::mutex results_mutex;

  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (const std::unique_ptr<client::DeviceTrustClient>& worker_client : clients) {
    workers.emplace_back([&, client = worker_client.get()] {
      while (std::optional<std::size_t> index = scheduler.Next()) {
        const trust::LoginRecord& record = records[*index];
        Account& account = scheduler.AccountOf(*index);
        ReplayResult result = ResultFor(record);
        if (!account.enrollment_attempted) {
          Enroll(record, account, *client, options, result);
        } else {
          Login(record, account, *client, options, result);
        }
        {
          std::lock_guard lock(results_mutex);
          if (options.on_result) {
            options.on_result(result);
          }
          run.results[*index] = std::move(result);
        }
        scheduler.Finish(*index);
      }
    });
  }
  for (std::thread& worker : workers) {
    worker.join();
  }
  run.elapsed = std::chrono::steady_clock::now() - started;

  for (const std::unique_ptr<client::DeviceTrustClient>& worker_client : clients) {
    run.connections_opened += worker_client->connections_opened();
    if (!run.tls_session && worker_client->tls_session()) {
      run.tls_session = worker_client->tls_session();
    }
  }
  return run;
}

}  // namespace devtrust::cli
