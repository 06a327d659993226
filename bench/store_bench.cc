// Microbenchmarks of the SQLite store: registration throughput with 1, 8 and
// 64 concurrent callers at synchronous=FULL and NORMAL, nonce consumption and
// device reads.
//
// Each run starts from an empty database in a new directory under
// $DEVTRUST_BENCH_DIR (default: the system temporary directory), so put that
// directory on the disk whose fsync cost is to be measured. Medians of five
// runs:
//
//   build/store-rel/bench/devtrust_store_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
//
// items_per_second is the throughput of all threads together, and
// ops_per_commit the mean number of write operations that shared one group
// commit.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <thread>

#include "base/bytes.h"
#include "store/sqlite_store.h"

namespace devtrust::store {
namespace {

// Registrations per run, shared among the threads, so that every thread
// count writes the same amount of data.
constexpr std::int64_t kRegistrationsPerRun = 2048;
constexpr std::int64_t kNoncesPerRun = 4096;
constexpr std::int64_t kDevicesForReads = 1000;

// Everything one benchmark run shares among its threads. Google Benchmark
// calls Setup and Teardown as plain functions, so the state is global.
struct Fixture {
  std::filesystem::path directory;
  std::unique_ptr<SqliteStore> store;
  std::atomic<std::int64_t> next_index{0};
  std::atomic<int> finished_threads{0};
  SqliteWriteQueue::Stats stats_before;
};
Fixture* fixture = nullptr;

SqliteSynchronous SynchronousArg(const benchmark::State& state) {
  return state.range(0) == 0 ? SqliteSynchronous::kFull : SqliteSynchronous::kNormal;
}

Bytes RandomBytes(std::size_t size, std::mt19937_64& random) {
  Bytes bytes(size);
  for (std::uint8_t& byte : bytes) byte = static_cast<std::uint8_t>(random());
  return bytes;
}

// Key and certificate bytes with the sizes of real ones: ML-DSA-65,
// ML-KEM-768, P-256 and X25519 public keys as SPKI, an ML-DSA-65 certificate
// of about 5.6 kB and an ECDSA one of about 0.5 kB. Each thread makes one set
// and reuses it, so that building a registration costs only copies.
struct KeyMaterial {
  explicit KeyMaterial(std::uint64_t seed) {
    std::mt19937_64 random(seed);
    ml_dsa_key = RandomBytes(1974, random);
    ml_kem_key = RandomBytes(1206, random);
    ecdsa_key = RandomBytes(91, random);
    x25519_key = RandomBytes(44, random);
    ml_dsa_certificate = RandomBytes(5600, random);
    ecdsa_certificate = RandomBytes(520, random);
    code_hash = RandomBytes(32, random);
  }

  Bytes ml_dsa_key, ml_kem_key, ecdsa_key, x25519_key;
  Bytes ml_dsa_certificate, ecdsa_certificate, code_hash;
};

Bytes NonceHash(std::int64_t index) {
  Bytes hash(32, 0xa5);
  for (int i = 0; i < 8; ++i) {
    hash[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(index >> (8 * i));
  }
  return hash;
}

NonceRecord Nonce(std::int64_t index, NoncePurpose purpose, TimePoint now) {
  NonceRecord nonce;
  nonce.nonce_hash = NonceHash(index);
  nonce.purpose = purpose;
  nonce.user_id = "user-" + std::to_string(index % 1000);
  nonce.device_id = purpose == NoncePurpose::kLogin ? "device-" + std::to_string(index) : "";
  nonce.created_at = now;
  nonce.expires_at = now + std::chrono::hours(1);
  return nonce;
}

// A complete registration of device `index` that consumes nonce `index`.
DeviceRegistration Registration(std::int64_t index, TimePoint now, const KeyMaterial& keys) {
  const NonceRecord nonce = Nonce(index, NoncePurpose::kRegister, now);
  const std::string device_id = "device-" + std::to_string(index);
  const std::string serial = fmt::format("{:016x}", index);

  DeviceRegistration registration;
  registration.nonce = NonceClaim{nonce.nonce_hash, nonce.purpose, nonce.user_id, ""};

  DeviceRecord& device = registration.device;
  device.device_id = device_id;
  device.user_id = nonce.user_id;
  device.ml_dsa_public_key = keys.ml_dsa_key;
  device.ml_kem_public_key = keys.ml_kem_key;
  device.ecdsa_public_key = keys.ecdsa_key;
  device.x25519_public_key = keys.x25519_key;
  device.baseline_fingerprint =
      R"({"hardware_model":"Pixel 8","language":"en-US","os_build":"AP2A.240905.003",)"
      R"("platform":"android","screen":"1080x2400","user_agent":"devtrust-client/1.0"})";
  device.accepted_fingerprint = device.baseline_fingerprint;
  device.created_at = now;
  device.updated_at = now;

  registration.ml_dsa_certificate = CertificateRecord{serial + "01",
                                                      device_id,
                                                      CertificateKind::kMlDsa,
                                                      keys.ml_dsa_certificate,
                                                      now,
                                                      now + std::chrono::hours(24 * 365),
                                                      std::nullopt,
                                                      ""};
  registration.ecdsa_certificate =
      CertificateRecord{serial + "02",          device_id, CertificateKind::kEcdsa,
                        keys.ecdsa_certificate, now,       now + std::chrono::hours(24 * 365),
                        std::nullopt,           ""};

  VerificationChallenge& challenge = registration.challenge;
  challenge.challenge_id = "challenge-" + device_id;
  challenge.user_id = device.user_id;
  challenge.device_id = device_id;
  challenge.reason = ChallengeReason::kRegistration;
  challenge.code_hash = keys.code_hash;
  challenge.max_attempts = 5;
  challenge.created_at = now;
  challenge.expires_at = now + std::chrono::minutes(10);

  Notification& notification = registration.notification;
  notification.notification_id = "notification-" + device_id;
  notification.user_id = device.user_id;
  notification.device_id = device_id;
  notification.kind = NotificationKind::kDeviceVerification;
  notification.payload = R"({"template":"verify_device","channel":"email"})";
  notification.created_at = now;
  notification.next_attempt_at = now;

  OutboxEvent event;
  event.topic = "trust_event";
  event.payload = R"({"event":"device_registered","device_id":")" + device_id + R"("})";
  event.created_at = now;
  registration.events.push_back(std::move(event));
  return registration;
}

std::unique_ptr<SqliteStore> OpenStore(const std::filesystem::path& directory,
                                       SqliteSynchronous synchronous) {
  SqliteStoreOptions options;
  options.path = (directory / "bench.db").string();
  options.synchronous = synchronous;
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
  if (!store) {
    fmt::print(stderr, "opening {} failed: {}\n", options.path, store.error().ToString());
    std::abort();
  }
  return std::move(*store);
}

void AbortOnError(const Status& status, const char* what) {
  if (status) return;
  fmt::print(stderr, "{} failed: {}\n", what, status.error().ToString());
  std::abort();
}

std::filesystem::path MakeRunDirectory() {
  const char* base = std::getenv("DEVTRUST_BENCH_DIR");
  std::string pattern =
      ((base != nullptr ? std::filesystem::path(base) : std::filesystem::temp_directory_path()) /
       "devtrust_store_bench_XXXXXX")
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    fmt::print(stderr, "mkdtemp failed for {}\n", pattern);
    std::abort();
  }
  return pattern;
}

// Stores the nonces with indexes 0 to nonces - 1 and `purpose`, then
// registers `devices` devices for the read benchmark. The fill runs at
// synchronous=NORMAL because its durability is not measured.
void Fill(const std::filesystem::path& directory, std::int64_t nonces, NoncePurpose purpose,
          std::int64_t devices) {
  std::unique_ptr<SqliteStore> store = OpenStore(directory, SqliteSynchronous::kNormal);
  const TimePoint now = std::chrono::system_clock::now();
  const KeyMaterial keys(42);
  for (std::int64_t i = 0; i < nonces; ++i) {
    AbortOnError(store->PutNonce(Nonce(i, purpose, now)), "storing a nonce");
  }
  for (std::int64_t i = 0; i < devices; ++i) {
    AbortOnError(store->PutNonce(Nonce(i, NoncePurpose::kRegister, now)), "storing a nonce");
    const Result<NonceOutcome> registered = store->RegisterDevice(Registration(i, now, keys));
    AbortOnError(registered ? Status() : Status(std::unexpected(registered.error())),
                 "registering a device");
  }
  store->Close();
}

void StartRun(const benchmark::State& state, std::int64_t nonces, NoncePurpose purpose,
              std::int64_t devices) {
  fixture = new Fixture();
  fixture->directory = MakeRunDirectory();
  Fill(fixture->directory, nonces, purpose, devices);
  fixture->store = OpenStore(fixture->directory, SynchronousArg(state));
  fixture->stats_before = fixture->store->write_stats();
}

void SetUpRegister(const benchmark::State& state) {
  StartRun(state, kNoncesPerRun, NoncePurpose::kRegister, 0);
}
void SetUpConsume(const benchmark::State& state) {
  StartRun(state, kNoncesPerRun, NoncePurpose::kLogin, 0);
}
void SetUpRead(const benchmark::State& state) {
  StartRun(state, 0, NoncePurpose::kRegister, kDevicesForReads);
}

void TearDown(const benchmark::State&) {
  fixture->store->Close();
  std::error_code ignored;
  std::filesystem::remove_all(fixture->directory, ignored);
  delete fixture;
  fixture = nullptr;
}

// After its loop, thread 0 waits for the others and reports how many write
// operations shared each commit.
void ReportGroupCommit(benchmark::State& state) {
  fixture->finished_threads.fetch_add(1);
  if (state.thread_index() != 0) return;
  while (fixture->finished_threads.load() < state.threads()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const SqliteWriteQueue::Stats after = fixture->store->write_stats();
  const std::int64_t commits = after.transactions - fixture->stats_before.transactions;
  const std::int64_t operations = after.operations - fixture->stats_before.operations;
  state.counters["ops_per_commit"] =
      commits > 0 ? static_cast<double>(operations) / static_cast<double>(commits) : 0.0;
}

void BM_RegisterDevice(benchmark::State& state) {
  const KeyMaterial keys(static_cast<std::uint64_t>(state.thread_index()) + 1);
  const TimePoint now = std::chrono::system_clock::now();
  for (auto _ : state) {
    const DeviceRegistration registration =
        Registration(fixture->next_index.fetch_add(1), now, keys);
    const Result<NonceOutcome> outcome = fixture->store->RegisterDevice(registration);
    if (!outcome || *outcome != NonceOutcome::kConsumed) {
      const std::string error = outcome ? "outcome " + std::string(NonceOutcomeName(*outcome))
                                        : outcome.error().ToString();
      state.SkipWithError(("RegisterDevice failed: " + error).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  ReportGroupCommit(state);
}

void BM_ConsumeNonce(benchmark::State& state) {
  const TimePoint now = std::chrono::system_clock::now();
  for (auto _ : state) {
    const std::int64_t index = fixture->next_index.fetch_add(1);
    const NonceRecord nonce = Nonce(index, NoncePurpose::kLogin, now);
    const Result<NonceOutcome> outcome = fixture->store->ConsumeNonce(
        NonceClaim{nonce.nonce_hash, nonce.purpose, nonce.user_id, nonce.device_id}, now);
    if (!outcome || *outcome != NonceOutcome::kConsumed) {
      const std::string error = outcome ? "outcome " + std::string(NonceOutcomeName(*outcome))
                                        : outcome.error().ToString();
      state.SkipWithError(("ConsumeNonce failed: " + error).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  ReportGroupCommit(state);
}

void BM_GetDevice(benchmark::State& state) {
  std::int64_t index = state.thread_index();
  for (auto _ : state) {
    const std::string device_id = "device-" + std::to_string(index % kDevicesForReads);
    const Result<DeviceRecord> device = fixture->store->GetDevice(device_id);
    if (!device) {
      state.SkipWithError(("GetDevice failed: " + device.error().ToString()).c_str());
      break;
    }
    benchmark::DoNotOptimize(device->ml_dsa_public_key.data());
    index += state.threads();
  }
  state.SetItemsProcessed(state.iterations());
}

void RegisterAll() {
  for (const int synchronous : {0, 1}) {
    const char* mode = synchronous == 0 ? "full" : "normal";
    for (const int threads : {1, 8, 64}) {
      benchmark::RegisterBenchmark((std::string("BM_RegisterDevice/") + mode).c_str(),
                                   BM_RegisterDevice)
          ->Arg(synchronous)
          ->Setup(SetUpRegister)
          ->Teardown(TearDown)
          ->Threads(threads)
          ->Iterations(kRegistrationsPerRun / threads)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
    for (const int threads : {1, 8, 64}) {
      benchmark::RegisterBenchmark((std::string("BM_ConsumeNonce/") + mode).c_str(),
                                   BM_ConsumeNonce)
          ->Arg(synchronous)
          ->Setup(SetUpConsume)
          ->Teardown(TearDown)
          ->Threads(threads)
          ->Iterations(kNoncesPerRun / threads)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
  }
  for (const int threads : {1, 8}) {
    benchmark::RegisterBenchmark("BM_GetDevice", BM_GetDevice)
        ->Arg(0)
        ->Setup(SetUpRead)
        ->Teardown(TearDown)
        ->Threads(threads)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace devtrust::store

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  devtrust::store::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
