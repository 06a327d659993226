#include "store/store.h"

namespace devtrust::store {

std::string_view NonceOutcomeName(NonceOutcome outcome) {
  switch (outcome) {
    case NonceOutcome::kConsumed:
      return "consumed";
    case NonceOutcome::kReused:
      return "reused";
    case NonceOutcome::kExpired:
      return "expired";
    case NonceOutcome::kUnknown:
      return "unknown";
    case NonceOutcome::kMismatch:
      return "mismatch";
  }
  return "invalid";
}

std::string_view AttemptOutcomeName(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::kReserved:
      return "reserved";
    case AttemptOutcome::kLockedOut:
      return "locked_out";
    case AttemptOutcome::kExpired:
      return "expired";
    case AttemptOutcome::kNotOpen:
      return "not_open";
    case AttemptOutcome::kUnknown:
      return "unknown";
  }
  return "invalid";
}

}  // namespace devtrust::store
