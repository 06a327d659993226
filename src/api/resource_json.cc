#include "api/resource_json.h"

#include <boost/json/parse.hpp>

#include "service/code_challenge.h"
#include "telemetry/json_text.h"

namespace devtrust::api {

std::string Rfc3339(store::TimePoint time) { return telemetry::FormatRfc3339Millis(time); }

boost::json::object DeviceJson(const store::DeviceRecord& device) {
  boost::json::object json;
  json["device_id"] = device.device_id;
  json["user_id"] = device.user_id;
  json["status"] = store::DeviceStatusName(device.status);
  json["flagged_for_review"] = device.flagged_for_review;
  json["has_ml_kem"] = !device.ml_kem_public_key.empty();
  json["created_at"] = Rfc3339(device.created_at);
  if (device.verified_at.has_value()) json["verified_at"] = Rfc3339(*device.verified_at);
  if (device.revoked_at.has_value()) json["revoked_at"] = Rfc3339(*device.revoked_at);
  return json;
}

boost::json::object ReviewItemJson(const store::ReviewItem& item) {
  boost::json::object json;
  json["review_id"] = item.review_id;
  json["device_id"] = item.device_id;
  json["user_id"] = item.user_id;
  json["reason"] = store::ReviewReasonName(item.reason);
  json["drift_score"] = item.drift_score;
  // The service wrote the details; a row edited by hand into something else
  // is shown as empty rather than failing the whole page.
  boost::system::error_code error;
  boost::json::value details = boost::json::parse(item.details, error);
  json["details"] = !error && details.is_object() ? std::move(details) : boost::json::object();
  json["status"] = store::ReviewStatusName(item.status);
  if (!item.resolution.empty()) json["resolution"] = item.resolution;
  if (!item.resolved_by.empty()) json["resolved_by"] = item.resolved_by;
  json["created_at"] = Rfc3339(item.created_at);
  if (item.resolved_at.has_value()) json["resolved_at"] = Rfc3339(*item.resolved_at);
  return json;
}

boost::json::object ChallengeRefJson(std::string_view challenge_id, store::ChallengeReason reason,
                                     store::TimePoint expires_at) {
  return boost::json::object{{"challenge_id", challenge_id},
                             {"kind", service::ChallengeKindName(reason)},
                             {"expires_at", Rfc3339(expires_at)}};
}

Result<trust::Fingerprint> ReadFingerprint(server::JsonObjectReader& fields) {
  Result<const boost::json::value*> value = fields.RequiredValue("fingerprint");
  if (!value) return std::unexpected(std::move(value).error());
  return trust::Fingerprint::FromJson(**value);
}

}  // namespace devtrust::api
