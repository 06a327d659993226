// A plain-HTTP receiver on 127.0.0.1 for the notifier tests. It records each
// request and responds with a status the test chooses.
#ifndef DEVTRUST_OPS_NOTIFIER_TEST_RECEIVER_H_
#define DEVTRUST_OPS_NOTIFIER_TEST_RECEIVER_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace devtrust::ops::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  // Header names in lowercase.
  std::map<std::string, std::string> headers;
  std::string body;
};

class TestReceiver {
 public:
  // Listens on an ephemeral port of 127.0.0.1 and serves on its own thread.
  TestReceiver();
  // Closes the socket and joins the thread.
  ~TestReceiver();
  TestReceiver(const TestReceiver&) = delete;
  TestReceiver& operator=(const TestReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  // The statuses of the next responses, in order; 204 once they run out.
  void QueueStatuses(std::vector<unsigned> statuses);
  // The body of every response from now on.
  void SetResponseBody(std::string body);

  std::vector<ReceivedRequest> Requests() const;

 private:
  void Serve();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::deque<unsigned> statuses_;
  std::string response_body_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

}  // namespace devtrust::ops::testing

#endif  // DEVTRUST_OPS_NOTIFIER_TEST_RECEIVER_H_
