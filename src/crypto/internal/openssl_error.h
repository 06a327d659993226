// Turns the OpenSSL error queue into a devtrust Error.
//
// Internal to src/crypto.
#ifndef DEVTRUST_CRYPTO_INTERNAL_OPENSSL_ERROR_H_
#define DEVTRUST_CRYPTO_INTERNAL_OPENSSL_ERROR_H_

#include <string>
#include <string_view>

#include "base/error.h"

namespace devtrust::crypto::internal {

// Drains the calling thread's OpenSSL error queue and returns an Error whose
// message is "<operation> failed: <OpenSSL reasons>". Only OpenSSL's fixed
// library and reason strings go into the message; the free-form data that
// some OpenSSL errors attach is dropped, because it may quote input bytes.
// The queue is empty afterwards.
Error OpenSslError(StatusCode code, std::string reason, std::string_view operation);

// OpenSslError with kInternal and reason "crypto_library_error", for calls
// that fail only on a library fault or when memory runs out.
Error OpenSslInternalError(std::string_view operation);

// Empties the calling thread's OpenSSL error queue. Call it after an expected
// failure whose queue entries are not reported, so that they do not show up
// in a later, unrelated error.
void ClearOpenSslErrors();

}  // namespace devtrust::crypto::internal

#endif  // DEVTRUST_CRYPTO_INTERNAL_OPENSSL_ERROR_H_
