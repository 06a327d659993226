// The validation pipeline's nonce ledger and device directory, over the
// Store. One instance serves one request.
#ifndef DEVTRUST_SERVICE_STORE_PORTS_H_
#define DEVTRUST_SERVICE_STORE_PORTS_H_

#include <functional>
#include <optional>
#include <string_view>

#include "base/bytes.h"
#include "store/store.h"
#include "trust/validation_pipeline_ports.h"

namespace devtrust::service {

// The store's claim for a login nonce: its SHA-256 digest, the form the
// store keeps, bound to the user and device.
store::NonceClaim StoredLoginNonceClaim(ByteView nonce, std::string_view user_id,
                                        std::string_view device_id);

// The pipeline's name for a nonce outcome of the store, whose kConsumed is
// trust::NonceOutcome::kValid.
trust::NonceOutcome ToTrustNonceOutcome(store::NonceOutcome outcome);

// Reads the state of login nonces from the store (Store::CheckNonce). The
// validation consumes them when it stores its decision.
class StoreNonceLedger final : public trust::NonceLedger {
 public:
  StoreNonceLedger(store::Store& store, std::function<store::TimePoint()> clock)
      : store_(store), clock_(std::move(clock)) {}

  Result<trust::NonceOutcome> CheckLoginNonce(const trust::LoginNonceClaim& claim) override;

 private:
  store::Store& store_;
  std::function<store::TimePoint()> clock_;
};

// Reports an outcome the store has already returned for the nonce, for the
// second run of a validation whose write found its nonce consumed by
// another request.
class ReportedNonceLedger final : public trust::NonceLedger {
 public:
  explicit ReportedNonceLedger(trust::NonceOutcome outcome) : outcome_(outcome) {}

  Result<trust::NonceOutcome> CheckLoginNonce(const trust::LoginNonceClaim&) override {
    return outcome_;
  }

 private:
  trust::NonceOutcome outcome_;
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
