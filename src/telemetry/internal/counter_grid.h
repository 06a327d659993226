// CounterGrid: the children of a labeled Prometheus counter family, one per
// combination of label values, created on first use and then found without
// building a label map or taking a lock.
#ifndef DEVTRUST_TELEMETRY_INTERNAL_COUNTER_GRID_H_
#define DEVTRUST_TELEMETRY_INTERNAL_COUNTER_GRID_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>

#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <vector>

#include "telemetry/label_values.h"

namespace devtrust::telemetry::internal {

class CounterGrid {
 public:
  // `dimensions` contains one LabelValues per label, in the order At() takes the
  // indexes. `family` must outlive the grid.
  CounterGrid(prometheus::Family<prometheus::Counter>& family, std::vector<LabelValues> dimensions);

  CounterGrid(const CounterGrid&) = delete;
  CounterGrid& operator=(const CounterGrid&) = delete;

  // Returns the counter for the label values at `indices`, one index per
  // dimension, each less than that dimension's size(). Thread-safe.
  prometheus::Counter& At(std::initializer_list<std::size_t> indices);

  const LabelValues& dimension(std::size_t position) const { return dimensions_[position]; }

 private:
  prometheus::Family<prometheus::Counter>& family_;
  const std::vector<LabelValues> dimensions_;

  // One slot per combination, in row-major order; null until first use.
  std::unique_ptr<std::atomic<prometheus::Counter*>[]> cells_;
};

}  // namespace devtrust::telemetry::internal

#endif  // DEVTRUST_TELEMETRY_INTERNAL_COUNTER_GRID_H_
