#include "service/review_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service/service_test_support.h"

namespace devtrust::service {
namespace {

using testing::Enrollment;
using testing::ServiceFixture;
using testing::WindowsChrome;

class ReviewServiceTest : public ServiceFixture {
 protected:
  // Enrolls a device and flags it with a soft drift login.
  std::string FlaggedItem() {
    enrollment_ = Enroll("alice", WindowsChrome());
    Result<ValidationResponse> response =
        Login(*enrollment_, WindowsChrome("2560", "1440", "America/New_York"));
    EXPECT_TRUE(response.has_value());
    Result<std::vector<store::ReviewItem>> items =
        reviews_->List(store::ReviewStatus::kOpen, 10, "");
    EXPECT_TRUE(items.has_value());
    return items && !items->empty() ? items->front().review_id : "";
  }

  std::optional<Enrollment> enrollment_;
};

TEST_F(ReviewServiceTest, BenignClearsFlag) {
  const std::string review_id = FlaggedItem();
  ASSERT_FALSE(review_id.empty());

  Result<store::ReviewItem> item = reviews_->Resolve(review_id, ReviewResolution::kBenign,
                                                     "user confirmed new monitor", Facts());

  ASSERT_TRUE(item.has_value()) << item.error().ToString();
  EXPECT_EQ(item->status, store::ReviewStatus::kResolved);
  EXPECT_EQ(item->resolution, "benign");
  EXPECT_EQ(item->resolved_by, "test-admin");
  const store::DeviceRecord device = *store_->GetDevice(enrollment_->result.device.device_id);
  EXPECT_FALSE(device.flagged_for_review);
  EXPECT_EQ(device.status, store::DeviceStatus::kTrusted);
}

TEST_F(ReviewServiceTest, RevokeRevokesDevice) {
  const std::string review_id = FlaggedItem();

  Result<store::ReviewItem> item =
      reviews_->Resolve(review_id, ReviewResolution::kRevoke, "", Facts());

  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->resolution, "revoke");
  EXPECT_EQ(store_->GetDevice(enrollment_->result.device.device_id)->status,
            store::DeviceStatus::kRevoked);
}

// A crash between the two transactions of a revoke resolution leaves the
// device revoked and the item open; resolving the item again completes it.
TEST_F(ReviewServiceTest, RevokeCompletesOnRevokedDevice) {
  const std::string review_id = FlaggedItem();
  const std::string device_id = enrollment_->result.device.device_id;
  ASSERT_TRUE(devices_->Revoke(device_id, "privilege_withdrawn", Facts()).has_value());

  Result<store::ReviewItem> item =
      reviews_->Resolve(review_id, ReviewResolution::kRevoke, "", Facts());

  ASSERT_TRUE(item.has_value()) << item.error().ToString();
  EXPECT_EQ(item->status, store::ReviewStatus::kResolved);
  EXPECT_EQ(item->resolution, "revoke");
  EXPECT_EQ(store_->GetDevice(device_id)->status, store::DeviceStatus::kRevoked);
  EXPECT_EQ(Outbox("audit").size(), 1u);
}

TEST_F(ReviewServiceTest, ResolvedItemRevokesNothing) {
  const std::string review_id = FlaggedItem();
  ASSERT_TRUE(reviews_->Resolve(review_id, ReviewResolution::kBenign, "", Facts()).has_value());

  Result<store::ReviewItem> again =
      reviews_->Resolve(review_id, ReviewResolution::kRevoke, "", Facts());

  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason(), "review_item_resolved");
  EXPECT_EQ(store_->GetDevice(enrollment_->result.device.device_id)->status,
            store::DeviceStatus::kTrusted);
}

TEST_F(ReviewServiceTest, AuditRowKeepsNoteAndActor) {
  const std::string review_id = FlaggedItem();

  ASSERT_TRUE(reviews_->Resolve(review_id, ReviewResolution::kBenign, "checked by phone", Facts())
                  .has_value());

  const std::vector<store::OutboxEvent> audit = Outbox("audit");
  ASSERT_EQ(audit.size(), 1u);
  const boost::json::object row = boost::json::parse(audit[0].payload).as_object();
  EXPECT_EQ(row.at("review_id").as_string(), review_id);
  EXPECT_EQ(row.at("resolution").as_string(), "benign");
  EXPECT_EQ(row.at("resolved_by").as_string(), "test-admin");
  EXPECT_EQ(row.at("note").as_string(), "checked by phone");
}

TEST_F(ReviewServiceTest, ResolvedItemCannotBeResolvedAgain) {
  const std::string review_id = FlaggedItem();
  ASSERT_TRUE(reviews_->Resolve(review_id, ReviewResolution::kBenign, "", Facts()).has_value());

  Result<store::ReviewItem> again =
      reviews_->Resolve(review_id, ReviewResolution::kBenign, "", Facts());

  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason(), "review_item_resolved");
  EXPECT_EQ(Outbox("audit").size(), 1u);
}

TEST_F(ReviewServiceTest, ListsByStatusWithCursor) {
  const std::string review_id = FlaggedItem();
  ASSERT_TRUE(reviews_->Resolve(review_id, ReviewResolution::kBenign, "", Facts()).has_value());

  EXPECT_TRUE(reviews_->List(store::ReviewStatus::kOpen, 10, "")->empty());
  EXPECT_EQ(reviews_->List(store::ReviewStatus::kResolved, 10, "")->size(), 1u);
  EXPECT_TRUE(reviews_->List(store::ReviewStatus::kResolved, 10, review_id)->empty());
}

TEST_F(ReviewServiceTest, RejectsBadArguments) {
  EXPECT_EQ(reviews_->List(store::ReviewStatus::kOpen, 0, "").error().reason(), "invalid_limit");
  EXPECT_EQ(reviews_->List(store::ReviewStatus::kOpen, 501, "").error().reason(), "invalid_limit");
  EXPECT_EQ(reviews_->List(store::ReviewStatus::kOpen, 10, "x").error().reason(), "invalid_cursor");
  EXPECT_EQ(reviews_->Resolve("rev_x", ReviewResolution::kBenign, "", Facts()).error().reason(),
            "invalid_review_id");
  EXPECT_EQ(
      reviews_->Resolve("rev_aaaaaaaaaaaaaaaaaaaaaaaaaa", ReviewResolution::kBenign, "", Facts())
          .error()
          .code(),
      StatusCode::kNotFound);
  EXPECT_EQ(reviews_
                ->Resolve("rev_aaaaaaaaaaaaaaaaaaaaaaaaaa", ReviewResolution::kBenign,
                          std::string(513, 'n'), Facts())
                .error()
                .reason(),
            "field_too_long");
}

class ChallengeServiceTest : public ServiceFixture {
 protected:
  Result<IssuedChallenge> IssueFor(store::NoncePurpose purpose, std::string_view user_id,
                                   std::string_view device_id, const RequestFacts& facts) {
    ChallengeRequest request;
    request.purpose = purpose;
    request.user_id = std::string(user_id);
    request.device_id = std::string(device_id);
    return challenges_->Issue(request, facts);
  }
};

TEST_F(ChallengeServiceTest, IssuesBoundNonce) {
  Result<IssuedChallenge> issued = IssueFor(store::NoncePurpose::kRegister, "alice", "", Facts());

  ASSERT_TRUE(issued.has_value());
  EXPECT_EQ(issued->nonce.size(), 32u);
  EXPECT_EQ(issued->expires_at, now_ + std::chrono::seconds(120));
}

TEST_F(ChallengeServiceTest, NoncesDiffer) {
  EXPECT_NE(IssueNonce(store::NoncePurpose::kRegister, "alice"),
            IssueNonce(store::NoncePurpose::kRegister, "alice"));
}

TEST_F(ChallengeServiceTest, LoginNeedsDeviceOfThisUser) {
  const Enrollment enrollment = Enroll("alice", WindowsChrome());
  const std::string& device_id = enrollment.result.device.device_id;

  EXPECT_TRUE(IssueFor(store::NoncePurpose::kLogin, "alice", device_id, Facts()).has_value());
  EXPECT_EQ(IssueFor(store::NoncePurpose::kLogin, "bob", device_id, Facts()).error().reason(),
            "device_not_found");
  EXPECT_EQ(
      IssueFor(store::NoncePurpose::kLogin, "alice", "dev_aaaaaaaaaaaaaaaaaaaaaaaaaa", Facts())
          .error()
          .code(),
      StatusCode::kNotFound);
  EXPECT_EQ(IssueFor(store::NoncePurpose::kLogin, "alice", "", Facts()).error().reason(),
            "missing_field");
  EXPECT_EQ(IssueFor(store::NoncePurpose::kRegister, "alice", device_id, Facts()).error().reason(),
            "unknown_field");
  EXPECT_EQ(IssueFor(store::NoncePurpose::kRegister, "al ice", "", Facts()).error().reason(),
            "invalid_user_id");
}

TEST_F(ChallengeServiceTest, ClassicalTlsForbiddenByPolicy) {
  context_->fallback_policy.allow_tls_without_hybrid_group = false;

  Result<IssuedChallenge> issued =
      IssueFor(store::NoncePurpose::kRegister, "alice", "", ClassicalTlsFacts());

  ASSERT_FALSE(issued.has_value());
  EXPECT_EQ(issued.error().reason(), "fallback_not_allowed");
  EXPECT_EQ(issued.error().code(), StatusCode::kPermissionDenied);

  // The rejection is logged with the group the client negotiated.
  std::vector<boost::json::object> rejections;
  for (const boost::json::object& line : LogLines()) {
    const boost::json::value* error = line.if_contains("error");
    if (error != nullptr && error->is_string() && error->as_string() == "fallback_not_allowed") {
      rejections.push_back(line);
    }
  }
  ASSERT_EQ(rejections.size(), 1u) << LogText();
  EXPECT_EQ(rejections.front().at("tls_group").as_string(), ClassicalTlsFacts().tls_group);
  EXPECT_EQ(rejections.front().at("level").as_string(), "warn");
}

TEST_F(ChallengeServiceTest, ClassicalTlsAllowedIsCounted) {
  ASSERT_TRUE(
      IssueFor(store::NoncePurpose::kRegister, "alice", "", ClassicalTlsFacts()).has_value());

  EXPECT_EQ(Metric(R"(crypto_fallback_triggered_total{algorithm="X25519",)"
                   R"(flow_origin="tls",reason="tls_no_hybrid_group"})"),
            1.0);
  EXPECT_EQ(Outbox("trust_event").size(), 1u);
}

}  // namespace
}  // namespace devtrust::service
