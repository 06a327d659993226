// `devtrust device`: the device side on the command line. `enroll` creates
// the device's keys and registers them, `verify` passes a verification
// challenge with the code the user received, and `login` proves possession
// of the keys and prints devtrust's decision. The command plays the relying
// party's part too, with the relying party API key.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include "base/error.h"
#include "cli/commands.h"
#include "client/api_key.h"
#include "client/device_flows.h"
#include "client/device_keys.h"
#include "client/device_trust_client.h"
#include "client/fingerprint_source.h"
#include "client/identifiers.h"
#include "client/key_file.h"
#include "client/server_url.h"
#include "crypto/secret_bytes.h"

namespace devtrust::cli {
namespace {

namespace fs = std::filesystem;

// Exit codes of `devtrust device`, part of its interface for scripts.
constexpr int kExitTrusted = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitChallenge = 3;
constexpr int kExitDenied = 4;

constexpr std::string_view kExitCodesFooter = R"(
Exit status:
  0  success: enrolled, verified, or the login was trusted
  3  the login got a challenge: a verification code was sent to the user;
     answer it with `devtrust device verify --code N`
  4  the login was denied
  1  error: the server could not be reached, a request failed, or a file
     could not be read or written
  2  usage error: a missing or invalid option
)";

constexpr std::string_view kTrustFooter = R"(
Trust in the server: the device verifies the server's TLS certificate
against --ca-file, a PEM file with the devtrust CA's root certificates,
which the server operator hands out (`devtrust serve` writes both roots to
ca-bundle.pem in its data directory). There is no trust on first use. After
enrollment the key file remembers the server URL and the CA file, so later
commands need neither.

Secrets: the relying party API key comes from --api-key-file (mode 0600) or
the environment variable DEVTRUST_RP_API_KEY and is never printed. The key
file holds the private keys and is written with mode 0600; a key file that
group or others may read is rejected.
)";

struct CommonArguments {
  std::string key_file;
  std::string server;
  std::string ca_file;
  std::string api_key_file;
};

struct EnrollArguments {
  CommonArguments common;
  std::string user;
  std::string fingerprint_file;
  bool without_ml_kem = false;
};

struct VerifyArguments {
  CommonArguments common;
  std::string code;
  std::string challenge;
};

struct LoginArguments {
  CommonArguments common;
  std::string fingerprint_file;
};

void PrintError(std::string_view command, const Error& error) {
  std::cerr << fmt::format("devtrust device {}: {}: {}\n", command, error.reason(),
                           error.message());
}

int UsageError(std::string_view command, std::string_view message) {
  std::cerr << fmt::format("devtrust device {}: {} (see --help)\n", command, message);
  return kExitUsage;
}

void AddCommonOptions(CLI::App* command, CommonArguments& arguments) {
  command->add_option("--key-file", arguments.key_file,
                      "Key file with the device's keys and enrollment (default: "
                      "$XDG_CONFIG_HOME/devtrust/device-key.json)");
  command->add_option("--ca-file", arguments.ca_file,
                      "PEM file with the devtrust CA root certificates that the server's TLS "
                      "certificate must chain to");
  command->add_option("--api-key-file", arguments.api_key_file,
                      "File with the relying party API key, mode 0600 (default: the "
                      "DEVTRUST_RP_API_KEY environment variable)");
}

Result<fs::path> KeyFilePath(const CommonArguments& arguments) {
  if (!arguments.key_file.empty()) {
    return fs::path(arguments.key_file);
  }
  return client::DefaultKeyFilePath();
}

// " --key-file F" when the command was given one, for the next command to
// print.
std::string KeyFileOption(const CommonArguments& arguments) {
  return arguments.key_file.empty() ? std::string() : " --key-file " + arguments.key_file;
}

Result<trust::Fingerprint> CurrentFingerprint(const std::string& fingerprint_file) {
  if (!fingerprint_file.empty()) {
    return client::ReadFingerprintFile(fingerprint_file);
  }
  return client::CollectLocalFingerprint();
}

// Creates the API client for `server_url`. It connects at its first request
// and verifies the server against `ca_file`.
Result<std::unique_ptr<client::DeviceTrustClient>> NewClient(std::string_view server_url,
                                                             const std::string& ca_file,
                                                             const std::string& api_key_file) {
  Result<client::ServerUrl> url = client::ParseServerUrl(server_url);
  if (!url) {
    return std::unexpected(url.error());
  }
  Result<crypto::SecretBytes> api_key = client::LoadApiKey(api_key_file);
  if (!api_key) {
    return std::unexpected(api_key.error());
  }
  client::HttpsClientOptions options;
  options.server = *url;
  options.ca_file = ca_file;
  return client::DeviceTrustClient::Create(std::move(options), std::move(*api_key));
}

void PrintConnection(const client::DeviceTrustClient& client) {
  if (const auto& session = client.tls_session()) {
    std::cout << fmt::format("connection: {}, key exchange {}, server signature {}\n",
                             session->protocol, session->group,
                             session->server_signature_algorithm);
  }
}

// An enrolled device's key file and the API client for its server.
struct EnrolledDevice {
  fs::path path;
  client::KeyFile key_file;
  std::unique_ptr<client::DeviceTrustClient> client;
};

// Loads an enrolled key file and creates the client for its server,
// honouring the --server and --ca-file overrides.
Result<EnrolledDevice> OpenEnrolledDevice(const CommonArguments& arguments) {
  Result<fs::path> path = KeyFilePath(arguments);
  if (!path) {
    return std::unexpected(path.error());
  }
  Result<client::KeyFile> key_file = client::LoadKeyFile(*path);
  if (!key_file) {
    return std::unexpected(key_file.error());
  }
  if (!key_file->enrollment) {
    return MakeError(
        StatusCode::kFailedPrecondition, "device_not_enrolled",
        "key file " + path->string() + " has no enrollment; run `devtrust device enroll` first");
  }
  const client::Enrollment& enrollment = *key_file->enrollment;
  const std::string server = arguments.server.empty() ? enrollment.server_url : arguments.server;
  const std::string ca_file = arguments.ca_file.empty() ? enrollment.ca_file : arguments.ca_file;
  Result<std::unique_ptr<client::DeviceTrustClient>> connected =
      NewClient(server, ca_file, arguments.api_key_file);
  if (!connected) {
    return std::unexpected(connected.error());
  }
  return EnrolledDevice{
      .path = std::move(*path), .key_file = std::move(*key_file), .client = std::move(*connected)};
}

int RunEnroll(const EnrollArguments& arguments) {
  constexpr std::string_view kCommand = "enroll";
  if (arguments.common.server.empty()) {
    return UsageError(kCommand, "--server is required");
  }
  if (arguments.user.empty()) {
    return UsageError(kCommand, "--user is required");
  }
  if (arguments.common.ca_file.empty()) {
    return UsageError(kCommand,
                      "--ca-file is required: the device trusts the server only through the "
                      "devtrust CA root certificates");
  }
  if (Status valid = client::ValidateUserId(arguments.user); !valid) {
    return UsageError(kCommand, valid.error().message());
  }
  if (Result<client::ServerUrl> url = client::ParseServerUrl(arguments.common.server); !url) {
    return UsageError(kCommand, url.error().message());
  }

  Result<fs::path> path = KeyFilePath(arguments.common);
  if (!path) {
    PrintError(kCommand, path.error());
    return kExitError;
  }
  Result<trust::Fingerprint> fingerprint = CurrentFingerprint(arguments.fingerprint_file);
  if (!fingerprint) {
    PrintError(kCommand, fingerprint.error());
    return kExitError;
  }
  Result<std::unique_ptr<client::DeviceTrustClient>> connected =
      NewClient(arguments.common.server, arguments.common.ca_file, arguments.common.api_key_file);
  if (!connected) {
    PrintError(kCommand, connected.error());
    return kExitError;
  }

  // The keys are saved before registering, so that a registered device never
  // exists without its private keys on disk.
  Result<client::DeviceKeys> keys = client::GenerateDeviceKeys(
      arguments.without_ml_kem ? client::MlKemChoice::kOmit : client::MlKemChoice::kInclude);
  if (!keys) {
    PrintError(kCommand, keys.error());
    return kExitError;
  }
  client::KeyFile key_file{.user_id = arguments.user, .keys = std::move(*keys), .enrollment = {}};
  if (Status saved = client::SaveKeyFile(*path, key_file, client::KeyFileWrite::kCreateNew);
      !saved) {
    PrintError(kCommand, saved.error());
    return kExitError;
  }

  Result<client::RegisteredDevice> registered =
      client::RegisterDevice(**connected, key_file.keys, arguments.user, *fingerprint);
  if (!registered) {
    PrintError(kCommand, registered.error());
    std::cerr << fmt::format("The new keys stay in {}; remove that file before enrolling again.\n",
                             path->string());
    return kExitError;
  }

  const client::Registration& registration = registered->registration;
  key_file.enrollment =
      client::Enrollment{.server_url = client::ParseServerUrl(arguments.common.server)->ToString(),
                         .ca_file = fs::absolute(arguments.common.ca_file).string(),
                         .device_id = registration.device_id,
                         .status = registration.status,
                         .ml_dsa_certificate = registered->ml_dsa_certificate,
                         .ecdsa_certificate = registered->ecdsa_certificate,
                         .pending_challenge = client::PendingChallenge{
                             .challenge_id = registration.verification.challenge_id,
                             .kind = registration.verification.kind,
                             .expires_at = registration.verification.expires_at}};
  if (Status saved = client::SaveKeyFile(*path, key_file, client::KeyFileWrite::kReplaceExisting);
      !saved) {
    PrintError(kCommand, saved.error());
    std::cerr << fmt::format(
        "Device {} was registered but its certificates could not be saved; revoke it and "
        "enroll again.\n",
        registration.device_id);
    return kExitError;
  }

  std::cout << fmt::format("device id: {}\n", registration.device_id);
  std::cout << fmt::format("user: {}\n", arguments.user);
  std::cout << fmt::format("status: {}\n", registration.status);
  std::cout << fmt::format("session keys: {}\n", key_file.keys.ml_kem
                                                     ? "hybrid ML-KEM-768 + X25519"
                                                     : "classical X25519 (no ML-KEM key)");
  std::cout << fmt::format("key file: {}\n", path->string());
  PrintConnection(**connected);
  std::cout << fmt::format("challenge id: {} (expires {})\n",
                           registration.verification.challenge_id,
                           registration.verification.expires_at);
  std::cout << fmt::format("trace id: {}\n", registration.trace_id);
  std::cout << "A verification code was sent to the user. Complete the enrollment with:\n"
               "  devtrust device verify --code <code>"
            << KeyFileOption(arguments.common) << "\n";
  return kExitTrusted;
}

int RunVerify(const VerifyArguments& arguments) {
  constexpr std::string_view kCommand = "verify";
  if (arguments.code.empty()) {
    return UsageError(kCommand, "--code is required");
  }
  if (arguments.code.size() < 6 || arguments.code.size() > 8 ||
      arguments.code.find_first_not_of("0123456789") != std::string::npos) {
    return UsageError(kCommand, "--code must be the 6 to 8 digits the user received");
  }

  Result<EnrolledDevice> device = OpenEnrolledDevice(arguments.common);
  if (!device) {
    PrintError(kCommand, device.error());
    return kExitError;
  }
  client::Enrollment& enrollment = *device->key_file.enrollment;
  std::string challenge_id = arguments.challenge;
  if (challenge_id.empty()) {
    if (!enrollment.pending_challenge) {
      return UsageError(kCommand,
                        "the key file has no pending challenge; pass --challenge with the "
                        "challenge id");
    }
    challenge_id = enrollment.pending_challenge->challenge_id;
  }

  const crypto::SecretBytes code(AsBytes(arguments.code));
  Result<client::DeviceRecord> record =
      device->client->VerifyDevice(enrollment.device_id, challenge_id, code);
  if (!record) {
    PrintError(kCommand, record.error());
    return kExitError;
  }

  enrollment.status = record->status;
  if (enrollment.pending_challenge && enrollment.pending_challenge->challenge_id == challenge_id) {
    enrollment.pending_challenge.reset();
  }
  if (Status saved = client::SaveKeyFile(device->path, device->key_file,
                                         client::KeyFileWrite::kReplaceExisting);
      !saved) {
    PrintError(kCommand, saved.error());
    return kExitError;
  }

  std::cout << fmt::format("challenge {} passed\n", challenge_id);
  std::cout << fmt::format("device id: {}\n", record->device_id);
  std::cout << fmt::format("status: {}\n", record->status);
  std::cout << fmt::format("flagged for review: {}\n", record->flagged_for_review ? "yes" : "no");
  return kExitTrusted;
}

std::string Joined(const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& value : values) {
    joined += (joined.empty() ? "" : ", ") + value;
  }
  return joined.empty() ? "-" : joined;
}

int RunLogin(const LoginArguments& arguments) {
  constexpr std::string_view kCommand = "login";
  Result<EnrolledDevice> device = OpenEnrolledDevice(arguments.common);
  if (!device) {
    PrintError(kCommand, device.error());
    return kExitError;
  }
  Result<trust::Fingerprint> fingerprint = CurrentFingerprint(arguments.fingerprint_file);
  if (!fingerprint) {
    PrintError(kCommand, fingerprint.error());
    return kExitError;
  }

  client::Enrollment& enrollment = *device->key_file.enrollment;
  const client::LoginCredentials credentials{.user_id = device->key_file.user_id,
                                             .device_id = enrollment.device_id,
                                             .keys = &device->key_file.keys,
                                             .ml_dsa_certificate = &enrollment.ml_dsa_certificate,
                                             .ecdsa_certificate = &enrollment.ecdsa_certificate};
  Result<client::LoginOutcome> outcome = client::LogIn(*device->client, credentials, *fingerprint);
  if (!outcome) {
    PrintError(kCommand, outcome.error());
    return kExitError;
  }
  const client::ValidationResult& result = outcome->result;

  std::cout << fmt::format("decision: {} ({})\n", result.decision, result.trust_result);
  std::cout << fmt::format("reasons: {}\n", Joined(result.reasons));
  std::cout << fmt::format("trace id: {}\n", result.trace_id);
  if (result.drift) {
    std::cout << fmt::format("drift: score {:.2f}, changed {}\n", result.drift->score,
                             Joined(result.drift->changed));
  }
  if (result.fallback) {
    std::cout << fmt::format("fallback: {} instead of {} ({}, origin {})\n",
                             result.fallback->algorithm, result.fallback->requested_algorithm,
                             result.fallback->reason, result.fallback->flow_origin);
  }
  std::cout << fmt::format(
      "validation round trip: {:.1f} ms\n",
      std::chrono::duration<double, std::milli>(outcome->validation_latency).count());
  PrintConnection(*device->client);

  int exit_code = kExitTrusted;
  if (result.session) {
    std::cout << fmt::format("session mode: {}\n", result.session->mode);
    if (outcome->session_error) {
      PrintError(kCommand, *outcome->session_error);
      exit_code = kExitError;
    } else if (outcome->session->agreed) {
      std::cout << fmt::format("session key agreed ({})\n", result.session->mode);
    } else {
      std::cerr << "devtrust device login: session_key_mismatch: the device derived another "
                   "session key than the relying party received; do not use this session\n";
      exit_code = kExitError;
    }
  } else {
    std::cout << "session mode: none\n";
  }

  if (result.challenge) {
    enrollment.pending_challenge =
        client::PendingChallenge{.challenge_id = result.challenge->challenge_id,
                                 .kind = result.challenge->kind,
                                 .expires_at = result.challenge->expires_at};
    if (Status saved = client::SaveKeyFile(device->path, device->key_file,
                                           client::KeyFileWrite::kReplaceExisting);
        !saved) {
      PrintError(kCommand, saved.error());
      return kExitError;
    }
    std::cout << fmt::format("challenge id: {} ({}, expires {})\n", result.challenge->challenge_id,
                             result.challenge->kind, result.challenge->expires_at);
    std::cout << "A verification code was sent to the user. Answer it with:\n"
                 "  devtrust device verify --code <code>"
              << KeyFileOption(arguments.common) << "\n";
  }

  if (exit_code != kExitTrusted) {
    return exit_code;
  }
  if (result.decision == "trusted") {
    return kExitTrusted;
  }
  return result.decision == "challenge" ? kExitChallenge : kExitDenied;
}

}  // namespace

void AddDeviceCommand(CLI::App& app) {
  CLI::App* device = app.add_subcommand(
      "device", "The device side: enroll this device, answer a verification challenge, log in");
  device->require_subcommand(1);

  auto enroll_arguments = std::make_shared<EnrollArguments>();
  CLI::App* enroll = device->add_subcommand(
      "enroll", "Create the device's keys, register them, and store the certificates");
  enroll->add_option("--server", enroll_arguments->common.server,
                     "devtrust server URL, such as https://127.0.0.1:8443");
  enroll->add_option("--user", enroll_arguments->user,
                     "User id the device belongs to, as the relying party knows the user");
  enroll->add_option("--fingerprint-file", enroll_arguments->fingerprint_file,
                     "JSON object of device attributes to report (default: read from this "
                     "machine: platform, hardware model, OS build, language, timezone)");
  enroll->add_flag("--no-ml-kem", enroll_arguments->without_ml_kem,
                   "Register without an ML-KEM-768 key, so sessions use classical X25519");
  AddCommonOptions(enroll, enroll_arguments->common);
  enroll->footer(std::string(kExitCodesFooter) + std::string(kTrustFooter));
  enroll->callback([enroll_arguments] { SetExitCode(RunEnroll(*enroll_arguments)); });

  auto verify_arguments = std::make_shared<VerifyArguments>();
  CLI::App* verify = device->add_subcommand(
      "verify", "Answer a verification challenge with the code the user received");
  verify->add_option("--code", verify_arguments->code, "The 6 to 8 digit verification code");
  verify->add_option("--challenge", verify_arguments->challenge,
                     "Challenge id (default: the pending challenge in the key file)");
  verify->add_option("--server", verify_arguments->common.server,
                     "devtrust server URL (default: the one in the key file)");
  AddCommonOptions(verify, verify_arguments->common);
  verify->footer(std::string(kExitCodesFooter));
  verify->callback([verify_arguments] { SetExitCode(RunVerify(*verify_arguments)); });

  auto login_arguments = std::make_shared<LoginArguments>();
  CLI::App* login = device->add_subcommand(
      "login", "Prove possession of the device keys and print devtrust's decision");
  login->add_option("--fingerprint-file", login_arguments->fingerprint_file,
                    "JSON object of device attributes to report (default: read from this "
                    "machine)");
  login->add_option("--server", login_arguments->common.server,
                    "devtrust server URL (default: the one in the key file)");
  AddCommonOptions(login, login_arguments->common);
  login->footer(std::string(kExitCodesFooter) + std::string(kTrustFooter));
  login->callback([login_arguments] { SetExitCode(RunLogin(*login_arguments)); });
}

}  // namespace devtrust::cli
