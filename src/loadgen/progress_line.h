// The progress line the load generator prints while it runs.
#ifndef DEVTRUST_LOADGEN_PROGRESS_LINE_H_
#define DEVTRUST_LOADGEN_PROGRESS_LINE_H_

#include <string>

#include "loadgen/open_loop_runner.h"

namespace devtrust::loadgen {

// One line without a newline, such as
//   "[  12 s] due 24001, done 23990, failed 0, in flight 11, 2000.3/s, p99 1.912 ms"
// where the rate and p99 cover the completions since the previous line.
std::string FormatProgressLine(const ProgressSnapshot& snapshot);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_PROGRESS_LINE_H_
