#include "loadgen/crypto_bound.h"

#include <time.h>

#include <algorithm>
#include <functional>
#include <utility>

#include "crypto/keys.h"
#include "crypto/random.h"
#include "crypto/session_key.h"
#include "crypto/signature.h"
#include "trust/proof.h"

namespace devtrust::loadgen {
namespace {

// About the size of a device certificate's TBSCertificate, most of which is
// the 1,952-byte ML-DSA-65 public key.
constexpr std::size_t kCertificateBodySize = 2'500;
// About the size of the login encoding: ids, nonce and a fingerprint.
constexpr std::size_t kLoginProofSize = 600;
// About the size of the registration encoding: four public keys and a
// fingerprint.
constexpr std::size_t kRegistrationProofSize = 4'000;

std::chrono::nanoseconds ThreadCpuTime() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// Runs `operation` in `batches` batches of at least `min_batch_time` CPU
// time and returns the median CPU time per call.
Result<std::chrono::nanoseconds> MeasureOperation(const std::function<Status()>& operation,
                                                  int batches,
                                                  std::chrono::milliseconds min_batch_time) {
  // One call outside the measurement loads code and tables into the caches.
  if (Status warm = operation(); !warm) return std::unexpected(warm.error());

  std::vector<std::chrono::nanoseconds> per_call;
  for (int batch = 0; batch < batches; ++batch) {
    const std::chrono::nanoseconds started = ThreadCpuTime();
    std::int64_t calls = 0;
    std::chrono::nanoseconds spent{0};
    while (spent < min_batch_time) {
      if (Status done = operation(); !done) return std::unexpected(done.error());
      ++calls;
      spent = ThreadCpuTime() - started;
    }
    per_call.push_back(spent / calls);
  }
  std::sort(per_call.begin(), per_call.end());
  return per_call[per_call.size() / 2];
}

struct NamedOperation {
  std::string name;
  std::function<Status()> run;
};

Status AsStatus(const Result<Bytes>& result) {
  if (!result) return std::unexpected(result.error());
  return {};
}

Result<std::vector<NamedOperation>> ValidateOperations() {
  Result<crypto::PrivateKey> ml_dsa = crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa65);
  if (!ml_dsa) return std::unexpected(ml_dsa.error());
  Result<crypto::PrivateKey> ml_kem = crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlKem768);
  if (!ml_kem) return std::unexpected(ml_kem.error());
  Result<crypto::PrivateKey> x25519 = crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kX25519);
  if (!x25519) return std::unexpected(x25519.error());
  Result<Bytes> message = crypto::RandomBytes(kLoginProofSize);
  if (!message) return std::unexpected(message.error());
  Result<Bytes> signature = crypto::Sign(*ml_dsa, *message, {.context = trust::kLoginProofContext});
  if (!signature) return std::unexpected(signature.error());

  std::vector<NamedOperation> operations;
  operations.push_back({"ML-DSA-65 verify (login proof)",
                        [key = ml_dsa->GetPublicKey(), message = *message, signature = *signature] {
                          return crypto::Verify(key, message, signature, trust::kLoginProofContext);
                        }});
  operations.push_back({"ML-KEM-768 + X25519 session key (encapsulation, X25519, HKDF)",
                        [ml_kem_key = ml_kem->GetPublicKey(), x25519_key = x25519->GetPublicKey()] {
                          Result<crypto::ServerSession> session = crypto::EstablishHybridSession(
                              ml_kem_key, x25519_key, "login/bench/nonce");
                          if (!session) return Status(std::unexpected(session.error()));
                          return Status();
                        }});
  return operations;
}

Result<std::vector<NamedOperation>> RegisterOperations() {
  Result<crypto::PrivateKey> device_ml_dsa =
      crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa65);
  if (!device_ml_dsa) return std::unexpected(device_ml_dsa.error());
  Result<crypto::PrivateKey> device_ecdsa =
      crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kEcdsaP256);
  if (!device_ecdsa) return std::unexpected(device_ecdsa.error());
  Result<crypto::PrivateKey> ca_ml_dsa =
      crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa65);
  if (!ca_ml_dsa) return std::unexpected(ca_ml_dsa.error());
  Result<crypto::PrivateKey> ca_ecdsa =
      crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kEcdsaP256);
  if (!ca_ecdsa) return std::unexpected(ca_ecdsa.error());

  Result<Bytes> proof = crypto::RandomBytes(kRegistrationProofSize);
  if (!proof) return std::unexpected(proof.error());
  Result<Bytes> ml_dsa_signature =
      crypto::Sign(*device_ml_dsa, *proof, {.context = trust::kRegistrationProofContext});
  if (!ml_dsa_signature) return std::unexpected(ml_dsa_signature.error());
  Result<Bytes> ecdsa_signature = crypto::Sign(*device_ecdsa, *proof);
  if (!ecdsa_signature) return std::unexpected(ecdsa_signature.error());
  Result<Bytes> certificate_body = crypto::RandomBytes(kCertificateBodySize);
  if (!certificate_body) return std::unexpected(certificate_body.error());

  std::vector<NamedOperation> operations;
  operations.push_back(
      {"ML-DSA-65 verify (registration proof)",
       [key = device_ml_dsa->GetPublicKey(), proof = *proof, signature = *ml_dsa_signature] {
         return crypto::Verify(key, proof, signature, trust::kRegistrationProofContext);
       }});
  operations.push_back(
      {"ECDSA P-256 verify (registration proof)",
       [key = device_ecdsa->GetPublicKey(), proof = *proof, signature = *ecdsa_signature] {
         return crypto::Verify(key, proof, signature);
       }});
  operations.push_back(
      {"ML-DSA-65 sign (device certificate)",
       [key = *ca_ml_dsa, body = *certificate_body] { return AsStatus(crypto::Sign(key, body)); }});
  operations.push_back(
      {"ECDSA P-256 sign (twin certificate)",
       [key = *ca_ecdsa, body = *certificate_body] { return AsStatus(crypto::Sign(key, body)); }});
  return operations;
}

}  // namespace

std::string_view WorkloadName(Workload workload) {
  switch (workload) {
    case Workload::kValidate:
      return "validate";
    case Workload::kRegister:
      return "register";
  }
  return "validate";
}

Result<CryptoBound> MeasureCryptoBound(Workload workload, unsigned cores, int batches,
                                       std::chrono::milliseconds min_batch_time) {
  Result<std::vector<NamedOperation>> operations =
      workload == Workload::kValidate ? ValidateOperations() : RegisterOperations();
  if (!operations) return std::unexpected(operations.error());

  CryptoBound bound;
  bound.cores = std::max(cores, 1u);
  for (const NamedOperation& operation : *operations) {
    Result<std::chrono::nanoseconds> cost =
        MeasureOperation(operation.run, std::max(batches, 1), min_batch_time);
    if (!cost) return std::unexpected(cost.error());
    bound.operations.push_back({operation.name, *cost});
    bound.cpu_per_request += *cost;
  }
  const double seconds = std::chrono::duration<double>(bound.cpu_per_request).count();
  bound.max_rate = seconds > 0 ? static_cast<double>(bound.cores) / seconds : 0;
  return bound;
}

}  // namespace devtrust::loadgen
