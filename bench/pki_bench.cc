// Microbenchmarks of the devtrust CA: issuing a device's two certificates and
// checking a device certificate with and without the verification cache. Run
// them from a release build:
//   devtrust_pki_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "crypto/keys.h"
#include "pki/certificate_authority.h"

namespace devtrust::pki {
namespace {

namespace fs = std::filesystem;

// Benchmarks measure the happy path; a failure means a broken build, so it
// stops the run instead of producing numbers for an error path.
template <typename T>
T OrDie(Result<T> result) {
  if (!result) {
    std::fprintf(stderr, "benchmark setup failed: %s\n", result.error().ToString().c_str());
    std::abort();
  }
  return *std::move(result);
}

// Two CAs over one temporary key directory, one with the verification cache
// and one without, and a device with both keys. Removed at exit.
class BenchCa {
 public:
  BenchCa() {
    std::random_device random;
    directory_ = fs::temp_directory_path() / ("devtrust_pki_bench_" + std::to_string(random()));
    cached_ = OrDie(CertificateAuthority::Open({.key_directory = directory_}, Now()));
    uncached_ = OrDie(CertificateAuthority::Open(
        {.key_directory = directory_, .verification_cache_capacity = 0}, Now()));
    ml_dsa_key_ = OrDie(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kMlDsa65));
    ecdsa_key_ = OrDie(crypto::PrivateKey::Generate(crypto::KeyAlgorithm::kEcdsaP256));
    device_ = OrDie(cached_->IssueDeviceCertificates(kIdentity, ml_dsa_key_->GetPublicKey(),
                                                     ecdsa_key_->GetPublicKey(), Now()));
  }
  ~BenchCa() {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  static crypto::TimePoint Now() { return std::chrono::system_clock::now(); }

  inline static const DeviceIdentity kIdentity{"device-42", "user-7"};

  const CertificateAuthority& cached() const { return *cached_; }
  const CertificateAuthority& uncached() const { return *uncached_; }
  crypto::PublicKey ml_dsa_public_key() const { return ml_dsa_key_->GetPublicKey(); }
  crypto::PublicKey ecdsa_public_key() const { return ecdsa_key_->GetPublicKey(); }
  const DeviceCertificates& device() const { return *device_; }

 private:
  fs::path directory_;
  std::unique_ptr<CertificateAuthority> cached_;
  std::unique_ptr<CertificateAuthority> uncached_;
  std::optional<crypto::PrivateKey> ml_dsa_key_;
  std::optional<crypto::PrivateKey> ecdsa_key_;
  std::optional<DeviceCertificates> device_;
};

const BenchCa& Ca() {
  static const BenchCa ca;
  return ca;
}

void BM_IssueDeviceCertificates(benchmark::State& state) {
  const CertificateAuthority& ca = Ca().cached();
  const crypto::PublicKey ml_dsa_key = Ca().ml_dsa_public_key();
  const crypto::PublicKey ecdsa_key = Ca().ecdsa_public_key();
  const crypto::TimePoint now = BenchCa::Now();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        OrDie(ca.IssueDeviceCertificates(BenchCa::kIdentity, ml_dsa_key, ecdsa_key, now)));
  }
}
BENCHMARK(BM_IssueDeviceCertificates)->Unit(benchmark::kMicrosecond);

void BM_CheckDeviceCertificate(benchmark::State& state, bool ml_dsa, bool cached) {
  const CertificateAuthority& ca = cached ? Ca().cached() : Ca().uncached();
  const crypto::Certificate& certificate = ml_dsa ? Ca().device().ml_dsa : Ca().device().ecdsa;
  const crypto::TimePoint now = BenchCa::Now();
  if (!ca.CheckDeviceCertificate(certificate, now)) {
    std::abort();
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(ca.CheckDeviceCertificate(certificate, now));
  }
}
BENCHMARK_CAPTURE(BM_CheckDeviceCertificate, MlDsa65Cold, true, false)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CheckDeviceCertificate, EcdsaP256Cold, false, false)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CheckDeviceCertificate, MlDsa65Cached, true, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CheckDeviceCertificate, EcdsaP256Cached, false, true)
    ->Unit(benchmark::kMicrosecond);

// The login path receives DER, so it parses before it checks.
void BM_ParseAndCheckDeviceCertificate(benchmark::State& state, bool ml_dsa, bool cached) {
  const CertificateAuthority& ca = cached ? Ca().cached() : Ca().uncached();
  const Bytes& der = ml_dsa ? Ca().device().ml_dsa.ToDer() : Ca().device().ecdsa.ToDer();
  const crypto::TimePoint now = BenchCa::Now();
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(ca.ParseAndCheckDeviceCertificate(der, now)));
  }
}
BENCHMARK_CAPTURE(BM_ParseAndCheckDeviceCertificate, MlDsa65Cold, true, false)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ParseAndCheckDeviceCertificate, MlDsa65Cached, true, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ParseAndCheckDeviceCertificate, EcdsaP256Cached, false, true)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace devtrust::pki

BENCHMARK_MAIN();
