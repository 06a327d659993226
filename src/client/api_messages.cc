#include "client/api_messages.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <utility>

#include "base/encoding.h"
#include "client/internal/json_fields.h"
#include "client/internal/secret_json.h"
#include "crypto/x509.h"
#include "trust/strict_json.h"

namespace devtrust::client {
namespace {

namespace json = boost::json;
using internal::JsonFields;

constexpr std::size_t kMaxResponseJsonBytes = 1024 * 1024;
constexpr std::size_t kMaxNonceBytes = 64;
constexpr std::size_t kMaxCiphertextBytes = 4096;
constexpr std::size_t kMaxSessionKeyBytes = 64;
constexpr std::size_t kMaxServerMessageChars = 300;
constexpr std::size_t kMaxReasonChars = 64;

constexpr std::string_view kResponseInvalid = "response_invalid";

json::object FingerprintJson(const trust::Fingerprint& fingerprint) {
  json::object object;
  for (const auto& [name, value] : fingerprint.attributes()) {
    object[name] = value;
  }
  return object;
}

Result<json::object> ParseResponseObject(std::string_view body, std::string_view operation) {
  Result<json::value> value =
      trust::ParseStrictJson(body, {.max_bytes = kMaxResponseJsonBytes, .max_depth = 16});
  if (!value || !value->is_object()) {
    return MakeError(StatusCode::kInternal, std::string(kResponseInvalid),
                     "the response to " + std::string(operation) +
                         " is not a JSON object; check that the server URL points at a "
                         "devtrust server");
  }
  return std::move(value->get_object());
}

JsonFields Fields(const json::object& object, std::string_view operation) {
  return JsonFields(object, "the response to " + std::string(operation),
                    std::string(kResponseInvalid), StatusCode::kInternal);
}

Result<ChallengeRef> DecodeChallengeRef(const JsonFields& fields) {
  ChallengeRef reference;
  for (auto [name, field] :
       {std::pair{"challenge_id", &reference.challenge_id}, std::pair{"kind", &reference.kind},
        std::pair{"expires_at", &reference.expires_at}}) {
    Result<std::string> value = fields.String(name);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = std::move(*value);
  }
  return reference;
}

Result<DeviceRecord> DecodeDeviceObject(const JsonFields& fields) {
  DeviceRecord device;
  for (auto [name, field] :
       {std::pair{"device_id", &device.device_id}, std::pair{"user_id", &device.user_id},
        std::pair{"status", &device.status}, std::pair{"created_at", &device.created_at}}) {
    Result<std::string> value = fields.String(name);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = std::move(*value);
  }
  for (auto [name, field] : {std::pair{"verified_at", &device.verified_at},
                             std::pair{"revoked_at", &device.revoked_at}}) {
    Result<std::optional<std::string>> value = fields.OptionalString(name);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = value->value_or("");
  }
  Result<bool> flagged = fields.Bool("flagged_for_review");
  if (!flagged) {
    return std::unexpected(flagged.error());
  }
  device.flagged_for_review = *flagged;
  Result<std::optional<bool>> has_ml_kem = fields.OptionalBool("has_ml_kem");
  if (!has_ml_kem) {
    return std::unexpected(has_ml_kem.error());
  }
  device.has_ml_kem = *has_ml_kem;
  return device;
}

Result<SessionBlock> DecodeSessionBlock(const JsonFields& fields) {
  SessionBlock session;
  Result<std::string> mode = fields.String("mode");
  if (!mode) {
    return std::unexpected(mode.error());
  }
  if (*mode != "hybrid" && *mode != "classical") {
    return fields.Fail("has mode \"" + mode->substr(0, kMaxReasonChars) +
                       "\"; expected hybrid or classical");
  }
  session.mode = std::move(*mode);

  Result<std::optional<std::string>> algorithm = fields.OptionalString("algorithm");
  if (!algorithm) {
    return std::unexpected(algorithm.error());
  }
  session.algorithm = algorithm->value_or("");

  Result<std::optional<Bytes>> ciphertext =
      fields.OptionalBase64Url("ciphertext", kMaxCiphertextBytes);
  if (!ciphertext) {
    return std::unexpected(ciphertext.error());
  }
  session.ciphertext = ciphertext->value_or(Bytes());
  Result<Bytes> server_public_key = fields.Base64Url("server_public_key", kMaxNonceBytes);
  if (!server_public_key) {
    return std::unexpected(server_public_key.error());
  }
  session.server_public_key = std::move(*server_public_key);

  // The relying party's copy of the key moves into a wiping buffer, and the
  // decoded bytes are cleared.
  Result<Bytes> key = fields.Base64Url("key", kMaxSessionKeyBytes);
  if (!key) {
    return std::unexpected(key.error());
  }
  session.key = crypto::SecretBytes(*key);
  std::fill(key->begin(), key->end(), std::uint8_t{0});
  return session;
}

Result<FallbackReport> DecodeFallback(const JsonFields& fields) {
  FallbackReport fallback;
  for (auto [name, field] :
       {std::pair{"algorithm", &fallback.algorithm},
        std::pair{"requested_algorithm", &fallback.requested_algorithm},
        std::pair{"reason", &fallback.reason}, std::pair{"flow_origin", &fallback.flow_origin}}) {
    Result<std::optional<std::string>> value = fields.OptionalString(name);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = value->value_or("");
  }
  return fallback;
}

// Keeps a peer's text printable and short before it goes into a message.
std::string SanitizedText(std::string_view text, std::size_t max_chars) {
  std::string result;
  for (char c : text.substr(0, max_chars)) {
    const auto byte = static_cast<unsigned char>(c);
    result.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
  }
  if (text.size() > max_chars) {
    result += "...";
  }
  return result;
}

bool IsReasonCode(std::string_view code) {
  return !code.empty() && code.size() <= kMaxReasonChars &&
         std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

StatusCode StatusCodeForHttp(unsigned status) {
  switch (status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kFailedPrecondition;
    case 413:
    case 429:
      return StatusCode::kResourceExhausted;
    case 504:
      return StatusCode::kDeadlineExceeded;
    default:
      return status >= 500 ? StatusCode::kUnavailable : StatusCode::kInvalidArgument;
  }
}

std::string_view HintForHttp(unsigned status, std::string_view code) {
  if (code.starts_with("nonce_")) {
    return "request a new challenge and try again";
  }
  if (code == "verification_code_invalid") {
    return "check the code and try again";
  }
  if (code.starts_with("challenge_")) {
    return "log in again to get a new challenge and code";
  }
  switch (status) {
    case 401:
      return "check the relying party API key (--api-key-file or DEVTRUST_RP_API_KEY)";
    case 403:
      return "use an API key whose role may call this operation";
    case 404:
      return "check the device id; enroll again if the server no longer knows the device";
    case 413:
      return "the request is larger than the server accepts";
    case 429:
      return "wait and try again";
    default:
      return status >= 500 ? "the server failed; look up the trace id in its log"
                           : "check the request values";
  }
}

}  // namespace

std::string EncodeChallengeRequest(std::string_view purpose, std::string_view user_id,
                                   std::string_view device_id) {
  json::object object;
  object["purpose"] = purpose;
  object["user_id"] = user_id;
  if (!device_id.empty()) {
    object["device_id"] = device_id;
  }
  return json::serialize(object);
}

std::string EncodeRegistrationRequest(const RegistrationRequest& request) {
  json::object public_keys;
  public_keys["ml_dsa_65"] = Base64UrlEncode(request.public_keys.ml_dsa);
  public_keys["ecdsa_p256"] = Base64UrlEncode(request.public_keys.ecdsa);
  if (!request.public_keys.ml_kem.empty()) {
    public_keys["ml_kem_768"] = Base64UrlEncode(request.public_keys.ml_kem);
  }
  public_keys["x25519"] = Base64UrlEncode(request.public_keys.x25519);

  json::object signatures;
  signatures["ml_dsa_65"] = Base64UrlEncode(request.signatures.ml_dsa);
  signatures["ecdsa_p256"] = Base64UrlEncode(request.signatures.ecdsa);

  json::object object;
  object["user_id"] = request.user_id;
  object["nonce"] = Base64UrlEncode(request.nonce);
  object["public_keys"] = std::move(public_keys);
  object["fingerprint"] = FingerprintJson(request.fingerprint);
  object["signatures"] = std::move(signatures);
  return json::serialize(object);
}

std::string EncodeValidationRequest(const ValidationRequest& request) {
  json::object object;
  object["user_id"] = request.user_id;
  object["device_id"] = request.device_id;
  object["nonce"] = Base64UrlEncode(request.nonce);
  object["certificate"] = Base64UrlEncode(request.certificate);
  object["signature"] = Base64UrlEncode(request.signatures.ml_dsa);
  // The classical pair lets the server continue on the ECDSA twin when its
  // policy allows that fallback; otherwise it is ignored.
  if (!request.classical_certificate.empty() && !request.signatures.ecdsa.empty()) {
    object["classical_certificate"] = Base64UrlEncode(request.classical_certificate);
    object["classical_signature"] = Base64UrlEncode(request.signatures.ecdsa);
  }
  object["fingerprint"] = FingerprintJson(request.fingerprint);
  return json::serialize(object);
}

crypto::SecretBytes EncodeVerifyRequest(std::string_view challenge_id,
                                        const crypto::SecretBytes& code) {
  internal::SecretJsonArena arena(4096 + challenge_id.size() * 2);
  json::object object(arena.storage());
  object["challenge_id"] = challenge_id;
  object["code"] = code.AsStringView();
  return internal::SerializeToSecretBytes(json::value(std::move(object)));
}

std::string EncodeRevokeRequest(std::string_view reason) {
  json::object object;
  if (!reason.empty()) {
    object["reason"] = reason;
  }
  return json::serialize(object);
}

Result<Challenge> DecodeChallenge(std::string_view body) {
  constexpr std::string_view kOperation = "POST /v1/challenges";
  Result<json::object> object = ParseResponseObject(body, kOperation);
  if (!object) {
    return std::unexpected(object.error());
  }
  const JsonFields fields = Fields(*object, kOperation);

  Challenge challenge;
  Result<Bytes> nonce = fields.Base64Url("nonce", kMaxNonceBytes);
  if (!nonce) {
    return std::unexpected(nonce.error());
  }
  challenge.nonce = std::move(*nonce);
  for (auto [name, field] :
       {std::pair{"purpose", &challenge.purpose}, std::pair{"user_id", &challenge.user_id},
        std::pair{"expires_at", &challenge.expires_at}}) {
    Result<std::string> value = fields.String(name);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = std::move(*value);
  }
  Result<std::optional<std::string>> device_id = fields.OptionalString("device_id");
  if (!device_id) {
    return std::unexpected(device_id.error());
  }
  challenge.device_id = device_id->value_or("");
  return challenge;
}

Result<Registration> DecodeRegistration(std::string_view body) {
  constexpr std::string_view kOperation = "POST /v1/devices";
  Result<json::object> object = ParseResponseObject(body, kOperation);
  if (!object) {
    return std::unexpected(object.error());
  }
  const JsonFields fields = Fields(*object, kOperation);

  Registration registration;
  for (auto [name, field] :
       {std::pair{"device_id", &registration.device_id},
        std::pair{"user_id", &registration.user_id}, std::pair{"status", &registration.status},
        std::pair{"trace_id", &registration.trace_id}}) {
    Result<std::string> value = fields.String(name);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = std::move(*value);
  }

  Result<const json::object*> certificates = fields.Object("certificates");
  if (!certificates) {
    return std::unexpected(certificates.error());
  }
  const JsonFields certificate_fields = fields.Nested(**certificates, "certificates");
  Result<Bytes> ml_dsa =
      certificate_fields.Base64Url("ml_dsa_65", crypto::Certificate::kMaxDerSize);
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  Result<Bytes> ecdsa =
      certificate_fields.Base64Url("ecdsa_p256", crypto::Certificate::kMaxDerSize);
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  registration.ml_dsa_certificate = std::move(*ml_dsa);
  registration.ecdsa_certificate = std::move(*ecdsa);

  Result<const json::object*> verification = fields.Object("verification");
  if (!verification) {
    return std::unexpected(verification.error());
  }
  Result<ChallengeRef> reference =
      DecodeChallengeRef(fields.Nested(**verification, "verification"));
  if (!reference) {
    return std::unexpected(reference.error());
  }
  registration.verification = std::move(*reference);
  return registration;
}

Result<DeviceRecord> DecodeDeviceRecord(std::string_view body, std::string_view operation) {
  Result<json::object> object = ParseResponseObject(body, operation);
  if (!object) {
    return std::unexpected(object.error());
  }
  return DecodeDeviceObject(Fields(*object, operation));
}

Result<ValidationResult> DecodeValidationResult(std::string_view body) {
  constexpr std::string_view kOperation = "POST /v1/trust/validate";
  Result<std::unique_ptr<internal::SecretJsonDocument>> document =
      internal::SecretJsonDocument::Parse(body, "the response to POST /v1/trust/validate");
  if (!document || !(*document)->value().is_object()) {
    return MakeError(StatusCode::kInternal, std::string(kResponseInvalid),
                     "the response to POST /v1/trust/validate is not a JSON object; check "
                     "that the server URL points at a devtrust server");
  }
  const JsonFields fields = Fields((*document)->value().get_object(), kOperation);

  ValidationResult result;
  for (auto [name, field] :
       {std::pair{"decision", &result.decision}, std::pair{"trust_result", &result.trust_result},
        std::pair{"trace_id", &result.trace_id}}) {
    Result<std::string> value = fields.String(name);
    if (!value) {
      return std::unexpected(value.error());
    }
    *field = std::move(*value);
  }
  Result<std::vector<std::string>> reasons = fields.StringArray("reasons");
  if (!reasons) {
    return std::unexpected(reasons.error());
  }
  result.reasons = std::move(*reasons);

  Result<const json::object*> challenge = fields.OptionalObject("challenge");
  if (!challenge) {
    return std::unexpected(challenge.error());
  }
  if (*challenge != nullptr) {
    Result<ChallengeRef> reference = DecodeChallengeRef(fields.Nested(**challenge, "challenge"));
    if (!reference) {
      return std::unexpected(reference.error());
    }
    result.challenge = std::move(*reference);
  }

  Result<const json::object*> drift = fields.OptionalObject("drift");
  if (!drift) {
    return std::unexpected(drift.error());
  }
  if (*drift != nullptr) {
    const JsonFields drift_fields = fields.Nested(**drift, "drift");
    Result<std::optional<double>> score = drift_fields.OptionalNumber("score");
    if (!score) {
      return std::unexpected(score.error());
    }
    Result<std::vector<std::string>> changed = drift_fields.OptionalStringArray("changed");
    if (!changed) {
      return std::unexpected(changed.error());
    }
    result.drift = DriftReport{.score = score->value_or(0.0), .changed = std::move(*changed)};
  }

  Result<const json::object*> session = fields.OptionalObject("session");
  if (!session) {
    return std::unexpected(session.error());
  }
  if (*session != nullptr) {
    Result<SessionBlock> block = DecodeSessionBlock(fields.Nested(**session, "session"));
    if (!block) {
      return std::unexpected(block.error());
    }
    result.session = std::move(*block);
  }

  Result<const json::object*> fallback = fields.OptionalObject("fallback");
  if (!fallback) {
    return std::unexpected(fallback.error());
  }
  if (*fallback != nullptr) {
    Result<FallbackReport> report = DecodeFallback(fields.Nested(**fallback, "fallback"));
    if (!report) {
      return std::unexpected(report.error());
    }
    result.fallback = std::move(*report);
  }
  return result;
}

Result<CaCertificates> DecodeCaCertificates(std::string_view body) {
  constexpr std::string_view kOperation = "GET /v1/ca/certificates";
  Result<json::object> object = ParseResponseObject(body, kOperation);
  if (!object) {
    return std::unexpected(object.error());
  }
  const JsonFields fields = Fields(*object, kOperation);
  Result<std::string> ml_dsa = fields.String("ml_dsa_65");
  if (!ml_dsa) {
    return std::unexpected(ml_dsa.error());
  }
  Result<std::string> ecdsa = fields.String("ecdsa_p256");
  if (!ecdsa) {
    return std::unexpected(ecdsa.error());
  }
  return CaCertificates{.ml_dsa_65 = std::move(*ml_dsa), .ecdsa_p256 = std::move(*ecdsa)};
}

Error DecodeErrorResponse(std::string_view operation, unsigned status, std::string_view body,
                          std::string_view trace_id_header) {
  std::string code;
  std::string server_message;
  std::string trace_id(trace_id_header);

  Result<json::value> value = trust::ParseStrictJson(body, {.max_bytes = kMaxResponseJsonBytes});
  if (value && value->is_object()) {
    const json::object& object = value->get_object();
    if (const json::value* error = object.if_contains("error");
        error != nullptr && error->is_object()) {
      const json::object& details = error->get_object();
      if (const json::value* found = details.if_contains("code");
          found != nullptr && found->is_string() && IsReasonCode(found->get_string())) {
        code = std::string(found->get_string());
      }
      if (const json::value* found = details.if_contains("message");
          found != nullptr && found->is_string()) {
        server_message = SanitizedText(found->get_string(), kMaxServerMessageChars);
      }
    }
    if (const json::value* found = object.if_contains("trace_id");
        trace_id.empty() && found != nullptr && found->is_string()) {
      trace_id = SanitizedText(found->get_string(), kMaxReasonChars);
    }
  }

  const std::string reason = code.empty() ? "http_" + std::to_string(status) : code;
  std::string message = std::string(operation) + " failed with HTTP " + std::to_string(status);
  if (!code.empty()) {
    message += " " + code;
  }
  if (!server_message.empty()) {
    message += ": " + server_message;
  }
  if (!trace_id.empty()) {
    message += " (trace id " + SanitizedText(trace_id, kMaxReasonChars) + ")";
  }
  message += "; " + std::string(HintForHttp(status, code));
  return Error(StatusCodeForHttp(status), reason, message);
}

}  // namespace devtrust::client
