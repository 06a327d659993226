#include "device_helpers.h"

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdlib>
#include <utility>

#include "client/device_flows.h"
#include "client/proofs.h"

namespace devtrust::hardening {

trust::Fingerprint LaptopFingerprint() {
  const std::pair<std::string_view, std::string_view> attributes[] = {
      {"user_agent",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36"},
      {"platform", "Linux x86_64"},
      {"screen_width", "1920"},
      {"screen_height", "1080"},
      {"timezone", "Europe/Berlin"},
      {"language", "en-US"}};
  Result<trust::Fingerprint> fingerprint = trust::Fingerprint::FromAttributes(attributes);
  if (!fingerprint) std::abort();
  return *std::move(fingerprint);
}

Result<client::RegistrationRequest> SignRegistration(const client::DeviceKeys& keys,
                                                     std::string_view user_id, ByteView nonce,
                                                     const trust::Fingerprint& fingerprint) {
  Result<client::ProofSignatures> signatures =
      client::SignRegistrationProof(keys, user_id, nonce, fingerprint);
  if (!signatures) return std::unexpected(std::move(signatures).error());
  return client::RegistrationRequest{.user_id = std::string(user_id),
                                     .nonce = Bytes(nonce.begin(), nonce.end()),
                                     .public_keys = client::PublicKeysOf(keys),
                                     .fingerprint = fingerprint,
                                     .signatures = *std::move(signatures)};
}

Result<client::RegistrationRequest> NewSignedRegistration(client::DeviceTrustClient& client,
                                                          const client::DeviceKeys& keys,
                                                          std::string_view user_id,
                                                          const trust::Fingerprint& fingerprint) {
  Result<client::Challenge> challenge = client.CreateRegistrationChallenge(user_id);
  if (!challenge) return std::unexpected(std::move(challenge).error());
  return SignRegistration(keys, user_id, challenge->nonce, fingerprint);
}

Result<EnrolledDevice> EnrollTrustedDevice(client::DeviceTrustClient& client,
                                           client::NotificationReceiver& receiver,
                                           std::string_view user_id) {
  Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
  if (!keys) return std::unexpected(std::move(keys).error());
  Result<client::RegisteredDevice> registered =
      client::RegisterDevice(client, *keys, user_id, LaptopFingerprint());
  if (!registered) return std::unexpected(std::move(registered).error());
  const client::Registration& registration = registered->registration;

  Result<crypto::SecretBytes> code =
      receiver.TakeCode(registration.verification.challenge_id, std::chrono::milliseconds(15'000));
  if (!code) return std::unexpected(std::move(code).error());
  Result<client::DeviceRecord> verified =
      client.VerifyDevice(registration.device_id, registration.verification.challenge_id, *code);
  if (!verified) return std::unexpected(std::move(verified).error());
  if (verified->status != "trusted") {
    return MakeError(StatusCode::kFailedPrecondition, "device_not_trusted",
                     "device " + registration.device_id + " is " + verified->status +
                         " after its registration challenge passed");
  }

  return EnrolledDevice{.keys = *std::move(keys),
                        .user_id = std::string(user_id),
                        .device_id = registration.device_id,
                        .ml_dsa_certificate = registration.ml_dsa_certificate,
                        .ecdsa_certificate = registration.ecdsa_certificate};
}

Result<client::ValidationRequest> SignLogin(const EnrolledDevice& device, ByteView nonce,
                                            const trust::Fingerprint& fingerprint) {
  Result<client::ProofSignatures> signatures =
      client::SignLoginProof(device.keys, device.user_id, device.device_id, nonce, fingerprint);
  if (!signatures) return std::unexpected(std::move(signatures).error());
  return client::ValidationRequest{.user_id = device.user_id,
                                   .device_id = device.device_id,
                                   .nonce = Bytes(nonce.begin(), nonce.end()),
                                   .certificate = device.ml_dsa_certificate,
                                   .classical_certificate = device.ecdsa_certificate,
                                   .fingerprint = fingerprint,
                                   .signatures = *std::move(signatures)};
}

Result<client::ValidationRequest> NewSignedLogin(client::DeviceTrustClient& client,
                                                 const EnrolledDevice& device) {
  Result<client::Challenge> challenge =
      client.CreateLoginChallenge(device.user_id, device.device_id);
  if (!challenge) return std::unexpected(std::move(challenge).error());
  return SignLogin(device, challenge->nonce, LaptopFingerprint());
}

std::string ErrorCodeOf(std::string_view body) {
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(body, error);
  if (error || !value.is_object()) return "";
  const boost::json::value* detail = value.as_object().if_contains("error");
  if (detail == nullptr || !detail->is_object()) return "";
  const boost::json::value* code = detail->as_object().if_contains("code");
  if (code == nullptr || !code->is_string()) return "";
  return std::string(code->as_string());
}

boost::json::object ParseObject(std::string_view text) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error);
  if (error || !value.is_object()) std::abort();
  return std::move(value.as_object());
}

}  // namespace devtrust::hardening
