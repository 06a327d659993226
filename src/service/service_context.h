// The dependencies and settings every application service shares.
#ifndef DEVTRUST_SERVICE_SERVICE_CONTEXT_H_
#define DEVTRUST_SERVICE_SERVICE_CONTEXT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "pki/certificate_authority.h"
#include "service/service_keys.h"
#include "store/records.h"
#include "store/store.h"
#include "telemetry/json_log.h"
#include "telemetry/logger.h"
#include "telemetry/metrics.h"
#include "trust/policy.h"

namespace devtrust::service {

// Limits of the trust flows; docs/configuration.md gives each default's
// reason.
struct FlowSettings {
  // Lifetime of a registration or login nonce.
  std::chrono::seconds nonce_ttl{120};
  // Lifetime of a verification challenge (its one-time code).
  std::chrono::seconds verification_ttl{600};
  // Guesses allowed per verification challenge.
  int max_attempts = 5;
  // Digits of a verification code, 6 to 8.
  int code_digits = 6;
  // How long an issued CRL is valid (its nextUpdate).
  std::chrono::seconds crl_validity{std::chrono::hours(24)};
};

// Every member must outlive the services that use the context.
struct ServiceContext {
  store::Store& store;
  pki::CertificateAuthority& ca;
  telemetry::TrustLog& trust_log;
  telemetry::Metrics& metrics;
  std::shared_ptr<telemetry::Logger> logger;
  const ServiceKeys& keys;
  trust::FallbackPolicy fallback_policy;
  FlowSettings settings;
  // The name of this node in events and logs.
  std::string node;
  // The current time.
  std::function<store::TimePoint()> clock = [] { return std::chrono::system_clock::now(); };
  // Called after a request queued a notification, so the dispatcher sends
  // it without waiting for its next poll. May be empty.
  std::function<void()> notification_queued;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_SERVICE_CONTEXT_H_
