// Measures ValidationService::Validate in process, without HTTP and TLS. A
// validation here runs the whole pipeline: the real SQLite store with its
// nonce read and its one write transaction, the CA checks, ML-DSA
// verification, the hybrid session key and the JSON log.
//
//   devtrust_service_bench [--rate 2000] [--seconds 5] [--threads 2]
//                          [--synchronous normal|full]
//
// Requests arrive open-loop at --rate per second: each has a scheduled start,
// and its latency runs from that schedule to its completion, so a stall
// delays the requests behind it instead of hiding them. Logins are signed
// before the clock starts. The output gives p50, p99 and p999 latency, the
// achieved rate and the CPU time per validation.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crypto/random.h"
#include "crypto/signature.h"
#include "pki/certificate_authority.h"
#include "service/challenge_service.h"
#include "service/flow_reasons.h"
#include "service/notification_payload.h"
#include "service/registration_service.h"
#include "service/service_context.h"
#include "service/validation_service.h"
#include "service/verification_service.h"
#include "store/sqlite_store.h"
#include "telemetry/log_output.h"
#include "trust/proof.h"

namespace devtrust::service {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  double rate = 2000;
  double seconds = 5;
  int threads = 2;
  store::SqliteSynchronous synchronous = store::SqliteSynchronous::kNormal;
};

[[noreturn]] void Die(const std::string& problem) {
  std::fprintf(stderr, "devtrust_service_bench: %s\n", problem.c_str());
  std::exit(1);
}

template <typename T>
T Check(Result<T> result, const char* step) {
  if (!result) Die(std::string(step) + " failed: " + result.error().ToString());
  return *std::move(result);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--rate") {
      options.rate = std::stod(value);
    } else if (flag == "--seconds") {
      options.seconds = std::stod(value);
    } else if (flag == "--threads") {
      options.threads = std::stoi(value);
    } else if (flag == "--synchronous") {
      options.synchronous =
          value == "full" ? store::SqliteSynchronous::kFull : store::SqliteSynchronous::kNormal;
    } else {
      Die("unknown option " + flag + "; see the comment at the top of validation_bench.cc");
    }
  }
  return options;
}

trust::Fingerprint Laptop() {
  const std::pair<std::string_view, std::string_view> attributes[] = {
      {"user_agent",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36"},
      {"platform", "Win32"},
      {"screen_width", "1920"},
      {"screen_height", "1080"},
      {"timezone", "Europe/Berlin"},
      {"language", "en-US"}};
  return Check(trust::Fingerprint::FromAttributes(attributes), "fingerprint");
}

double CpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double Percentile(std::vector<double>& sorted, double fraction) {
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

int Run(const Options& options) {
  std::random_device random;
  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() / ("devtrust_bench_" + std::to_string(random()));
  std::filesystem::create_directories(directory);

  // The same parts `serve` assembles, on a temporary directory.
  store::SqliteStoreOptions store_options;
  store_options.path = (directory / "devtrust.db").string();
  store_options.synchronous = options.synchronous;
  std::unique_ptr<store::SqliteStore> store =
      Check(store::SqliteStore::Open(store_options), "store");
  pki::CaOptions ca_options;
  ca_options.key_directory = directory / "pki";
  std::unique_ptr<pki::CertificateAuthority> ca =
      Check(pki::CertificateAuthority::Open(ca_options, std::chrono::system_clock::now()), "CA");
  std::shared_ptr<telemetry::LogOutput> log =
      Check(telemetry::LogOutput::OpenFile((directory / "log.jsonl").string()), "log");
  auto logger = std::make_shared<telemetry::Logger>(log, "bench");
  telemetry::TrustLog trust_log(log);
  telemetry::MetricsOptions metrics_options;
  metrics_options.decision_reasons = DecisionReasonAllowlist();
  std::unique_ptr<telemetry::Metrics> metrics =
      Check(telemetry::Metrics::Create(metrics_options), "metrics");
  const ServiceKeys keys =
      Check(ServiceKeys::Derive(Check(crypto::RandomSecretBytes(32), "secret")), "keys");
  ServiceContext context{.store = *store,
                         .ca = *ca,
                         .trust_log = trust_log,
                         .metrics = *metrics,
                         .logger = logger,
                         .keys = keys,
                         .fallback_policy = {},
                         .settings = {},
                         .node = "bench",
                         .clock = [] { return std::chrono::system_clock::now(); },
                         .notification_queued = {}};
  const trust::ValidationPipeline pipeline(trust::DriftPolicy{}, trust::FallbackPolicy{});
  DeviceKeyCache key_cache(1000);
  ChallengeService challenges(context);
  RegistrationService registrations(context);
  VerificationService verifications(context);
  ValidationService validations(context, pipeline, key_cache);
  RequestFacts facts;
  facts.trace_id = "0123456789abcdef0123456789abcdef";
  facts.tls_group = "X25519MLKEM768";

  // One enrolled device.
  const trust::Fingerprint fingerprint = Laptop();
  const crypto::PrivateKey ml_dsa =
      Check(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa65), "key");
  const crypto::PrivateKey ecdsa =
      Check(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kEcdsaP256), "key");
  const crypto::PrivateKey ml_kem =
      Check(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlKem768), "key");
  const crypto::PrivateKey x25519 =
      Check(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kX25519), "key");
  RegistrationRequest registration;
  registration.user_id = "bench";
  registration.nonce =
      Check(challenges.Issue({store::NoncePurpose::kRegister, "bench", ""}, facts), "challenge")
          .nonce;
  registration.public_keys = {ml_dsa.GetPublicKey().ToSpkiDer(), ecdsa.GetPublicKey().ToSpkiDer(),
                              ml_kem.GetPublicKey().ToSpkiDer(), x25519.GetPublicKey().ToSpkiDer()};
  registration.fingerprint = fingerprint;
  const Bytes proof =
      trust::EncodeRegistrationProof({.user_id = "bench",
                                      .nonce = registration.nonce,
                                      .ml_dsa_public_key = registration.public_keys.ml_dsa,
                                      .ecdsa_public_key = registration.public_keys.ecdsa,
                                      .ml_kem_public_key = registration.public_keys.ml_kem,
                                      .x25519_public_key = registration.public_keys.x25519},
                                     fingerprint);
  crypto::SignOptions register_options;
  register_options.context = trust::kRegistrationProofContext;
  registration.ml_dsa_signature = Check(crypto::Sign(ml_dsa, proof, register_options), "sign");
  registration.ecdsa_signature = Check(crypto::Sign(ecdsa, proof), "sign");
  const RegistrationResult enrolled =
      Check(registrations.Register(registration, facts), "register");
  for (const store::Notification& notification :
       Check(store->FetchDueNotifications(std::chrono::system_clock::now(), 10), "notifications")) {
    ops::NotificationMessage message = Check(DecodeNotification(keys, notification), "decode");
    VerifyRequest verify{enrolled.device.device_id, message.challenge_id, std::move(message.code)};
    Check(verifications.Verify(verify, facts), "verify");
  }

  // Every login signed before the clock starts.
  const auto total = static_cast<std::size_t>(options.rate * options.seconds);
  std::vector<ValidationRequest> logins(total);
  crypto::SignOptions login_options;
  login_options.context = trust::kLoginProofContext;
  for (ValidationRequest& login : logins) {
    login.user_id = "bench";
    login.device_id = enrolled.device.device_id;
    login.nonce =
        Check(challenges.Issue({store::NoncePurpose::kLogin, "bench", enrolled.device.device_id},
                               facts),
              "challenge")
            .nonce;
    login.certificate = enrolled.ml_dsa_certificate;
    login.fingerprint = fingerprint;
    login.signature = Check(
        crypto::Sign(ml_dsa,
                     trust::EncodeLoginProof("bench", login.device_id, login.nonce, fingerprint),
                     login_options),
        "sign");
  }

  // Open-loop: request i is due at start + i / rate.
  std::vector<double> latencies(total);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> not_trusted{0};
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(100);
  const double cpu_before = CpuSeconds();
  std::vector<std::thread> workers;
  for (int t = 0; t < options.threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < total; i = next++) {
        const Clock::time_point due =
            start + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(static_cast<double>(i) / options.rate));
        std::this_thread::sleep_until(due);
        Result<ValidationResponse> response = validations.Validate(logins[i], facts);
        latencies[i] = std::chrono::duration<double, std::milli>(Clock::now() - due).count();
        if (!response || response->outcome.decision.result != trust::TrustResult::kTrusted) {
          ++not_trusted;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = CpuSeconds() - cpu_before;

  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "validations %zu (not trusted %zu) in %.2f s: %.0f/s offered, %.0f/s achieved, %d threads, "
      "synchronous %s\n"
      "latency ms: p50 %.3f  p99 %.3f  p999 %.3f  max %.3f\n"
      "cpu per validation: %.3f ms\n",
      total, not_trusted.load(), elapsed, options.rate, static_cast<double>(total) / elapsed,
      options.threads, options.synchronous == store::SqliteSynchronous::kFull ? "full" : "normal",
      Percentile(latencies, 0.50), Percentile(latencies, 0.99), Percentile(latencies, 0.999),
      latencies.back(), 1000.0 * cpu / static_cast<double>(total));

  store->Close();
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
  return not_trusted.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace devtrust::service

int main(int argc, char** argv) {
  return devtrust::service::Run(devtrust::service::ParseOptions(argc, argv));
}
