// Counters of what the HTTPS server did, for metrics and tests.
#ifndef DEVTRUST_SERVER_SERVER_STATS_H_
#define DEVTRUST_SERVER_SERVER_STATS_H_

#include <array>
#include <atomic>
#include <cstdint>

namespace devtrust::server {

// A snapshot of the counters. All are totals since start, except
// connections_open.
struct ServerStats {
  std::uint64_t connections_accepted = 0;
  // Accepted and closed at once because max_connections were open.
  std::uint64_t connections_rejected = 0;
  std::uint64_t connections_open = 0;
  // TLS handshakes that failed (wrong protocol version, no shared group or
  // cipher, the peer gave up) and that ran out of time.
  std::uint64_t handshake_failures = 0;
  std::uint64_t handshake_timeouts = 0;
  // Connections closed because a limit of time ran out while waiting for the
  // first request, a header, a body, the next request, or a response write.
  std::uint64_t header_timeouts = 0;
  std::uint64_t body_timeouts = 0;
  std::uint64_t idle_timeouts = 0;
  std::uint64_t write_timeouts = 0;
  // Requests rejected before they reached a handler.
  std::uint64_t headers_too_large = 0;
  std::uint64_t bodies_too_large = 0;
  std::uint64_t malformed_requests = 0;
  // Requests that reached the dispatcher, and their responses by status class.
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 6> responses_by_class{};  // index 2 is 2xx, ..., 5 is 5xx
};

// The live counters. Each is updated with relaxed atomics, so a snapshot is not
// taken at one instant, which is fine for monotonic counters.
struct ServerCounters {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_rejected{0};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> handshake_failures{0};
  std::atomic<std::uint64_t> handshake_timeouts{0};
  std::atomic<std::uint64_t> header_timeouts{0};
  std::atomic<std::uint64_t> body_timeouts{0};
  std::atomic<std::uint64_t> idle_timeouts{0};
  std::atomic<std::uint64_t> write_timeouts{0};
  std::atomic<std::uint64_t> headers_too_large{0};
  std::atomic<std::uint64_t> bodies_too_large{0};
  std::atomic<std::uint64_t> malformed_requests{0};
  std::atomic<std::uint64_t> requests{0};
  std::array<std::atomic<std::uint64_t>, 6> responses_by_class{};

  void CountResponse(unsigned status) {
    const unsigned status_class = status / 100;
    if (status_class < responses_by_class.size()) {
      responses_by_class[status_class].fetch_add(1, std::memory_order_relaxed);
    }
  }

  ServerStats Snapshot() const {
    ServerStats stats;
    stats.connections_accepted = connections_accepted.load(std::memory_order_relaxed);
    stats.connections_rejected = connections_rejected.load(std::memory_order_relaxed);
    stats.connections_open = connections_open.load(std::memory_order_relaxed);
    stats.handshake_failures = handshake_failures.load(std::memory_order_relaxed);
    stats.handshake_timeouts = handshake_timeouts.load(std::memory_order_relaxed);
    stats.header_timeouts = header_timeouts.load(std::memory_order_relaxed);
    stats.body_timeouts = body_timeouts.load(std::memory_order_relaxed);
    stats.idle_timeouts = idle_timeouts.load(std::memory_order_relaxed);
    stats.write_timeouts = write_timeouts.load(std::memory_order_relaxed);
    stats.headers_too_large = headers_too_large.load(std::memory_order_relaxed);
    stats.bodies_too_large = bodies_too_large.load(std::memory_order_relaxed);
    stats.malformed_requests = malformed_requests.load(std::memory_order_relaxed);
    stats.requests = requests.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < responses_by_class.size(); ++i) {
      stats.responses_by_class[i] = responses_by_class[i].load(std::memory_order_relaxed);
    }
    return stats;
  }
};

}  // namespace devtrust::server

#endif  // DEVTRUST_SERVER_SERVER_STATS_H_
