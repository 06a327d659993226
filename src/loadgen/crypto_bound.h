// The crypto-only bound of a workload: the request rate the server's cores
// could reach if they did nothing but the signature and KEM operations each
// request needs. The ratio of the achieved rate to this bound shows how much
// of the server's time goes to everything else (TLS records, HTTP, JSON,
// SQLite, logging, the load generator sharing the machine).
//
// The CPU time is measured in this process with the same crypto calls the
// server makes (crypto/signature.h, crypto/session_key.h), on one thread,
// as thread CPU time, so other processes on the machine inflate it less
// than they inflate wall-clock time.
#ifndef DEVTRUST_LOADGEN_CRYPTO_BOUND_H_
#define DEVTRUST_LOADGEN_CRYPTO_BOUND_H_

#include <chrono>
#include <string>
#include <vector>

#include "base/error.h"

namespace devtrust::loadgen {

enum class Workload {
  // A login: POST /v1/challenges, then POST /v1/trust/validate.
  kValidate,
  // An enrollment: POST /v1/challenges, then POST /v1/devices.
  kRegister,
};

// "validate" or "register".
std::string_view WorkloadName(Workload workload);

struct CryptoOperationCost {
  std::string name;
  // Median CPU time of one operation over the measured batches.
  std::chrono::nanoseconds cpu_time{0};
};

struct CryptoBound {
  // The operations one request needs on the server, in the order it runs
  // them.
  std::vector<CryptoOperationCost> operations;
  std::chrono::nanoseconds cpu_per_request{0};
  unsigned cores = 1;
  // cores / cpu_per_request, in requests per second.
  double max_rate = 0;
};

// Measures the server-side operations of one `workload` request:
//   validate: ML-DSA-65 verification of the login proof, and the hybrid
//             session key (ML-KEM-768 encapsulation, an X25519 key pair and
//             agreement, HKDF-SHA256);
//   register: ML-DSA-65 and ECDSA P-256 verification of the registration
//             proof, and ML-DSA-65 and ECDSA P-256 signatures for the two
//             device certificates.
// The device certificate's chain signature is not counted for validate,
// because the server's verification cache remembers it after the first
// login, and TLS handshakes are not counted because connections are kept
// alive. Each operation runs in `batches` batches of at least
// `min_batch_time` CPU time each. Errors: those of the crypto library.
Result<CryptoBound> MeasureCryptoBound(
    Workload workload, unsigned cores, int batches = 5,
    std::chrono::milliseconds min_batch_time = std::chrono::milliseconds(100));

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_CRYPTO_BOUND_H_
