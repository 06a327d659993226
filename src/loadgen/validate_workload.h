// The validation load: each request is one login of an enrolled device. It
// fetches a login challenge (POST /v1/challenges), signs the login proof
// with the device's keys as the device would, and validates
// (POST /v1/trust/validate). The device side does not check the session key
// it gets back, which would add an ML-KEM decapsulation per request to the
// load generator's share of the machine.
#ifndef DEVTRUST_LOADGEN_VALIDATE_WORKLOAD_H_
#define DEVTRUST_LOADGEN_VALIDATE_WORKLOAD_H_

#include <span>

#include "client/device_trust_client.h"
#include "loadgen/device_enrollment.h"
#include "loadgen/open_loop_runner.h"
#include "trust/fingerprint.h"

namespace devtrust::loadgen {

class ValidateSession final : public LoadSession {
 public:
  // Request i logs in with devices[i % devices.size()], which must not be
  // empty. Every argument must outlive the session.
  ValidateSession(client::DeviceTrustClient& client, std::span<const EnrolledDevice> devices,
                  const trust::Fingerprint& fingerprint)
      : client_(client), devices_(devices), fingerprint_(fingerprint) {}

  // ok when the decision is "trusted". Other labels:
  // "challenge:<reason>" and "validate:<reason>" for a request that failed
  // (the error reasons of DeviceTrustClient), "sign:<reason>", and
  // "decision:<trust_result>:<reason>" for any other decision.
  RequestOutcome Execute(std::size_t index) override;

 private:
  client::DeviceTrustClient& client_;
  std::span<const EnrolledDevice> devices_;
  const trust::Fingerprint& fingerprint_;
};

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_VALIDATE_WORKLOAD_H_
