#include "crypto/internal/openssl_error.h"

#include <openssl/err.h>

#include <utility>

namespace devtrust::crypto::internal {
namespace {

// Enough entries to explain a failure; a longer queue repeats the same cause
// from outer layers.
constexpr int kMaxReportedEntries = 4;

}  // namespace

Error OpenSslError(StatusCode code, std::string reason, std::string_view operation) {
  std::string message(operation);
  message += " failed";

  int reported = 0;
  unsigned long entry = 0;
  // ERR_get_error drops the data string that ERR_get_error_all would return,
  // which keeps values from the input out of the message.
  while ((entry = ERR_get_error()) != 0) {
    if (reported == kMaxReportedEntries) {
      continue;
    }
    const char* library = ERR_lib_error_string(entry);
    const char* why = ERR_reason_error_string(entry);
    message += reported == 0 ? ": " : "; ";
    message += library != nullptr ? library : "OpenSSL";
    message += ": ";
    message += why != nullptr ? why : "unknown reason";
    ++reported;
  }

  return Error(code, std::move(reason), std::move(message));
}

Error OpenSslInternalError(std::string_view operation) {
  return OpenSslError(StatusCode::kInternal, "crypto_library_error", operation);
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace devtrust::crypto::internal
