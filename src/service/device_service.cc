#include "service/device_service.h"

#include <algorithm>
#include <utility>

#include "service/flow_reasons.h"
#include "service/flow_recorder.h"
#include "service/identifiers.h"

namespace devtrust::service {
namespace {

Status ValidateRevocationReason(std::string_view reason) {
  const bool valid = !reason.empty() && reason.size() <= kMaxRevocationReasonLength &&
                     std::all_of(reason.begin(), reason.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  if (!valid) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_revocation_reason",
                     "reason must be 1 to 64 characters from a-z, 0-9 and '_', such as "
                     "key_compromise or cessation_of_operation");
  }
  return {};
}

}  // namespace

Result<store::DeviceRecord> DeviceService::Get(std::string_view device_id) const {
  if (Status valid = ValidateDeviceId(device_id); !valid) {
    return std::unexpected(valid.error());
  }
  return context_.store.GetDevice(device_id);
}

Result<std::vector<store::DeviceRecord>> DeviceService::ListByUser(std::string_view user_id) const {
  if (Status valid = ValidateUserId(user_id); !valid) {
    return std::unexpected(valid.error());
  }
  Result<std::vector<store::DeviceRecord>> devices =
      context_.store.ListDevicesByUser(user_id, store::kMaxListLimit);
  if (!devices) return devices;
  std::reverse(devices->begin(), devices->end());
  return devices;
}

Result<store::DeviceRecord> DeviceService::Revoke(std::string_view device_id,
                                                  std::string_view reason,
                                                  const RequestFacts& facts) const {
  Result<store::DeviceRecord> device = Get(device_id);
  if (!device) return device;
  const std::string_view stored_reason = reason.empty() ? "unspecified" : reason;
  if (Status valid = ValidateRevocationReason(stored_reason); !valid) {
    return std::unexpected(valid.error());
  }

  FlowRecorder recorder(context_, telemetry::Flow::kRevocation, facts.trace_id);
  recorder.SetUserId(device->user_id);
  recorder.SetDeviceId(device_id);
  recorder.SetDecision(telemetry::TrustResult::kDenied, kReasonRevoked);
  const std::vector<store::OutboxEvent> rows = recorder.StageForWrite();
  Result<store::RevocationOutcome> outcome =
      context_.store.RevokeDevice(device_id, stored_reason, context_.clock(), rows);
  if (!outcome) {
    recorder.ClearDecision();
    recorder.AddStep(telemetry::FlowStep::kStoreCommit, false, outcome.error().reason());
    recorder.PublishUncommitted();
    return std::unexpected(std::move(outcome).error());
  }

  if (*outcome == store::RevocationOutcome::kAlreadyRevoked) {
    // Nothing was written, so no decision is reported twice.
    recorder.ClearDecision();
    recorder.AddStep(telemetry::FlowStep::kStoreCommit, true, kReasonAlreadyRevoked);
    recorder.PublishUncommitted();
  } else {
    recorder.AddStep(telemetry::FlowStep::kStoreCommit, true, "ok");
    recorder.PublishCommitted();
    context_.logger->Info({{"trace_id", facts.trace_id},
                           {"device_id", device_id},
                           {"reason", stored_reason},
                           {"actor", facts.actor}},
                          "device revoked");
  }

  key_cache_.Invalidate(device_id);
  if (Status refreshed = ca_service_.Refresh(); !refreshed) {
    // The store has the revocation, and validation checks the store too, so
    // only the CRLs are stale until the next refresh.
    context_.logger->Error({{"trace_id", facts.trace_id}, {"error", refreshed.error().reason()}},
                           "device {} is revoked but the CRLs could not be reissued: {}", device_id,
                           refreshed.error().message());
  }
  return context_.store.GetDevice(device_id);
}

}  // namespace devtrust::service
