// Percentiles of a set of latencies, for the load generator's report.
#ifndef DEVTRUST_LOADGEN_LATENCY_SUMMARY_H_
#define DEVTRUST_LOADGEN_LATENCY_SUMMARY_H_

#include <chrono>
#include <cstddef>
#include <vector>

namespace devtrust::loadgen {

// Latencies in milliseconds. All fields are 0 when count is 0.
struct LatencySummary {
  std::size_t count = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
  double mean_ms = 0;
};

// Summarizes `samples`, which it sorts in place. Percentiles use the nearest
// rank: the p-th percentile is the smallest sample that at least p percent of
// the samples do not exceed, so with fewer than 1,000 samples p999 is the
// maximum.
LatencySummary Summarize(std::vector<std::chrono::nanoseconds>& samples);

// The nearest-rank percentile `fraction` (0 < fraction <= 1) of `sorted`,
// which must be sorted and not empty.
std::chrono::nanoseconds NearestRank(const std::vector<std::chrono::nanoseconds>& sorted,
                                     double fraction);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_LATENCY_SUMMARY_H_
