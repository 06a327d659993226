#include "load_clients.h"

#include <utility>

#include "client/api_messages.h"
#include "client/device_keys.h"
#include "crypto/secret_bytes.h"

namespace devtrust::hardening {
namespace {

// Every fourth nonce stays unused, so that each run leaves some behind.
constexpr int kUnusedNonceEvery = 4;

// Whether a failed Send means the server went away, as opposed to a bug in
// the request or the client.
bool ServerGone(const Error& error) {
  const std::string& reason = error.reason();
  return reason == "server_unreachable" || reason == "tls_handshake_failed" ||
         reason == "server_connection_failed" || reason == "server_timeout";
}

std::string Describe(std::string_view what, const client::HttpResponse& response) {
  return std::string(what) + " got " + std::to_string(response.status) + ": " + response.body;
}

}  // namespace

std::unique_ptr<LoadRun> LoadRun::StartRegistrations(client::HttpsClientOptions options,
                                                     std::string api_key, std::string user_prefix,
                                                     int clients) {
  std::unique_ptr<LoadRun> run(new LoadRun(std::move(options), std::move(api_key)));
  for (int i = 0; i < clients; ++i) {
    run->threads_.emplace_back(&LoadRun::RunRegistrations, run.get(),
                               user_prefix + "-" + std::to_string(i));
  }
  return run;
}

std::unique_ptr<LoadRun> LoadRun::StartLogins(client::HttpsClientOptions options,
                                              std::string api_key,
                                              const std::vector<EnrolledDevice>& devices) {
  std::unique_ptr<LoadRun> run(new LoadRun(std::move(options), std::move(api_key)));
  for (const EnrolledDevice& device : devices) {
    run->threads_.emplace_back(&LoadRun::RunLogins, run.get(), &device);
  }
  return run;
}

LoadRun::~LoadRun() {
  stop_ = true;
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

LoadRecord LoadRun::Finish() {
  stop_ = true;
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  std::lock_guard lock(mutex_);
  return std::move(record_);
}

void LoadRun::Acknowledge(LoadRequest request) {
  std::lock_guard lock(mutex_);
  record_.acknowledged.push_back(std::move(request));
  ++acknowledged_count_;
}

void LoadRun::Unanswered(LoadRequest request) {
  std::lock_guard lock(mutex_);
  record_.unanswered.push_back(std::move(request));
}

void LoadRun::Unused(UnusedNonce nonce) {
  std::lock_guard lock(mutex_);
  record_.unused_nonces.push_back(std::move(nonce));
}

void LoadRun::Unexpected(std::string description) {
  std::lock_guard lock(mutex_);
  record_.unexpected.push_back(std::move(description));
}

void LoadRun::RunRegistrations(std::string user_id) {
  Result<std::unique_ptr<client::HttpsClient>> https = client::HttpsClient::Create(options_);
  if (!https) {
    Unexpected("HttpsClient::Create failed: " + https.error().ToString());
    return;
  }
  const crypto::SecretBytes key(AsBytes(api_key_));
  const trust::Fingerprint fingerprint = LaptopFingerprint();

  for (int i = 0; !stop_; ++i) {
    // A nonce for this registration.
    const std::string challenge_body = client::EncodeChallengeRequest("register", user_id, "");
    Result<client::HttpResponse> issued =
        (*https)->Send("POST", "/v1/challenges", AsBytes(challenge_body), &key);
    if (!issued) {
      if (!ServerGone(issued.error())) Unexpected("challenge: " + issued.error().ToString());
      return;
    }
    if (issued->status != 201) {
      Unexpected(Describe("challenge", *issued));
      return;
    }
    Result<client::Challenge> challenge = client::DecodeChallenge(issued->body);
    if (!challenge) {
      Unexpected("challenge: " + challenge.error().ToString());
      return;
    }
    if (i % kUnusedNonceEvery == kUnusedNonceEvery - 1) {
      Unused(UnusedNonce{user_id, "", challenge->nonce});
      continue;
    }

    // The registration, signed by fresh keys.
    Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
    if (!keys) {
      Unexpected("key generation: " + keys.error().ToString());
      return;
    }
    Result<client::RegistrationRequest> request =
        SignRegistration(*keys, user_id, challenge->nonce, fingerprint);
    if (!request) {
      Unexpected("signing: " + request.error().ToString());
      return;
    }
    LoadRequest sent{user_id, "", challenge->nonce, client::EncodeRegistrationRequest(*request)};
    Result<client::HttpResponse> response =
        (*https)->Send("POST", "/v1/devices", AsBytes(sent.body), &key);
    if (!response) {
      if (ServerGone(response.error())) {
        Unanswered(std::move(sent));
      } else {
        Unexpected("registration: " + response.error().ToString());
      }
      return;
    }
    if (response->status != 201) {
      Unexpected(Describe("registration", *response));
      return;
    }
    Result<client::Registration> registration = client::DecodeRegistration(response->body);
    if (!registration) {
      Unexpected("registration: " + registration.error().ToString());
      return;
    }
    sent.device_id = registration->device_id;
    Acknowledge(std::move(sent));
  }
}

void LoadRun::RunLogins(const EnrolledDevice* device) {
  Result<std::unique_ptr<client::HttpsClient>> https = client::HttpsClient::Create(options_);
  if (!https) {
    Unexpected("HttpsClient::Create failed: " + https.error().ToString());
    return;
  }
  const crypto::SecretBytes key(AsBytes(api_key_));
  const trust::Fingerprint fingerprint = LaptopFingerprint();

  for (int i = 0; !stop_; ++i) {
    const std::string challenge_body =
        client::EncodeChallengeRequest("login", device->user_id, device->device_id);
    Result<client::HttpResponse> issued =
        (*https)->Send("POST", "/v1/challenges", AsBytes(challenge_body), &key);
    if (!issued) {
      if (!ServerGone(issued.error())) Unexpected("challenge: " + issued.error().ToString());
      return;
    }
    if (issued->status != 201) {
      Unexpected(Describe("challenge", *issued));
      return;
    }
    Result<client::Challenge> challenge = client::DecodeChallenge(issued->body);
    if (!challenge) {
      Unexpected("challenge: " + challenge.error().ToString());
      return;
    }
    if (i % kUnusedNonceEvery == kUnusedNonceEvery - 1) {
      Unused(UnusedNonce{device->user_id, device->device_id, challenge->nonce});
      continue;
    }

    Result<client::ValidationRequest> login = SignLogin(*device, challenge->nonce, fingerprint);
    if (!login) {
      Unexpected("signing: " + login.error().ToString());
      return;
    }
    LoadRequest sent{device->user_id, device->device_id, challenge->nonce,
                     client::EncodeValidationRequest(*login)};
    Result<client::HttpResponse> response =
        (*https)->Send("POST", "/v1/trust/validate", AsBytes(sent.body), &key);
    if (!response) {
      if (ServerGone(response.error())) {
        Unanswered(std::move(sent));
      } else {
        Unexpected("validation: " + response.error().ToString());
      }
      return;
    }
    if (response->status != 200) {
      Unexpected(Describe("validation", *response));
      return;
    }
    Result<client::ValidationResult> result = client::DecodeValidationResult(response->body);
    if (!result) {
      Unexpected("validation: " + result.error().ToString());
      return;
    }
    if (result->decision != "trusted") {
      Unexpected(Describe("validation", *response));
      return;
    }
    Acknowledge(std::move(sent));
  }
}

}  // namespace devtrust::hardening
