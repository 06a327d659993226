#include "loadgen/device_enrollment.h"

#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "client/device_flows.h"

namespace devtrust::loadgen {
namespace {

// A registered device waiting for its code.
struct PendingDevice {
  std::size_t index = 0;
  std::string challenge_id;
};

// Keeps the first error any thread reports.
class FirstError {
 public:
  void Set(Error error) {
    std::lock_guard lock(mutex_);
    if (!error_.has_value()) error_ = std::move(error);
  }
  bool IsSet() {
    std::lock_guard lock(mutex_);
    return error_.has_value();
  }
  std::optional<Error> Take() {
    std::lock_guard lock(mutex_);
    return std::move(error_);
  }

 private:
  std::mutex mutex_;
  std::optional<Error> error_;
};

void EnrollShare(client::DeviceTrustClient& client, std::size_t first, std::size_t stride,
                 const EnrollmentOptions& options, std::vector<std::optional<EnrolledDevice>>& out,
                 FirstError& failure) {
  std::vector<PendingDevice> pending;
  for (std::size_t index = first; index < options.devices && !failure.IsSet(); index += stride) {
    Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
    if (!keys) return failure.Set(keys.error());
    const std::string user_id = options.user_prefix + std::to_string(index);
    Result<client::RegisteredDevice> registered =
        client::RegisterDevice(client, *keys, user_id, *options.fingerprint);
    if (!registered) return failure.Set(registered.error());

    const client::Registration& registration = registered->registration;
    pending.push_back({index, registration.verification.challenge_id});
    out[index] = EnrolledDevice{.user_id = user_id,
                                .device_id = registration.device_id,
                                .keys = *std::move(keys),
                                .ml_dsa_certificate = registration.ml_dsa_certificate,
                                .ecdsa_certificate = registration.ecdsa_certificate};
  }

  for (const PendingDevice& device : pending) {
    if (failure.IsSet()) return;
    Result<crypto::SecretBytes> code =
        options.receiver->TakeCode(device.challenge_id, options.code_timeout);
    if (!code) return failure.Set(code.error());
    const std::string& device_id = out[device.index]->device_id;
    Result<client::DeviceRecord> record =
        client.VerifyDevice(device_id, device.challenge_id, *code);
    if (!record) return failure.Set(record.error());
    if (record->status != "trusted") {
      return failure.Set(Error(StatusCode::kInternal, "device_not_trusted",
                               "device " + device_id + " is " + record->status +
                                   " after passing its registration challenge"));
    }
  }
}

}  // namespace

Result<std::vector<EnrolledDevice>> EnrollDevices(
    std::span<client::DeviceTrustClient* const> clients, const EnrollmentOptions& options) {
  if (clients.empty() || options.fingerprint == nullptr || options.receiver == nullptr) {
    return MakeError(StatusCode::kInvalidArgument, "enrollment_options_invalid",
                     "enrolling devices needs at least one client, a fingerprint and a "
                     "notification receiver");
  }

  std::vector<std::optional<EnrolledDevice>> enrolled(options.devices);
  FirstError failure;
  std::vector<std::thread> threads;
  const std::size_t stride = std::min(clients.size(), std::max<std::size_t>(options.devices, 1));
  for (std::size_t t = 0; t < stride; ++t) {
    threads.emplace_back(
        [&, t] { EnrollShare(*clients[t], t, stride, options, enrolled, failure); });
  }
  for (std::thread& thread : threads) thread.join();
  if (std::optional<Error> error = failure.Take(); error.has_value()) {
    return std::unexpected(*std::move(error));
  }

  std::vector<EnrolledDevice> devices;
  devices.reserve(enrolled.size());
  for (std::optional<EnrolledDevice>& device : enrolled) devices.push_back(*std::move(device));
  return devices;
}

}  // namespace devtrust::loadgen
