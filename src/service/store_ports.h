// The validation pipeline's nonce ledger and device directory, over the
// Store. One instance serves one request.
#ifndef DEVTRUST_SERVICE_STORE_PORTS_H_
#define DEVTRUST_SERVICE_STORE_PORTS_H_

#include <functional>
#include <optional>

#include "store/store.h"
#include "trust/validation_pipeline_ports.h"

namespace devtrust::service {

// Consumes login nonces by their SHA-256 digest, the form the store keeps.
class StoreNonceLedger final : public trust::NonceLedger {
 public:
  StoreNonceLedger(store::Store& store, std::function<store::TimePoint()> clock)
      : store_(store), clock_(std::move(clock)) {}

  Result<trust::NonceOutcome> ConsumeLoginNonce(const trust::LoginNonceClaim& claim) override;

 private:
  store::Store& store_;
  std::function<store::TimePoint()> clock_;
};

// Reads devices and certificates, and keeps the device record it read for
// the crypto ports, which need its keys.
class StoreDeviceDirectory final : public trust::DeviceDirectory {
 public:
  explicit StoreDeviceDirectory(store::Store& store) : store_(store) {}

  // Errors besides the store's: "stored_fingerprint_invalid" (kDataLoss)
  // when a stored fingerprint does not parse.
  Result<std::optional<trust::EnrolledDevice>> FindDevice(std::string_view device_id) override;
  Result<std::optional<trust::IssuedCertificate>> FindCertificate(std::string_view serial) override;

  // The record FindDevice last found.
  const std::optional<store::DeviceRecord>& record() const { return record_; }

 private:
  store::Store& store_;
  std::optional<store::DeviceRecord> record_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_STORE_PORTS_H_
