// InMemoryEventSink: an EventSink that keeps copies of what it accepts, for
// tests and for tools that inspect the published events of one run.
#ifndef DEVTRUST_TELEMETRY_MEMORY_EVENT_SINK_H_
#define DEVTRUST_TELEMETRY_MEMORY_EVENT_SINK_H_

#include <mutex>
#include <vector>

#include "telemetry/event_sink.h"

namespace devtrust::telemetry {

class InMemoryEventSink final : public EventSink {
 public:
  // Appends a copy of `event` and returns OK.
  Status AcceptEvent(const TrustEvent& event) override;

  // Appends a copy of `fallback` and returns OK.
  Status AcceptFallback(const CryptoFallbackTelemetry& fallback) override;

  // Copies of the records accepted so far, in order.
  std::vector<TrustEvent> events() const;
  std::vector<CryptoFallbackTelemetry> fallbacks() const;

 private:
  mutable std::mutex mutex_;
  std::vector<TrustEvent> events_;
  std::vector<CryptoFallbackTelemetry> fallbacks_;
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_MEMORY_EVENT_SINK_H_
