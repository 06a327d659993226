#include "service/service_keys.h"

#include <string>
#include <string_view>
#include <utility>

#include "base/status_macros.h"
#include "crypto/hkdf.h"

namespace devtrust::service {
namespace {

constexpr std::string_view kCodeMacInfo = "devtrust service v1 verification code mac";
constexpr std::string_view kCodeSealingInfo = "devtrust service v1 notification code sealing";
constexpr std::string_view kLogDigestInfo = "devtrust service v1 log fingerprint digest";

Result<crypto::SecretBytes> DeriveKey(const crypto::SecretBytes& master, std::string_view info) {
  return crypto::HkdfSha256(master.view(), {}, AsBytes(info), 32);
}

}  // namespace

Result<ServiceKeys> ServiceKeys::Derive(const crypto::SecretBytes& master_secret) {
  if (master_secret.size() < kMasterSecretSize) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_key",
                     "the service master secret has " + std::to_string(master_secret.size()) +
                         " bytes; it needs at least " + std::to_string(kMasterSecretSize));
  }

  DEVTRUST_ASSIGN_OR_RETURN(crypto::SecretBytes code_mac, DeriveKey(master_secret, kCodeMacInfo));
  DEVTRUST_ASSIGN_OR_RETURN(crypto::SecretBytes sealing,
                            DeriveKey(master_secret, kCodeSealingInfo));
  DEVTRUST_ASSIGN_OR_RETURN(crypto::SecretBytes log_digest,
                            DeriveKey(master_secret, kLogDigestInfo));
  DEVTRUST_ASSIGN_OR_RETURN(crypto::Aes256Gcm sealing_key,
                            crypto::Aes256Gcm::Create(std::move(sealing)));
  return ServiceKeys(std::move(code_mac), std::move(sealing_key), std::move(log_digest));
}

}  // namespace devtrust::service
