// EventSink: a destination for decision-level trust events and fallback
// records, such as the store-backed outbox that feeds the audit trail, the
// alert engine and the SIEM queue.
//
// Publisher decides which events reach a sink (IsDecisionLevelEvent in
// publisher.h); a sink stores or forwards everything it is given.
#ifndef DEVTRUST_TELEMETRY_EVENT_SINK_H_
#define DEVTRUST_TELEMETRY_EVENT_SINK_H_

#include "base/error.h"
#include "telemetry/fallback_telemetry.h"
#include "telemetry/trust_event.h"

namespace devtrust::telemetry {

class EventSink {
 public:
  virtual ~EventSink() = default;

  // Stores or forwards `event`. Called from many request threads at once.
  // Errors: defined by the implementation, such as kUnavailable when its store
  // cannot commit.
  virtual Status AcceptEvent(const TrustEvent& event) = 0;

  // Stores or forwards `fallback`, with the same threading and errors.
  virtual Status AcceptFallback(const CryptoFallbackTelemetry& fallback) = 0;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_EVENT_SINK_H_
