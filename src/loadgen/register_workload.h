// The registration load: each request enrolls a new device. It fetches a
// registration challenge (POST /v1/challenges), signs the registration proof
// and registers (POST /v1/devices), which leaves the device pending with a
// verification challenge and a queued notification.
//
// Key sets come from a pool generated before the load starts and are reused
// round robin, so the load generator spends its share of the machine on the
// signatures a device makes rather than on key generation. The server does
// not require distinct keys per device, and each registration still gets its
// own device id and certificates.
#ifndef DEVTRUST_LOADGEN_REGISTER_WORKLOAD_H_
#define DEVTRUST_LOADGEN_REGISTER_WORKLOAD_H_

#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "client/device_keys.h"
#include "client/device_trust_client.h"
#include "loadgen/open_loop_runner.h"
#include "trust/fingerprint.h"

namespace devtrust::loadgen {

// Generates `count` key sets. Errors: those of client::GenerateDeviceKeys.
Result<std::vector<client::DeviceKeys>> GenerateKeyPool(std::size_t count);

class RegisterSession final : public LoadSession {
 public:
  // Request i registers key set i % key_pool.size() (not empty) for user
  // "<user_prefix><i % key_pool.size()>". Every argument must outlive the
  // session.
  RegisterSession(client::DeviceTrustClient& client, std::span<const client::DeviceKeys> key_pool,
                  std::string user_prefix, const trust::Fingerprint& fingerprint)
      : client_(client),
        key_pool_(key_pool),
        user_prefix_(std::move(user_prefix)),
        fingerprint_(fingerprint) {}

  // ok when the device is registered as "pending". Other labels:
  // "challenge:<reason>", "register:<reason>", "sign:<reason>", and
  // "status:<status>" for a registration answered with another status.
  RequestOutcome Execute(std::size_t index) override;

 private:
  client::DeviceTrustClient& client_;
  std::span<const client::DeviceKeys> key_pool_;
  std::string user_prefix_;
  const trust::Fingerprint& fingerprint_;
};

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_REGISTER_WORKLOAD_H_
