// The devtrust API client of the device side. It also plays the relying
// party's part, sending the relying party API key as a bearer token, because
// the command-line device and the login replay have no backend of their own.
//
// Every method makes one request over the client's keep-alive HTTPS
// connection (https_client.h). A response outside 2xx becomes the Error of
// DecodeErrorResponse, with the server's error code as its reason; transport
// failures keep the reasons of HttpsClient::Send.
//
// Not thread-safe: use one client per thread.
#ifndef DEVTRUST_CLIENT_DEVICE_TRUST_CLIENT_H_
#define DEVTRUST_CLIENT_DEVICE_TRUST_CLIENT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "client/api_messages.h"
#include "client/https_client.h"
#include "crypto/secret_bytes.h"
#include "crypto/tls_context.h"

namespace devtrust::client {

class DeviceTrustClient {
 public:
  // Errors: those of HttpsClient::Create and "api_key_invalid".
  static Result<std::unique_ptr<DeviceTrustClient>> Create(HttpsClientOptions options,
                                                           crypto::SecretBytes api_key);

  // POST /v1/challenges for a registration of `user_id`.
  Result<Challenge> CreateRegistrationChallenge(std::string_view user_id);
  // POST /v1/challenges for a login of `device_id`.
  Result<Challenge> CreateLoginChallenge(std::string_view user_id, std::string_view device_id);
  // POST /v1/devices.
  Result<Registration> RegisterDevice(const RegistrationRequest& request);
  // POST /v1/devices/{id}/verify with the code the user received.
  Result<DeviceRecord> VerifyDevice(std::string_view device_id, std::string_view challenge_id,
                                    const crypto::SecretBytes& code);
  // POST /v1/trust/validate. A denied or challenged device is a result, not
  // an error.
  Result<ValidationResult> Validate(const ValidationRequest& request);
  // GET /v1/devices/{id}.
  Result<DeviceRecord> GetDevice(std::string_view device_id);
  // POST /v1/devices/{id}/revoke.
  Result<DeviceRecord> RevokeDevice(std::string_view device_id, std::string_view reason);
  // GET /v1/ca/certificates (sent without the API key).
  Result<CaCertificates> GetCaCertificates();

  // The TLS session of the current connection, once connected.
  const std::optional<crypto::TlsSessionInfo>& tls_session() const { return https_->tls_session(); }
  std::size_t connections_opened() const { return https_->connections_opened(); }

 private:
  DeviceTrustClient(std::unique_ptr<HttpsClient> https, crypto::SecretBytes api_key)
      : https_(std::move(https)), api_key_(std::move(api_key)) {}

  // Sends the request and returns the body of a 2xx response, or the decoded
  // error of any other.
  Result<HttpResponse> Call(std::string_view method, std::string_view target, ByteView body,
                            bool authenticated);

  std::unique_ptr<HttpsClient> https_;
  crypto::SecretBytes api_key_;
};

}  // namespace devtrust::client

#endif  // DEVTRUST_CLIENT_DEVICE_TRUST_CLIENT_H_
