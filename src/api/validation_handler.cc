#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/handlers.h"
#include "api/resource_json.h"
#include "base/encoding.h"
#include "server/json_body.h"
#include "server/response.h"

namespace devtrust::api {
namespace {

// Bounds of the decoded fields. An ML-DSA-65 device certificate takes about
// 5.5 KB and an ECDSA twin under 1 KB; the certificate parser itself accepts
// up to 64 KiB, which the body limit already cuts.
constexpr std::size_t kMaxCertificate = std::size_t{16} * 1024;
constexpr std::size_t kMaxMlDsaSignature = 3309;
constexpr std::size_t kMaxEcdsaSignature = 72;
constexpr std::size_t kMaxNonce = 64;

Result<service::ValidationRequest> ReadValidation(const server::Request& request) {
  Result<server::JsonBody> body = server::ReadJsonBody(request);
  if (!body) return std::unexpected(std::move(body).error());
  server::JsonObjectReader fields = body->Root();

  service::ValidationRequest validation;
  Result<std::string_view> user_id = fields.RequiredString("user_id", 128);
  if (!user_id) return std::unexpected(std::move(user_id).error());
  validation.user_id = std::string(*user_id);
  Result<std::string_view> device_id = fields.RequiredString("device_id", 64);
  if (!device_id) return std::unexpected(std::move(device_id).error());
  validation.device_id = std::string(*device_id);

  // The tokens are optional here: a missing one is the token_check's
  // decision (device_token_missing), not a malformed request.
  const std::pair<std::string_view, std::pair<std::size_t, Bytes*>> tokens[] = {
      {"nonce", {kMaxNonce, &validation.nonce}},
      {"certificate", {kMaxCertificate, &validation.certificate}},
      {"classical_certificate", {kMaxCertificate, &validation.classical_certificate}},
      {"signature", {kMaxMlDsaSignature, &validation.signature}},
      {"classical_signature", {kMaxEcdsaSignature, &validation.classical_signature}},
  };
  for (const auto& [name, target] : tokens) {
    Result<std::optional<Bytes>> value = fields.OptionalBase64Url(name, target.first);
    if (!value) return std::unexpected(std::move(value).error());
    if (std::optional<Bytes>& bytes = *value; bytes) *target.second = std::move(*bytes);
  }

  Result<trust::Fingerprint> fingerprint = ReadFingerprint(fields);
  if (!fingerprint) return std::unexpected(std::move(fingerprint).error());
  validation.fingerprint = *std::move(fingerprint);
  if (Status done = fields.Finish(); !done) return std::unexpected(done.error());
  return validation;
}

std::string_view DecisionName(trust::TrustResult result) {
  switch (result) {
    case trust::TrustResult::kTrusted:
      return "trusted";
    case trust::TrustResult::kChallengeSoft:
    case trust::TrustResult::kChallengeHard:
      return "challenge";
    case trust::TrustResult::kDenied:
      return "denied";
  }
  return "denied";
}

boost::json::object FallbackJson(const trust::FallbackUse& fallback) {
  return boost::json::object{{"algorithm", fallback.algorithm},
                             {"requested_algorithm", fallback.requested_algorithm},
                             {"reason", fallback.reason},
                             {"flow_origin", trust::FallbackOriginName(fallback.origin)}};
}

boost::json::object ResultJson(const service::ValidationResponse& response,
                               std::string_view trace_id) {
  const trust::ValidationOutcome& outcome = response.outcome;
  boost::json::array reasons;
  for (const trust::ReasonCode reason : outcome.reasons) {
    reasons.emplace_back(trust::ReasonCodeName(reason));
  }
  boost::json::object json{{"decision", DecisionName(outcome.decision.result)},
                           {"trust_result", trust::TrustResultName(outcome.decision.result)},
                           {"reasons", std::move(reasons)},
                           {"trace_id", trace_id}};

  if (response.challenge.has_value()) {
    json["challenge"] =
        ChallengeRefJson(response.challenge->challenge_id, response.challenge->reason,
                         response.challenge->expires_at);
  }
  if (outcome.drift.has_value()) {
    boost::json::array changed;
    for (const trust::ChangedAttribute& change : outcome.drift->decisive().changes) {
      changed.emplace_back(change.name);
    }
    json["drift"] =
        boost::json::object{{"score", outcome.drift->score()}, {"changed", std::move(changed)}};
  }
  if (response.session.has_value()) {
    const crypto::ServerSession& session = *response.session;
    const bool hybrid = session.offer.mode == crypto::SessionMode::kHybrid;
    boost::json::object block{
        {"mode", crypto::SessionModeName(session.offer.mode)},
        {"algorithm", hybrid ? "ML-KEM-768+X25519" : "X25519"},
        {"server_public_key", Base64UrlEncode(session.offer.ephemeral_public_key)},
        {"key", Base64UrlEncode(session.key.view())}};
    if (hybrid) block["ciphertext"] = Base64UrlEncode(session.offer.kem_ciphertext);
    json["session"] = std::move(block);
  }
  if (!outcome.fallbacks.empty()) {
    json["fallback"] = FallbackJson(outcome.fallbacks.front());
    boost::json::array all;
    for (const trust::FallbackUse& fallback : outcome.fallbacks) {
      all.emplace_back(FallbackJson(fallback));
    }
    json["fallbacks"] = std::move(all);
  }
  return json;
}

}  // namespace

server::Handler ValidateDeviceHandler(const ApiServices& services) {
  return [services](const server::Request& request,
                    server::RequestContext& context) -> server::Response {
    Result<service::ValidationRequest> validation = ReadValidation(request);
    if (!validation) return ErrorResponse(validation.error(), context, *services.logger);

    Result<service::ValidationResponse> response =
        services.validations.Validate(*validation, FactsOf(context));
    if (!response) return ErrorResponse(response.error(), context, *services.logger);
    return server::MakeJsonResponse(server::http::status::ok,
                                    ResultJson(*response, context.trace_id));
  };
}

}  // namespace devtrust::api
