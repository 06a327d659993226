// Enrolls the devices a validation load logs in with: each registers with
// fresh keys and passes its verification challenge with the code that the
// server's webhook delivers, so it is trusted before the load starts.
#ifndef DEVTRUST_LOADGEN_DEVICE_ENROLLMENT_H_
#define DEVTRUST_LOADGEN_DEVICE_ENROLLMENT_H_

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "client/device_keys.h"
#include "client/device_trust_client.h"
#include "client/notification_receiver.h"
#include "trust/fingerprint.h"

namespace devtrust::loadgen {

struct EnrolledDevice {
  std::string user_id;
  std::string device_id;
  client::DeviceKeys keys;
  Bytes ml_dsa_certificate;  // DER
  Bytes ecdsa_certificate;   // DER
};

struct EnrollmentOptions {
  std::size_t devices = 0;
  // Device i belongs to user "<user_prefix><i>".
  std::string user_prefix;
  const trust::Fingerprint* fingerprint = nullptr;
  // Receives the verification codes; the server's webhook must point at it.
  client::NotificationReceiver* receiver = nullptr;
  std::chrono::milliseconds code_timeout{30'000};
};

// Enrolls `options.devices` devices, spread over `clients` with one thread
// per client, and returns them in order. Each thread registers all of its
// devices first and then passes their challenges, so that the webhook
// deliveries of one poll serve many devices. Errors: the first failure of
// any registration or verification (the reasons of DeviceTrustClient and
// NotificationReceiver::TakeCode), and "device_not_trusted" (kInternal)
// when a passed challenge leaves a device in another state.
Result<std::vector<EnrolledDevice>> EnrollDevices(
    std::span<client::DeviceTrustClient* const> clients, const EnrollmentOptions& options);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_DEVICE_ENROLLMENT_H_
