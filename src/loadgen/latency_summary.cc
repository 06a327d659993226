#include "loadgen/latency_summary.h"

#include <algorithm>
#include <cmath>

namespace devtrust::loadgen {
namespace {

double Milliseconds(std::chrono::nanoseconds value) {
  return std::chrono::duration<double, std::milli>(value).count();
}

}  // namespace

std::chrono::nanoseconds NearestRank(const std::vector<std::chrono::nanoseconds>& sorted,
                                     double fraction) {
  // Rank ceil(fraction * n), counted from 1. The epsilon keeps 0.99 * 100
  // at rank 99 although the product is 99.00000000000001.
  const double rank = std::ceil(fraction * static_cast<double>(sorted.size()) - 1e-9);
  const auto index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

LatencySummary Summarize(std::vector<std::chrono::nanoseconds>& samples) {
  LatencySummary summary;
  if (samples.empty()) return summary;

  std::sort(samples.begin(), samples.end());
  summary.count = samples.size();
  summary.p50_ms = Milliseconds(NearestRank(samples, 0.50));
  summary.p99_ms = Milliseconds(NearestRank(samples, 0.99));
  summary.p999_ms = Milliseconds(NearestRank(samples, 0.999));
  summary.max_ms = Milliseconds(samples.back());

  double total_ms = 0;
  for (const std::chrono::nanoseconds sample : samples) total_ms += Milliseconds(sample);
  summary.mean_ms = total_ms / static_cast<double>(samples.size());
  return summary;
}

}  // namespace devtrust::loadgen
