// Load clients of the crash tests: threads that enroll devices, or log in,
// each over a fresh nonce, against one run of `devtrust serve`. They record
// every request the server acknowledged, the request each of them was
// sending when the server died, and nonces they were issued but left unused,
// so that a test can check all of them after a restart.
#ifndef DEVTRUST_TESTS_CRASH_LOAD_CLIENTS_H_
#define DEVTRUST_TESTS_CRASH_LOAD_CLIENTS_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "client/https_client.h"
#include "device_helpers.h"

namespace devtrust::hardening {

// One request of the load: a registration or a login, as sent.
struct LoadRequest {
  std::string user_id;
  // The device a login is for, or the device a registration created; empty
  // for a registration without an answer.
  std::string device_id;
  Bytes nonce;
  std::string body;
};

// A nonce the server issued (201) that the load never used.
struct UnusedNonce {
  std::string user_id;
  std::string device_id;  // empty for a registration nonce
  Bytes nonce;
};

struct LoadRecord {
  // Registrations answered 201, or logins answered with a trusted decision.
  std::vector<LoadRequest> acknowledged;
  // Requests sent without an answer because the connection failed.
  std::vector<LoadRequest> unanswered;
  std::vector<UnusedNonce> unused_nonces;
  // Answers that were neither an acknowledgement nor a failed connection,
  // described for the test's failure message.
  std::vector<std::string> unexpected;
};

class LoadRun {
 public:
  // Starts `clients` threads that register devices until Finish: client i
  // registers fresh keys for user "<user_prefix>-<i>". Every fourth
  // registration nonce stays unused.
  static std::unique_ptr<LoadRun> StartRegistrations(client::HttpsClientOptions options,
                                                     std::string api_key, std::string user_prefix,
                                                     int clients);

  // Starts one thread per device that logs it in until Finish. Every fourth
  // login nonce stays unused. `devices` must outlive the run.
  static std::unique_ptr<LoadRun> StartLogins(client::HttpsClientOptions options,
                                              std::string api_key,
                                              const std::vector<EnrolledDevice>& devices);

  // Stops the clients (a request in flight still finishes or fails) and
  // joins them.
  ~LoadRun();

  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  // How many requests the server acknowledged so far.
  std::size_t acknowledged_count() const { return acknowledged_count_.load(); }

  // Stops the clients, waits for them, and returns what they recorded.
  LoadRecord Finish();

 private:
  LoadRun(client::HttpsClientOptions options, std::string api_key)
      : options_(std::move(options)), api_key_(std::move(api_key)) {}

  void RunRegistrations(std::string user_id);
  void RunLogins(const EnrolledDevice* device);

  // Adds to the shared record.
  void Acknowledge(LoadRequest request);
  void Unanswered(LoadRequest request);
  void Unused(UnusedNonce nonce);
  void Unexpected(std::string description);

  client::HttpsClientOptions options_;
  std::string api_key_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> acknowledged_count_{0};
  std::mutex mutex_;
  LoadRecord record_;
  std::vector<std::thread> threads_;
};

}  // namespace devtrust::hardening

#endif  // DEVTRUST_TESTS_CRASH_LOAD_CLIENTS_H_
