#include "service/review_service.h"

#include <boost/json.hpp>
#include <utility>

#include "service/flow_reasons.h"
#include "service/flow_recorder.h"
#include "service/identifiers.h"
#include "service/staged_outbox.h"
#include "telemetry/json_text.h"

namespace devtrust::service {
namespace {

constexpr std::int64_t kMaxReviewPage = 500;

}  // namespace

Result<std::vector<store::ReviewItem>> ReviewService::List(store::ReviewStatus status,
                                                           std::int64_t limit,
                                                           std::string_view after_review_id) const {
  if (limit < 1 || limit > kMaxReviewPage) {
    return MakeError(StatusCode::kInvalidArgument, "invalid_limit",
                     "limit must be 1 to 500, got " + std::to_string(limit));
  }
  if (!after_review_id.empty()) {
    if (Status valid = ValidateRandomId(after_review_id, "rev", "after", "invalid_cursor");
        !valid) {
      return std::unexpected(valid.error());
    }
  }
  return context_.store.ListReviewItems(status, limit, after_review_id);
}

Result<store::ReviewItem> ReviewService::Resolve(std::string_view review_id,
                                                 ReviewResolution resolution, std::string_view note,
                                                 const RequestFacts& facts) const {
  if (Status valid = ValidateRandomId(review_id, "rev", "review id", "invalid_review_id"); !valid) {
    return std::unexpected(valid.error());
  }
  if (note.size() > kMaxReviewNoteBytes) {
    return MakeError(StatusCode::kInvalidArgument, "field_too_long",
                     "note has more than 512 bytes");
  }

  Result<store::ReviewItem> item = context_.store.GetReviewItem(review_id);
  if (!item) return item;

  const bool revoke = resolution == ReviewResolution::kRevoke;
  const std::string_view name = revoke ? "revoke" : "benign";
  if (item->status != store::ReviewStatus::kOpen) {
    return MakeError(StatusCode::kFailedPrecondition, "review_item_resolved",
                     "review item " + std::string(review_id) + " is already resolved");
  }

  // The revocation and the resolution are two transactions, so the device
  // is revoked first. A crash between them leaves a revoked device with an
  // open item, and resolving it again succeeds because revoking is
  // idempotent. The other order could leave an item resolved as revoke on a
  // device that is still trusted.
  if (revoke) {
    Result<store::DeviceRecord> revoked =
        devices_.Revoke(item->device_id, "privilege_withdrawn", facts);
    if (!revoked) return std::unexpected(std::move(revoked).error());
  }

  const store::TimePoint now = context_.clock();

  FlowRecorder recorder(context_, telemetry::Flow::kReview, facts.trace_id);
  recorder.SetUserId(item->user_id);
  recorder.SetDeviceId(item->device_id);
  recorder.SetDecision(revoke ? telemetry::TrustResult::kDenied : telemetry::TrustResult::kTrusted,
                       revoke ? kReasonReviewRevoke : kReasonReviewBenign);
  // The audit record keeps who decided what and why; the note is the
  // operator's own text.
  boost::json::object audit{
      {"event", "review_resolved"},   {"review_id", item->review_id},
      {"device_id", item->device_id}, {"resolution", name},
      {"resolved_by", facts.actor},   {"note", note},
      {"trace_id", facts.trace_id},   {"timestamp", telemetry::FormatRfc3339Millis(now)}};
  recorder.AddOutboxRow(kAuditTopic, boost::json::serialize(audit));

  const std::vector<store::OutboxEvent> rows = recorder.StageForWrite();
  if (Status resolved = context_.store.ResolveReviewItem(review_id, name, facts.actor, now, rows);
      !resolved) {
    // Neither the decision nor the audit row is reported: the change they
    // describe did not happen.
    recorder.ClearDecision();
    recorder.ClearOutboxRows();
    recorder.AddStep(telemetry::FlowStep::kStoreCommit, false, resolved.error().reason());
    recorder.PublishUncommitted();
    return std::unexpected(resolved.error());
  }
  recorder.AddStep(telemetry::FlowStep::kStoreCommit, true, "ok");
  recorder.PublishCommitted();
  return context_.store.GetReviewItem(review_id);
}

}  // namespace devtrust::service
