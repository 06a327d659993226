#include "service/request_facts.h"

#include "trust/validation_pipeline.h"

namespace devtrust::service {

Status ApplyTlsFallbackPolicy(const ServiceContext& context, const RequestFacts& facts,
                              FlowRecorder& recorder) {
  if (facts.tls_hybrid_group) return {};
  if (!context.fallback_policy.Allows(trust::FallbackKind::kTlsWithoutHybridGroup)) {
    // The request ends before any flow step, so this line is the only trace
    // an operator has of a client that cannot do ML-KEM.
    context.logger->Warn({{"trace_id", facts.trace_id},
                          {"tls_group", facts.tls_group},
                          {"error", "fallback_not_allowed"}},
                         "rejected a request on a TLS connection without a hybrid ML-KEM group "
                         "because the fallback policy forbids the classical TLS path");
    return MakeError(StatusCode::kPermissionDenied, "fallback_not_allowed",
                     "this connection negotiated no hybrid ML-KEM key exchange and the policy "
                     "requires one; connect with a TLS client that offers X25519MLKEM768");
  }
  recorder.AddFallback(trust::TlsFallback(facts.tls_group));
  return {};
}

}  // namespace devtrust::service
