#include <boost/json/object.hpp>

#include "api/handlers.h"
#include "api/resource_json.h"
#include "base/encoding.h"
#include "server/json_body.h"
#include "server/response.h"

namespace devtrust::api {
namespace {

// Upper bounds of the decoded fields. An ML-DSA-65 SubjectPublicKeyInfo has
// 1974 bytes and its signature 3309 (FIPS 204 table 2). An ML-KEM-768 one has
// 1206 bytes (FIPS 203), a P-256 one 91 with DER signatures of at most 72, and
// an X25519 one 44. The limits leave room without admitting large blobs.
constexpr std::size_t kMaxMlDsaKey = 2048;
constexpr std::size_t kMaxMlKemKey = 1536;
constexpr std::size_t kMaxEcdsaKey = 128;
constexpr std::size_t kMaxX25519Key = 64;
constexpr std::size_t kMaxMlDsaSignature = 3309;
constexpr std::size_t kMaxEcdsaSignature = 72;
constexpr std::size_t kMaxNonce = 64;

// Reads the request body into the service's request.
Result<service::RegistrationRequest> ReadRegistration(const server::Request& request) {
  Result<server::JsonBody> body = server::ReadJsonBody(request);
  if (!body) return std::unexpected(std::move(body).error());
  server::JsonObjectReader fields = body->Root();

  service::RegistrationRequest registration;
  Result<std::string_view> user_id = fields.RequiredString("user_id", 128);
  if (!user_id) return std::unexpected(std::move(user_id).error());
  registration.user_id = std::string(*user_id);
  Result<Bytes> nonce = fields.RequiredBase64Url("nonce", kMaxNonce);
  if (!nonce) return std::unexpected(std::move(nonce).error());
  registration.nonce = *std::move(nonce);

  Result<server::JsonObjectReader> keys = fields.RequiredObject("public_keys");
  if (!keys) return std::unexpected(std::move(keys).error());
  Result<Bytes> ml_dsa = keys->RequiredBase64Url("ml_dsa_65", kMaxMlDsaKey);
  if (!ml_dsa) return std::unexpected(std::move(ml_dsa).error());
  Result<Bytes> ecdsa = keys->RequiredBase64Url("ecdsa_p256", kMaxEcdsaKey);
  if (!ecdsa) return std::unexpected(std::move(ecdsa).error());
  Result<std::optional<Bytes>> ml_kem = keys->OptionalBase64Url("ml_kem_768", kMaxMlKemKey);
  if (!ml_kem) return std::unexpected(std::move(ml_kem).error());
  Result<Bytes> x25519 = keys->RequiredBase64Url("x25519", kMaxX25519Key);
  if (!x25519) return std::unexpected(std::move(x25519).error());
  if (Status done = keys->Finish(); !done) return std::unexpected(done.error());
  registration.public_keys = {*std::move(ml_dsa), *std::move(ecdsa),
                              std::move(*ml_kem).value_or(Bytes()), *std::move(x25519)};

  Result<trust::Fingerprint> fingerprint = ReadFingerprint(fields);
  if (!fingerprint) return std::unexpected(std::move(fingerprint).error());
  registration.fingerprint = *std::move(fingerprint);

  Result<server::JsonObjectReader> signatures = fields.RequiredObject("signatures");
  if (!signatures) return std::unexpected(std::move(signatures).error());
  Result<Bytes> ml_dsa_signature = signatures->RequiredBase64Url("ml_dsa_65", kMaxMlDsaSignature);
  if (!ml_dsa_signature) return std::unexpected(std::move(ml_dsa_signature).error());
  Result<Bytes> ecdsa_signature = signatures->RequiredBase64Url("ecdsa_p256", kMaxEcdsaSignature);
  if (!ecdsa_signature) return std::unexpected(std::move(ecdsa_signature).error());
  if (Status done = signatures->Finish(); !done) return std::unexpected(done.error());
  registration.ml_dsa_signature = *std::move(ml_dsa_signature);
  registration.ecdsa_signature = *std::move(ecdsa_signature);

  if (Status done = fields.Finish(); !done) return std::unexpected(done.error());
  return registration;
}

}  // namespace

server::Handler RegisterDeviceHandler(const ApiServices& services) {
  return [services](const server::Request& request,
                    server::RequestContext& context) -> server::Response {
    Result<service::RegistrationRequest> registration = ReadRegistration(request);
    if (!registration) return ErrorResponse(registration.error(), context, *services.logger);

    Result<service::RegistrationResult> result =
        services.registrations.Register(*registration, FactsOf(context));
    if (!result) return ErrorResponse(result.error(), context, *services.logger);

    const boost::json::object json{
        {"device_id", result->device.device_id},
        {"user_id", result->device.user_id},
        {"status", store::DeviceStatusName(result->device.status)},
        {"certificates",
         boost::json::object{{"ml_dsa_65", Base64UrlEncode(result->ml_dsa_certificate)},
                             {"ecdsa_p256", Base64UrlEncode(result->ecdsa_certificate)}}},
        {"verification",
         ChallengeRefJson(result->challenge_id, store::ChallengeReason::kRegistration,
                          result->challenge_expires_at)},
        {"trace_id", context.trace_id}};
    return server::MakeJsonResponse(server::http::status::created, json);
  };
}

}  // namespace devtrust::api
