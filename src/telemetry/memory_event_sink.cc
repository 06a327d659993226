#include "telemetry/memory_event_sink.h"

namespace devtrust::telemetry {

Status InMemoryEventSink::AcceptEvent(const TrustEvent& event) {
  const std::lock_guard<std::mutex> lock(mutex_);
  events_.push_back(event);
  return {};
}

Status InMemoryEventSink::AcceptFallback(const CryptoFallbackTelemetry& fallback) {
  const std::lock_guard<std::mutex> lock(mutex_);
  fallbacks_.push_back(fallback);
  return {};
}

std::vector<TrustEvent> InMemoryEventSink::events() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return events_;
}

std::vector<CryptoFallbackTelemetry> InMemoryEventSink::fallbacks() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return fallbacks_;
}

}  // namespace devtrust::telemetry
