// Error values returned instead of exceptions across devtrust.
//
// An Error carries a canonical StatusCode (what kind of failure, which decides
// the HTTP status in one place, src/server/error_mapping) and a reason: a
// stable snake_case code that clients and tests may match on, such as
// "signature_invalid" or "nonce_reused". The message is for people; it says
// what failed on which value and never contains secret material.
#ifndef DEVTRUST_BASE_ERROR_H_
#define DEVTRUST_BASE_ERROR_H_

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace devtrust {

// The canonical failure classes, after the gRPC and Abseil status codes.
enum class StatusCode {
  kInvalidArgument,     // malformed or out-of-range input from the caller
  kUnauthenticated,     // missing or wrong credentials
  kPermissionDenied,    // authenticated but not allowed
  kNotFound,            // the named object does not exist
  kAlreadyExists,       // creating something that exists
  kFailedPrecondition,  // the system is not in the state the call needs
  kResourceExhausted,   // a size, rate or quota limit was hit
  kDeadlineExceeded,    // a time limit ran out
  kUnavailable,         // a dependency is down; retrying may help
  kDataLoss,            // stored data is corrupt
  kInternal,            // a bug or an unexpected library failure
};

std::string_view StatusCodeName(StatusCode code);

class Error {
 public:
  Error(StatusCode code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  StatusCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }

  // "reason: message", the form used in logs and on the command line.
  std::string ToString() const;

 private:
  StatusCode code_;
  std::string reason_;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Error>;

// The result of an operation that produces no value.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> MakeError(StatusCode code, std::string reason, std::string message) {
  return std::unexpected(Error(code, std::move(reason), std::move(message)));
}

}  // namespace devtrust

#endif  // DEVTRUST_BASE_ERROR_H_
