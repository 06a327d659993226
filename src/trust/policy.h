// When a login may continue on a classical algorithm instead of the
// post-quantum one.
//
// Each fallback trades quantum resistance for availability, and each one an
// allowed login uses is reported through fallback telemetry (see
// decision.h). The defaults allow the two fallbacks an attacker gains nothing
// from today and forbid the one that lets a bad certificate switch the
// identity proof to ECDSA:
//   classical_session_key: true. ML-KEM-768 missing or failed: the session
//       key comes from X25519. The device has already proven its identity
//       with ML-DSA, so only the session's confidentiality against a future
//       quantum attacker is lost.
//   ecdsa_certificate: false. The ML-DSA certificate is invalid: the device
//       authenticates with its ECDSA P-256 twin. Anyone able to corrupt the
//       ML-DSA certificate in transit could force this path, so the
//       post-quantum identity would become optional. Enable it only to keep
//       devices with a broken ML-DSA implementation working, and watch the
//       fallback alert.
//   tls_without_hybrid_group: true. The TLS peer offers no X25519MLKEM768
//       group, so the connection uses a classical key exchange.
#ifndef DEVTRUST_TRUST_POLICY_H_
#define DEVTRUST_TRUST_POLICY_H_

#include <optional>
#include <string_view>

#include "base/error.h"
#include "trust/decision.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace devtrust::trust {

enum class FallbackKind {
  kClassicalSessionKey,    // "classical_session_key"
  kEcdsaCertificate,       // "ecdsa_certificate"
  kTlsWithoutHybridGroup,  // "tls_without_hybrid_group"
};

std::string_view FallbackKindName(FallbackKind kind);
std::optional<FallbackKind> ParseFallbackKind(std::string_view name);

struct FallbackPolicy {
  bool allow_classical_session_key = true;
  bool allow_ecdsa_certificate = false;
  bool allow_tls_without_hybrid_group = true;

  bool Allows(FallbackKind kind) const;

  // classical_fallback (trusted, with fallback telemetry) when the policy
  // allows `kind`, else fallback_not_allowed (denied).
  Decision Decide(FallbackKind kind) const;

  // Reads a YAML mapping whose keys are the FallbackKind names with boolean
  // values; absent keys keep their defaults:
  //   classical_session_key: true
  //   ecdsa_certificate: false
  //   tls_without_hybrid_group: true
  // Fails with reason "fallback_policy_invalid" on unknown keys and
  // non-boolean values. yaml-cpp exceptions are caught and returned as that
  // error.
  static Result<FallbackPolicy> FromYaml(const YAML::Node& node);
};

}  // namespace devtrust::trust

#endif  // DEVTRUST_TRUST_POLICY_H_
