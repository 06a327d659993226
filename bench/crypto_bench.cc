// Microbenchmarks of every primitive in src/crypto. Run them from a release
// build:
//   devtrust_crypto_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/hkdf.h"
#include "crypto/hmac.h"
#include "crypto/kem.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "crypto/session_key.h"
#include "crypto/signature.h"
#include "crypto/x25519.h"

namespace devtrust::crypto {
namespace {

constexpr std::size_t kPayloadSize = 1024;
constexpr std::int64_t kPayloadBytes = static_cast<std::int64_t>(kPayloadSize);
constexpr std::string_view kContext = "devtrust/login";
constexpr std::string_view kLabel = "login/device-42/nonce-7";

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

std::string_view ContextFor(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kEcdsaP256 ? std::string_view() : kContext;
}

void BM_Keygen(benchmark::State& state, KeyAlgorithm algorithm) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(PrivateKey::Generate(algorithm)));
  }
}
BENCHMARK_CAPTURE(BM_Keygen, MlDsa65, KeyAlgorithm::kMlDsa65);
BENCHMARK_CAPTURE(BM_Keygen, MlDsa87, KeyAlgorithm::kMlDsa87);
BENCHMARK_CAPTURE(BM_Keygen, MlKem768, KeyAlgorithm::kMlKem768);
BENCHMARK_CAPTURE(BM_Keygen, MlKem1024, KeyAlgorithm::kMlKem1024);
BENCHMARK_CAPTURE(BM_Keygen, EcdsaP256, KeyAlgorithm::kEcdsaP256);
BENCHMARK_CAPTURE(BM_Keygen, X25519, KeyAlgorithm::kX25519);

void BM_Sign(benchmark::State& state, KeyAlgorithm algorithm, bool deterministic) {
  const PrivateKey key = OrDie(PrivateKey::Generate(algorithm));
  const Bytes message(kPayloadSize, 0x5a);
  const SignOptions options{.context = ContextFor(algorithm), .deterministic = deterministic};
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(Sign(key, message, options)));
  }
}
BENCHMARK_CAPTURE(BM_Sign, MlDsa65_randomized, KeyAlgorithm::kMlDsa65, false);
BENCHMARK_CAPTURE(BM_Sign, MlDsa65_deterministic, KeyAlgorithm::kMlDsa65, true);
BENCHMARK_CAPTURE(BM_Sign, MlDsa87_randomized, KeyAlgorithm::kMlDsa87, false);
BENCHMARK_CAPTURE(BM_Sign, MlDsa87_deterministic, KeyAlgorithm::kMlDsa87, true);
BENCHMARK_CAPTURE(BM_Sign, EcdsaP256_randomized, KeyAlgorithm::kEcdsaP256, false);
BENCHMARK_CAPTURE(BM_Sign, EcdsaP256_deterministic, KeyAlgorithm::kEcdsaP256, true);

void BM_Verify(benchmark::State& state, KeyAlgorithm algorithm) {
  const PrivateKey key = OrDie(PrivateKey::Generate(algorithm));
  const PublicKey public_key = key.GetPublicKey();
  const Bytes message(kPayloadSize, 0x5a);
  const Bytes signature = OrDie(Sign(key, message, {.context = ContextFor(algorithm)}));
  for (auto _ : state) {
    if (!Verify(public_key, message, signature, ContextFor(algorithm))) {
      state.SkipWithError("signature did not verify");
      break;
    }
  }
}
BENCHMARK_CAPTURE(BM_Verify, MlDsa65, KeyAlgorithm::kMlDsa65);
BENCHMARK_CAPTURE(BM_Verify, MlDsa87, KeyAlgorithm::kMlDsa87);
BENCHMARK_CAPTURE(BM_Verify, EcdsaP256, KeyAlgorithm::kEcdsaP256);

void BM_Encapsulate(benchmark::State& state, KeyAlgorithm algorithm) {
  const PublicKey key = OrDie(PrivateKey::Generate(algorithm)).GetPublicKey();
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(Encapsulate(key)));
  }
}
BENCHMARK_CAPTURE(BM_Encapsulate, MlKem768, KeyAlgorithm::kMlKem768);
BENCHMARK_CAPTURE(BM_Encapsulate, MlKem1024, KeyAlgorithm::kMlKem1024);

void BM_Decapsulate(benchmark::State& state, KeyAlgorithm algorithm) {
  const PrivateKey key = OrDie(PrivateKey::Generate(algorithm));
  const Encapsulation encapsulation = OrDie(Encapsulate(key.GetPublicKey()));
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(Decapsulate(key, encapsulation.ciphertext)));
  }
}
BENCHMARK_CAPTURE(BM_Decapsulate, MlKem768, KeyAlgorithm::kMlKem768);
BENCHMARK_CAPTURE(BM_Decapsulate, MlKem1024, KeyAlgorithm::kMlKem1024);

void BM_X25519(benchmark::State& state) {
  const PrivateKey own = OrDie(PrivateKey::Generate(KeyAlgorithm::kX25519));
  const PublicKey peer = OrDie(PrivateKey::Generate(KeyAlgorithm::kX25519)).GetPublicKey();
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(ComputeX25519SharedSecret(own, peer)));
  }
}
BENCHMARK(BM_X25519);

void BM_HkdfSha256(benchmark::State& state) {
  const Bytes ikm(64, 0x11);
  const Bytes info(64, 0x22);
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(HkdfSha256(ikm, ByteView(), info, 32)));
  }
}
BENCHMARK(BM_HkdfSha256);

void BM_Aes256GcmSeal1KiB(benchmark::State& state) {
  const Aes256Gcm aead = OrDie(Aes256Gcm::Create(OrDie(RandomSecretBytes(32))));
  const Bytes plaintext(kPayloadSize, 0x33);
  const Bytes aad(32, 0x44);
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(aead.Seal(plaintext, aad)));
  }
  state.SetBytesProcessed(state.iterations() * kPayloadBytes);
}
BENCHMARK(BM_Aes256GcmSeal1KiB);

void BM_Aes256GcmOpen1KiB(benchmark::State& state) {
  const Aes256Gcm aead = OrDie(Aes256Gcm::Create(OrDie(RandomSecretBytes(32))));
  const Bytes aad(32, 0x44);
  const Bytes sealed = OrDie(aead.Seal(Bytes(kPayloadSize, 0x33), aad));
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(aead.Open(sealed, aad)));
  }
  state.SetBytesProcessed(state.iterations() * kPayloadBytes);
}
BENCHMARK(BM_Aes256GcmOpen1KiB);

void BM_Sha256_1KiB(benchmark::State& state) {
  const Bytes data(kPayloadSize, 0x55);
  for (auto _ : state) {
    benchmark::DoNotOptimize(Sha256(data));
  }
  state.SetBytesProcessed(state.iterations() * kPayloadBytes);
}
BENCHMARK(BM_Sha256_1KiB);

void BM_Sha3_256_1KiB(benchmark::State& state) {
  const Bytes data(kPayloadSize, 0x55);
  for (auto _ : state) {
    benchmark::DoNotOptimize(Sha3_256(data));
  }
  state.SetBytesProcessed(state.iterations() * kPayloadBytes);
}
BENCHMARK(BM_Sha3_256_1KiB);

void BM_HmacSha256_1KiB(benchmark::State& state) {
  const Bytes key(32, 0x66);
  const Bytes data(kPayloadSize, 0x55);
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(HmacSha256(key, data)));
  }
  state.SetBytesProcessed(state.iterations() * kPayloadBytes);
}
BENCHMARK(BM_HmacSha256_1KiB);

// Session establishment: the server's side, the device's side, and both.
struct DeviceKeys {
  PrivateKey ml_kem = OrDie(PrivateKey::Generate(KeyAlgorithm::kMlKem768));
  PrivateKey x25519 = OrDie(PrivateKey::Generate(KeyAlgorithm::kX25519));
  PublicKey ml_kem_public = ml_kem.GetPublicKey();
  PublicKey x25519_public = x25519.GetPublicKey();
};

void BM_HybridSessionServer(benchmark::State& state) {
  const DeviceKeys device;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        OrDie(EstablishHybridSession(device.ml_kem_public, device.x25519_public, kLabel)));
  }
}
BENCHMARK(BM_HybridSessionServer);

void BM_HybridSessionDevice(benchmark::State& state) {
  const DeviceKeys device;
  const ServerSession server =
      OrDie(EstablishHybridSession(device.ml_kem_public, device.x25519_public, kLabel));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        OrDie(AcceptHybridSession(device.ml_kem, device.x25519, server.offer, kLabel)));
  }
}
BENCHMARK(BM_HybridSessionDevice);

void BM_HybridSessionBothSides(benchmark::State& state) {
  const DeviceKeys device;
  for (auto _ : state) {
    const ServerSession server =
        OrDie(EstablishHybridSession(device.ml_kem_public, device.x25519_public, kLabel));
    benchmark::DoNotOptimize(
        OrDie(AcceptHybridSession(device.ml_kem, device.x25519, server.offer, kLabel)));
  }
}
BENCHMARK(BM_HybridSessionBothSides);

void BM_ClassicalSessionBothSides(benchmark::State& state) {
  const DeviceKeys device;
  for (auto _ : state) {
    const ServerSession server = OrDie(EstablishClassicalSession(device.x25519_public, kLabel));
    benchmark::DoNotOptimize(OrDie(AcceptClassicalSession(device.x25519, server.offer, kLabel)));
  }
}
BENCHMARK(BM_ClassicalSessionBothSides);

}  // namespace
}  // namespace devtrust::crypto

BENCHMARK_MAIN();
