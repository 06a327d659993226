// Conversions from the trust domain's enumerations to the telemetry ones,
// which have the same names but live in a component trust does not depend on.
#ifndef DEVTRUST_SERVICE_TELEMETRY_MAPPING_H_
#define DEVTRUST_SERVICE_TELEMETRY_MAPPING_H_

#include "telemetry/fallback_telemetry.h"
#include "telemetry/trust_event.h"
#include "trust/decision.h"
#include "trust/reason_code.h"
#include "trust/validation_pipeline.h"

namespace devtrust::service {

telemetry::TrustResult ToTelemetry(trust::TrustResult result);
telemetry::ReplayKind ToTelemetry(trust::ReplayKind kind);
telemetry::FlowStep ToTelemetry(trust::ValidationStep step);
telemetry::FallbackOrigin ToTelemetry(trust::FallbackOrigin origin);

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_TELEMETRY_MAPPING_H_
