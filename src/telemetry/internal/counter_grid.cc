#include "telemetry/internal/counter_grid.h"

#include <prometheus/labels.h>

#include <cstdlib>
#include <utility>

namespace devtrust::telemetry::internal {

CounterGrid::CounterGrid(prometheus::Family<prometheus::Counter>& family,
                         std::vector<LabelValues> dimensions)
    : family_(family), dimensions_(std::move(dimensions)) {
  std::size_t cell_count = 1;
  for (const LabelValues& dimension : dimensions_) {
    cell_count *= dimension.size();
  }
  cells_ = std::make_unique<std::atomic<prometheus::Counter*>[]>(cell_count);
}

prometheus::Counter& CounterGrid::At(std::initializer_list<std::size_t> indices) {
  // A wrong number of indexes, or an index out of range, is a bug in the
  // caller, not bad input, because indexes come from LabelValues::IndexOf.
  if (indices.size() != dimensions_.size()) {
    std::abort();
  }
  std::size_t cell = 0;
  std::size_t position = 0;
  for (const std::size_t index : indices) {
    if (index >= dimensions_[position].size()) {
      std::abort();
    }
    cell = cell * dimensions_[position].size() + index;
    ++position;
  }

  prometheus::Counter* counter = cells_[cell].load(std::memory_order_acquire);
  if (counter != nullptr) {
    return *counter;
  }

  // Family::Add returns the existing child when the label set is already
  // there, so two threads that race to create the same cell store the same
  // pointer and no lock is needed here.
  prometheus::Labels labels;
  position = 0;
  for (const std::size_t index : indices) {
    labels.emplace(dimensions_[position].label_name(), dimensions_[position].ValueAt(index));
    ++position;
  }
  counter = &family_.Add(labels);
  cells_[cell].store(counter, std::memory_order_release);
  return *counter;
}

}  // namespace devtrust::telemetry::internal
