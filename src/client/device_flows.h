// The device side's two protocol runs, shared by `devtrust device` and
// `devtrust replay-logins`: registering a device, and logging in with a
// proof of possession.
#ifndef DEVTRUST_CLIENT_DEVICE_FLOWS_H_
#define DEVTRUST_CLIENT_DEVICE_FLOWS_H_

#include <chrono>
#include <optional>
#include <string_view>

#include "base/error.h"
#include "client/api_messages.h"
#include "client/device_keys.h"
#include "client/device_trust_client.h"
#include "client/session_check.h"
#include "crypto/x509.h"
#include "trust/fingerprint.h"

namespace devtrust::client {

struct RegisteredDevice {
  Registration registration;
  crypto::Certificate ml_dsa_certificate;
  crypto::Certificate ecdsa_certificate;
  // The time from sending the registration to its response.
  std::chrono::nanoseconds registration_latency{0};
};

// Requests a registration challenge for `user_id`, signs the registration
// proofs and registers the device. The returned certificates must certify
// the device's ML-DSA-65 and ECDSA keys and name the returned device id and
// `user_id`. Any other response fails with reason "certificate_mismatch"
// (kInternal). Other errors: those of DeviceTrustClient and
// SignRegistrationProof.
Result<RegisteredDevice> RegisterDevice(DeviceTrustClient& client, const DeviceKeys& keys,
                                        std::string_view user_id,
                                        const trust::Fingerprint& fingerprint);

// The credentials a login presents.
struct LoginCredentials {
  std::string_view user_id;
  std::string_view device_id;
  const DeviceKeys* keys = nullptr;
  const crypto::Certificate* ml_dsa_certificate = nullptr;
  const crypto::Certificate* ecdsa_certificate = nullptr;
};

struct LoginOutcome {
  ValidationResult result;
  // Set when the result carries a session block and the device could derive
  // its key; session_error is set when it could not.
  std::optional<SessionAgreement> session;
  std::optional<Error> session_error;
  // The time from sending the validation request to its response, the round
  // trip a relying party waits for at login.
  std::chrono::nanoseconds validation_latency{0};
};

// Requests a login challenge, signs the login proofs over `fingerprint`,
// validates, and checks the session key when the result carries one (with
// the transcript label trust::LoginSessionLabel). A challenged or denied device is an outcome, not
// an error. Errors: those of DeviceTrustClient and SignLoginProof.
Result<LoginOutcome> LogIn(DeviceTrustClient& client, const LoginCredentials& credentials,
                           const trust::Fingerprint& fingerprint);

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_DEVICE_FLOWS_H_
