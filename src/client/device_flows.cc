#include "client/device_flows.h"

#include <string>
#include <utility>

#include "client/proofs.h"
#include "pki/device_identity.h"
#include "trust/proof.h"

namespace devtrust::client {
namespace {

Result<crypto::Certificate> CheckIssuedCertificate(ByteView der, const crypto::PrivateKey& key,
                                                   const pki::DeviceIdentity& identity,
                                                   std::string_view name) {
  const auto mismatch = [name](std::string_view problem) {
    return MakeError(StatusCode::kInternal, "certificate_mismatch",
                     "the server returned an " + std::string(name) + " certificate that " +
                         std::string(problem) +
                         "; the device was registered but its certificate cannot be used, so "
                         "revoke it and check the server");
  };
  Result<crypto::Certificate> certificate = crypto::Certificate::FromDer(der);
  if (!certificate) {
    return mismatch("does not parse");
  }
  Result<crypto::PublicKey> certified = certificate->public_key();
  if (!certified || certified->ToSpkiDer() != key.GetPublicKey().ToSpkiDer()) {
    return mismatch("certifies another key");
  }
  Result<pki::DeviceIdentity> named = pki::DeviceIdentityFromCertificate(*certificate);
  if (!named || *named != identity) {
    return mismatch("names another device or user");
  }
  return certificate;
}

}  // namespace

Result<RegisteredDevice> RegisterDevice(DeviceTrustClient& client, const DeviceKeys& keys,
                                        std::string_view user_id,
                                        const trust::Fingerprint& fingerprint) {
  Result<Challenge> challenge = client.CreateRegistrationChallenge(user_id);
  if (!challenge) {
    return std::unexpected(challenge.error());
  }
  Result<ProofSignatures> signatures =
      SignRegistrationProof(keys, user_id, challenge->nonce, fingerprint);
  if (!signatures) {
    return std::unexpected(signatures.error());
  }

  const RegistrationRequest request{.user_id = std::string(user_id),
                                    .nonce = std::move(challenge->nonce),
                                    .public_keys = PublicKeysOf(keys),
                                    .fingerprint = fingerprint,
                                    .signatures = std::move(*signatures)};
  const auto started = std::chrono::steady_clock::now();
  Result<Registration> registration = client.RegisterDevice(request);
  const auto latency = std::chrono::steady_clock::now() - started;
  if (!registration) {
    return std::unexpected(registration.error());
  }

  const pki::DeviceIdentity identity{.device_id = registration->device_id,
                                     .user_id = std::string(user_id)};
  Result<crypto::Certificate> ml_dsa =
      CheckIssuedCertificate(registration->ml_dsa_certificate, keys.ml_dsa, identity, "ML-DSA-65");
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  Result<crypto::Certificate> ecdsa =
      CheckIssuedCertificate(registration->ecdsa_certificate, keys.ecdsa, identity, "ECDSA P-256");
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  return RegisteredDevice{.registration = std::move(*registration),
                          .ml_dsa_certificate = std::move(*ml_dsa),
                          .ecdsa_certificate = std::move(*ecdsa),
                          .registration_latency = latency};
}

Result<LoginOutcome> LogIn(DeviceTrustClient& client, const LoginCredentials& credentials,
                           const trust::Fingerprint& fingerprint) {
  Result<Challenge> challenge =
      client.CreateLoginChallenge(credentials.user_id, credentials.device_id);
  if (!challenge) {
    return std::unexpected(challenge.error());
  }
  Result<ProofSignatures> signatures = SignLoginProof(
      *credentials.keys, credentials.user_id, credentials.device_id, challenge->nonce, fingerprint);
  if (!signatures) {
    return std::unexpected(signatures.error());
  }

  const ValidationRequest request{.user_id = std::string(credentials.user_id),
                                  .device_id = std::string(credentials.device_id),
                                  .nonce = challenge->nonce,
                                  .certificate = credentials.ml_dsa_certificate->ToDer(),
                                  .classical_certificate = credentials.ecdsa_certificate->ToDer(),
                                  .fingerprint = fingerprint,
                                  .signatures = std::move(*signatures)};
  const auto started = std::chrono::steady_clock::now();
  Result<ValidationResult> result = client.Validate(request);
  const auto latency = std::chrono::steady_clock::now() - started;
  if (!result) {
    return std::unexpected(result.error());
  }

  LoginOutcome outcome{.result = std::move(*result),
                       .session = std::nullopt,
                       .session_error = std::nullopt,
                       .validation_latency = latency};
  if (outcome.result.session) {
    Result<SessionAgreement> agreement =
        CheckSessionKey(*credentials.keys, *outcome.result.session,
                        trust::LoginSessionLabel(credentials.device_id, challenge->nonce));
    if (agreement) {
      outcome.session = *agreement;
    } else {
      outcome.session_error = agreement.error();
    }
  }
  return outcome;
}

}  // namespace devtrust::client
