// The browser fingerprint every load generator device presents: the same
// attributes at enrollment and at each login, so that every validation takes
// the trusted path with no drift to evaluate beyond the comparison.
#ifndef DEVTRUST_LOADGEN_BENCH_FINGERPRINT_H_
#define DEVTRUST_LOADGEN_BENCH_FINGERPRINT_H_

#include "base/error.h"
#include "trust/fingerprint.h"

namespace devtrust::loadgen {

// A desktop Chrome on Windows. Errors: those of
// trust::Fingerprint::FromAttributes, which fixed attributes never reach.
Result<trust::Fingerprint> BenchFingerprint();

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_BENCH_FINGERPRINT_H_
