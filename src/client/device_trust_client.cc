#include "client/device_trust_client.h"

#include <utility>

#include "client/api_key.h"
#include "client/identifiers.h"
#include "client/internal/secret_json.h"

namespace devtrust::client {

Result<std::unique_ptr<DeviceTrustClient>> DeviceTrustClient::Create(HttpsClientOptions options,
                                                                     crypto::SecretBytes api_key) {
  if (Status valid = ValidateApiKey(api_key, "the caller"); !valid) {
    return std::unexpected(valid.error());
  }
  Result<std::unique_ptr<HttpsClient>> https = HttpsClient::Create(std::move(options));
  if (!https) {
    return std::unexpected(https.error());
  }
  return std::unique_ptr<DeviceTrustClient>(
      new DeviceTrustClient(std::move(*https), std::move(api_key)));
}

Result<HttpResponse> DeviceTrustClient::Call(std::string_view method, std::string_view target,
                                             ByteView body, bool authenticated) {
  Result<HttpResponse> response =
      https_->Send(method, target, body, authenticated ? &api_key_ : nullptr);
  if (!response) {
    return std::unexpected(response.error());
  }
  if (response->status < 200 || response->status >= 300) {
    // Path parameters are ids the caller checked, so the target is safe to
    // show; it never carries a secret.
    const std::string operation = std::string(method) + " " + std::string(target);
    return std::unexpected(
        DecodeErrorResponse(operation, response->status, response->body, response->trace_id));
  }
  return response;
}

Result<Challenge> DeviceTrustClient::CreateRegistrationChallenge(std::string_view user_id) {
  if (Status valid = ValidateUserId(user_id); !valid) {
    return std::unexpected(valid.error());
  }
  const std::string body = EncodeChallengeRequest("register", user_id, "");
  Result<HttpResponse> response = Call("POST", "/v1/challenges", AsBytes(body), true);
  if (!response) {
    return std::unexpected(response.error());
  }
  return DecodeChallenge(response->body);
}

Result<Challenge> DeviceTrustClient::CreateLoginChallenge(std::string_view user_id,
                                                          std::string_view device_id) {
  if (Status valid = ValidateUserId(user_id); !valid) {
    return std::unexpected(valid.error());
  }
  if (Status valid = ValidateDeviceId(device_id); !valid) {
    return std::unexpected(valid.error());
  }
  const std::string body = EncodeChallengeRequest("login", user_id, device_id);
  Result<HttpResponse> response = Call("POST", "/v1/challenges", AsBytes(body), true);
  if (!response) {
    return std::unexpected(response.error());
  }
  return DecodeChallenge(response->body);
}

Result<Registration> DeviceTrustClient::RegisterDevice(const RegistrationRequest& request) {
  if (Status valid = ValidateUserId(request.user_id); !valid) {
    return std::unexpected(valid.error());
  }
  const std::string body = EncodeRegistrationRequest(request);
  Result<HttpResponse> response = Call("POST", "/v1/devices", AsBytes(body), true);
  if (!response) {
    return std::unexpected(response.error());
  }
  return DecodeRegistration(response->body);
}

Result<DeviceRecord> DeviceTrustClient::VerifyDevice(std::string_view device_id,
                                                     std::string_view challenge_id,
                                                     const crypto::SecretBytes& code) {
  if (Status valid = ValidateDeviceId(device_id); !valid) {
    return std::unexpected(valid.error());
  }
  const crypto::SecretBytes body = EncodeVerifyRequest(challenge_id, code);
  const std::string target = "/v1/devices/" + std::string(device_id) + "/verify";
  Result<HttpResponse> response = Call("POST", target, body.view(), true);
  if (!response) {
    return std::unexpected(response.error());
  }
  return DecodeDeviceRecord(response->body, "POST " + target);
}

Result<ValidationResult> DeviceTrustClient::Validate(const ValidationRequest& request) {
  if (Status valid = ValidateUserId(request.user_id); !valid) {
    return std::unexpected(valid.error());
  }
  if (Status valid = ValidateDeviceId(request.device_id); !valid) {
    return std::unexpected(valid.error());
  }
  const std::string body = EncodeValidationRequest(request);
  Result<HttpResponse> response = Call("POST", "/v1/trust/validate", AsBytes(body), true);
  if (!response) {
    return std::unexpected(response.error());
  }
  Result<ValidationResult> result = DecodeValidationResult(response->body);
  // The body carried the relying party's session key.
  internal::WipeString(response->body);
  return result;
}

Result<DeviceRecord> DeviceTrustClient::GetDevice(std::string_view device_id) {
  if (Status valid = ValidateDeviceId(device_id); !valid) {
    return std::unexpected(valid.error());
  }
  const std::string target = "/v1/devices/" + std::string(device_id);
  Result<HttpResponse> response = Call("GET", target, {}, true);
  if (!response) {
    return std::unexpected(response.error());
  }
  return DecodeDeviceRecord(response->body, "GET " + target);
}

Result<DeviceRecord> DeviceTrustClient::RevokeDevice(std::string_view device_id,
                                                     std::string_view reason) {
  if (Status valid = ValidateDeviceId(device_id); !valid) {
    return std::unexpected(valid.error());
  }
  const std::string body = EncodeRevokeRequest(reason);
  const std::string target = "/v1/devices/" + std::string(device_id) + "/revoke";
  Result<HttpResponse> response = Call("POST", target, AsBytes(body), true);
  if (!response) {
    return std::unexpected(response.error());
  }
  return DecodeDeviceRecord(response->body, "POST " + target);
}

Result<CaCertificates> DeviceTrustClient::GetCaCertificates() {
  Result<HttpResponse> response = Call("GET", "/v1/ca/certificates", {}, false);
  if (!response) {
    return std::unexpected(response.error());
  }
  return DecodeCaCertificates(response->body);
}

}  // namespace devtrust::client
