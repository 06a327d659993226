// What the transport knows about a request that the trust flows need, and
// the TLS fallback rule of those flows.
#ifndef DEVTRUST_SERVICE_REQUEST_FACTS_H_
#define DEVTRUST_SERVICE_REQUEST_FACTS_H_

#include <string>

#include "base/error.h"
#include "service/flow_recorder.h"
#include "service/service_context.h"

namespace devtrust::service {

struct RequestFacts {
  // 32 lowercase hex digits, shared by every event of the request.
  std::string trace_id;
  // Whether the TLS key exchange combined ML-KEM with a classical group, and
  // the group's IANA name.
  bool tls_hybrid_group = true;
  std::string tls_group;
  // The configured name of the caller's API key, for audit records.
  std::string actor;
};

// For a request of a trust flow (challenge, registration, verification) that
// arrived without a hybrid TLS group: records the fallback with flow origin
// "tls" in `recorder` when the policy allows it. Errors:
// "fallback_not_allowed" (kPermissionDenied) when the policy forbids it.
// Validation applies the same rule inside its pipeline.
Status ApplyTlsFallbackPolicy(const ServiceContext& context, const RequestFacts& facts,
                              FlowRecorder& recorder);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_REQUEST_FACTS_H_
