// ReviewService: the operators' review queue of flagged devices
// (GET /v1/review, POST /v1/review/{review_id}/resolve).
#ifndef DEVTRUST_SERVICE_REVIEW_SERVICE_H_
#define DEVTRUST_SERVICE_REVIEW_SERVICE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "service/device_service.h"
#include "service/request_facts.h"
#include "service/service_context.h"
#include "store/records.h"

namespace devtrust::service {

inline constexpr std::size_t kMaxReviewNoteBytes = 512;

enum class ReviewResolution {
  kBenign,  // "benign": the change was the user's; the flag is cleared
  kRevoke,  // "revoke": the device is revoked
};

class ReviewService {
 public:
  ReviewService(const ServiceContext& context, DeviceService& devices)
      : context_(context), devices_(devices) {}

  // One page of items with `status`, oldest first, after `after_review_id`
  // (empty: from the start). Errors: "invalid_limit" (400) outside
  // 1..500; "invalid_cursor" (400) for an unknown review id; the store's.
  Result<std::vector<store::ReviewItem>> List(store::ReviewStatus status, std::int64_t limit,
                                              std::string_view after_review_id) const;

  // Resolves an open item as `resolution` by the caller's API key, and
  // writes the note to the audit outbox. Resolving clears the device's
  // review flag when no other item is open; kRevoke then revokes the device.
  // Errors: "invalid_review_id" (400); "review_item_not_found" (404);
  // "review_item_resolved" (409); "field_too_long" (400) for a note over
  // kMaxReviewNoteBytes; those of DeviceService::Revoke; the store's.
  Result<store::ReviewItem> Resolve(std::string_view review_id, ReviewResolution resolution,
                                    std::string_view note, const RequestFacts& facts) const;

 private:
  const ServiceContext& context_;
  DeviceService& devices_;
};

}  // namespace devtrust::service

#endif  // DEVTRUST_SERVICE_REVIEW_SERVICE_H_
