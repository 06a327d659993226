// DeviceService: reads devices and revokes them (GET /v1/devices/{id},
// GET /v1/users/{user_id}/devices, POST /v1/devices/{id}/revoke).
#ifndef DEVTRUST_SERVICE_DEVICE_SERVICE_H_
#define DEVTRUST_SERVICE_DEVICE_SERVICE_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "service/ca_service.h"
#include "service/device_key_cache.h"
#include "service/request_facts.h"
#include "service/service_context.h"
#include "store/records.h"

namespace devtrust::service {

// Revocation reasons are 1 to 64 characters of [a-z0-9_]; the RFC 5280
// names in snake_case also set the CRL entry's reason (CrlReasonFor).
inline constexpr std::size_t kMaxRevocationReasonLength = 64;

class DeviceService {
 public:
  DeviceService(const ServiceContext& context, CaService& ca_service, DeviceKeyCache& key_cache)
      : context_(context), ca_service_(ca_service), key_cache_(key_cache) {}

  // Errors: "invalid_device_id" (400), "device_not_found" (404), the store's.
  Result<store::DeviceRecord> Get(std::string_view device_id) const;

  // The user's devices, newest first, at most store::kMaxListLimit. Errors:
  // "invalid_user_id" (400), the store's.
  Result<std::vector<store::DeviceRecord>> ListByUser(std::string_view user_id) const;

  // Revokes the device and all its certificates in one transaction, updates
  // the CA's revocation set and reissues the CRLs, and drops the device's
  // cached keys. Revoking a revoked device changes nothing and returns it.
  // `reason` empty means "unspecified". Errors: those of Get;
  // "invalid_revocation_reason" (400); the store's and the CA's.
  Result<store::DeviceRecord> Revoke(std::string_view device_id, std::string_view reason,
                                     const RequestFacts& facts) const;

 private:
  const ServiceContext& context_;
  CaService& ca_service_;
  DeviceKeyCache& key_cache_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_DEVICE_SERVICE_H_
