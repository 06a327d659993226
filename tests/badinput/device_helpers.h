// The device side of the hardening tests, built only from devtrust's own
// client library (src/client): fresh keys, signed registration and login
// requests, enrollment through the webhook code, and the error code of a
// response.
#ifndef DEVTRUST_TESTS_BADINPUT_DEVICE_HELPERS_H_
#define DEVTRUST_TESTS_BADINPUT_DEVICE_HELPERS_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "client/api_messages.h"
#include "client/device_keys.h"
#include "client/device_trust_client.h"
#include "client/notification_receiver.h"
#include "trust/fingerprint.h"

namespace devtrust::hardening {

// The fingerprint every test device reports.
trust::Fingerprint LaptopFingerprint();

// A device that passed its registration challenge, so it is trusted.
struct EnrolledDevice {
  client::DeviceKeys keys;
  std::string user_id;
  std::string device_id;
  Bytes ml_dsa_certificate;  // DER
  Bytes ecdsa_certificate;   // DER
};

// A registration of `keys` for `user_id`, signed over `nonce` with the proofs
// of client/proofs.h. Errors: those of client::SignRegistrationProof.
Result<client::RegistrationRequest> SignRegistration(const client::DeviceKeys& keys,
                                                     std::string_view user_id, ByteView nonce,
                                                     const trust::Fingerprint& fingerprint);

// Requests a registration nonce for `user_id` and signs a registration over
// it. Errors: those of the client and of SignRegistration.
Result<client::RegistrationRequest> NewSignedRegistration(client::DeviceTrustClient& client,
                                                          const client::DeviceKeys& keys,
                                                          std::string_view user_id,
                                                          const trust::Fingerprint& fingerprint);

// Registers fresh keys for `user_id` and passes the registration challenge
// with the code that reached `receiver`. Errors: those of
// client::RegisterDevice, NotificationReceiver::TakeCode and VerifyDevice,
// and "device_not_trusted" when the device is not trusted afterwards.
Result<EnrolledDevice> EnrollTrustedDevice(client::DeviceTrustClient& client,
                                           client::NotificationReceiver& receiver,
                                           std::string_view user_id);

// A login of `device` signed over `nonce`.
Result<client::ValidationRequest> SignLogin(const EnrolledDevice& device, ByteView nonce,
                                            const trust::Fingerprint& fingerprint);

// Requests a login nonce for `device` and signs a login over it.
Result<client::ValidationRequest> NewSignedLogin(client::DeviceTrustClient& client,
                                                 const EnrolledDevice& device);

// The `error.code` member of an error response body; "" when the body has
// none.
std::string ErrorCodeOf(std::string_view body);

// Parses a JSON object, such as a request body that a test then alters.
// Aborts on text that is not a JSON object, since the test built it.
boost::json::object ParseObject(std::string_view text);

}  // namespace devtrust::hardening

#endif  // DEVTRUST_TESTS_BADINPUT_DEVICE_HELPERS_H_
