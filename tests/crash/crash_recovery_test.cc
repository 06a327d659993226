// Crash safety of `devtrust serve`: the real binary runs registration or
// login load from several client threads and is killed with SIGKILL at a
// random moment, several rounds in a row, then started again on the same
// data directory. After each restart the tests check what the clients were
// told against what survived:
//   - every acknowledged registration exists as a pending device with both
//     certificates, its registration challenge, its verification
//     notification and exactly one registration event in the outbox;
//   - no nonce works twice: each acknowledged request is rejected as a
//     replay when sent again, each request in flight at the kill succeeds at
//     most once, and each issued but unused nonce still works once;
//   - the database the crash left passes PRAGMA integrity_check and has no
//     device without its certificates or challenge, nor the reverse;
//   - the server is ready again within the harness's ready timeout.
// The database checks read a copy with the sqlite3 command line. The seed
// of the random kill moments is printed, so a failing run can be repeated
// with DEVTRUST_CRASH_SEED.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/encoding.h"
#include "client/api_messages.h"
#include "client/device_keys.h"
#include "crypto/hash.h"
#include "database_snapshot.h"
#include "device_helpers.h"
#include "load_clients.h"
#include "serve_harness.h"

namespace devtrust::hardening {
namespace {

using std::chrono::milliseconds;

constexpr int kRegistrationRounds = 3;
constexpr int kLoginRounds = 2;
constexpr int kClients = 4;
// The load runs until this many requests were acknowledged, and then for a
// random time of up to kMaxExtraLoad before the kill.
constexpr std::size_t kAcknowledgedBeforeKill = 4;
constexpr milliseconds kMaxExtraLoad{1500};
constexpr milliseconds kLoadStartTimeout{60'000};

// Every consistency rule on the stored registrations, each a count of the
// rows that break it.
const std::vector<std::pair<std::string, std::string>> kConsistencyRules = {
    {"devices without exactly one ML-DSA-65 certificate",
     "SELECT count(*) FROM devices d WHERE (SELECT count(*) FROM certificates c WHERE "
     "c.device_id = d.device_id AND c.kind = 'ml_dsa') <> 1"},
    {"devices without exactly one ECDSA certificate",
     "SELECT count(*) FROM devices d WHERE (SELECT count(*) FROM certificates c WHERE "
     "c.device_id = d.device_id AND c.kind = 'ecdsa') <> 1"},
    {"devices without their registration challenge",
     "SELECT count(*) FROM devices d WHERE NOT EXISTS (SELECT 1 FROM verification_challenges v "
     "WHERE v.device_id = d.device_id AND v.reason = 'registration')"},
    {"devices without their verification notification",
     "SELECT count(*) FROM devices d WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE "
     "n.device_id = d.device_id AND n.kind = 'device_verification')"},
    {"devices without exactly one registration event in the outbox",
     "SELECT count(*) FROM devices d WHERE (SELECT count(*) FROM outbox o WHERE o.topic = "
     "'trust_event' AND json_extract(o.payload, '$.flow') = 'registration' AND "
     "json_extract(o.payload, '$.flow_step') = 'decision' AND json_extract(o.payload, "
     "'$.device_id') = d.device_id) <> 1"},
    {"certificates without their device",
     "SELECT count(*) FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE "
     "d.device_id = c.device_id)"},
    {"challenges without their device",
     "SELECT count(*) FROM verification_challenges v WHERE NOT EXISTS (SELECT 1 FROM devices d "
     "WHERE d.device_id = v.device_id)"},
    // Only a stored registration decides `pending`; a registration denied
    // at its nonce (a retry of a request whose answer the kill lost) is
    // recorded too, for a device that was never stored.
    {"pending registration events without their device",
     "SELECT count(*) FROM outbox o WHERE o.topic = 'trust_event' AND json_extract(o.payload, "
     "'$.flow') = 'registration' AND json_extract(o.payload, '$.flow_step') = 'decision' AND "
     "json_extract(o.payload, '$.trust_result') = 'pending' AND NOT EXISTS (SELECT 1 FROM devices "
     "d WHERE d.device_id = json_extract(o.payload, "
     "'$.device_id'))"},
};

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::vector<std::string> ReasonsOf(std::string_view body) {
  std::vector<std::string> reasons;
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(body, error);
  if (error || !value.is_object() || !value.as_object().contains("reasons")) return reasons;
  for (const boost::json::value& reason : value.at("reasons").as_array()) {
    reasons.emplace_back(reason.as_string());
  }
  return reasons;
}

std::string NonceHashHex(ByteView nonce) { return HexEncode(crypto::Sha256(nonce)); }

class CrashRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    seed_ = device();
    if (const char* fixed = std::getenv("DEVTRUST_CRASH_SEED"); fixed != nullptr) {
      seed_ = static_cast<unsigned>(std::strtoul(fixed, nullptr, 10));
    }
    std::cout << "kill moments from seed " << seed_ << " (set DEVTRUST_CRASH_SEED to repeat)\n";
    random_.seed(seed_);

    // Durable commits are the default of serve, and what is tested here.
    ServeHarnessOptions options;
    options.synchronous = "full";
    options.ready_timeout = milliseconds(15'000);
    Result<std::unique_ptr<ServeHarness>> harness = ServeHarness::Start(std::move(options));
    ASSERT_TRUE(harness.has_value()) << harness.error().ToString();
    harness_ = *std::move(harness);
    Reconnect();
  }

  void TearDown() override {
    https_.reset();
    harness_.reset();
  }

  // A client of the current server run.
  void Reconnect() {
    Result<std::unique_ptr<client::HttpsClient>> https = harness_->NewHttpsClient();
    ASSERT_TRUE(https.has_value()) << https.error().ToString();
    https_ = *std::move(https);
    key_ = crypto::SecretBytes(AsBytes(harness_->relying_party_key()));
  }

  client::HttpResponse Send(std::string_view method, std::string_view target,
                            std::string_view body) {
    Result<client::HttpResponse> response = https_->Send(method, target, AsBytes(body), &key_);
    EXPECT_TRUE(response.has_value())
        << method << " " << target << ": " << response.error().ToString();
    return response.value_or(client::HttpResponse{});
  }

  // Lets `load` run until it has acknowledged a few requests, then for a
  // random moment more, then kills the server and returns the record.
  LoadRecord KillDuring(LoadRun& load) {
    const auto deadline = std::chrono::steady_clock::now() + kLoadStartTimeout;
    while (load.acknowledged_count() < kAcknowledgedBeforeKill &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    EXPECT_GE(load.acknowledged_count(), kAcknowledgedBeforeKill)
        << "the load did not get going before the deadline";
    std::uniform_int_distribution<int> extra(0, static_cast<int>(kMaxExtraLoad.count()));
    std::this_thread::sleep_for(milliseconds(extra(random_)));

    harness_->Kill();
    LoadRecord record = load.Finish();
    EXPECT_TRUE(record.unexpected.empty()) << Joined(record.unexpected);
    return record;
  }

  // Copies the database the crash left, then starts the server again on it.
  std::optional<DatabaseSnapshot> SnapshotAndRestart(std::string_view name) {
    Result<DatabaseSnapshot> snapshot =
        DatabaseSnapshot::Copy(harness_->database_path(), harness_->directory() / name);
    EXPECT_TRUE(snapshot.has_value()) << snapshot.error().ToString();

    Status restarted = harness_->Restart();
    EXPECT_TRUE(restarted.has_value()) << restarted.error().ToString();
    if (!restarted) return std::nullopt;
    std::cout << name << ": ready again " << harness_->last_start_duration().count()
              << " ms after the restart began\n";
    Reconnect();
    const client::HttpResponse ready = Send("GET", "/readyz", "");
    EXPECT_EQ(ready.status, 200u) << ready.body;

    if (!snapshot) return std::nullopt;
    return *std::move(snapshot);
  }

  // Checks the invariants every stored registration must hold.
  void ExpectConsistent(const DatabaseSnapshot& snapshot) {
    Result<std::vector<std::string>> integrity = snapshot.Query("PRAGMA integrity_check");
    ASSERT_TRUE(integrity.has_value()) << integrity.error().ToString();
    EXPECT_EQ(*integrity, std::vector<std::string>{"ok"});
    Result<std::vector<std::string>> foreign_keys = snapshot.Query("PRAGMA foreign_key_check");
    ASSERT_TRUE(foreign_keys.has_value()) << foreign_keys.error().ToString();
    EXPECT_TRUE(foreign_keys->empty()) << Joined(*foreign_keys);

    for (const auto& [rule, sql] : kConsistencyRules) {
      Result<std::int64_t> broken = snapshot.Count(sql);
      ASSERT_TRUE(broken.has_value()) << broken.error().ToString();
      EXPECT_EQ(*broken, 0) << rule;
    }
  }

  // Checks in `snapshot` that every acknowledged request's nonce is
  // consumed, and, for registrations, that its device is stored pending.
  void ExpectAcknowledgedStored(const DatabaseSnapshot& snapshot, const LoadRecord& record,
                                bool registrations) {
    std::vector<std::string> nonce_hashes;
    std::vector<std::string> device_ids;
    for (const LoadRequest& request : record.acknowledged) {
      nonce_hashes.push_back(NonceHashHex(request.nonce));
      device_ids.push_back(request.device_id);
    }
    const auto expected = static_cast<std::int64_t>(record.acknowledged.size());

    Result<std::int64_t> consumed = snapshot.Count(
        "SELECT count(*) FROM nonces WHERE consumed_at IS NOT NULL AND "
        "lower(hex(nonce_hash)) IN (" +
        SqlList(nonce_hashes) + ")");
    ASSERT_TRUE(consumed.has_value()) << consumed.error().ToString();
    EXPECT_EQ(*consumed, expected) << "acknowledged nonces consumed in the crashed database";
    if (!registrations) return;

    Result<std::int64_t> pending =
        snapshot.Count("SELECT count(*) FROM devices WHERE status = 'pending' AND device_id IN (" +
                       SqlList(device_ids) + ")");
    ASSERT_TRUE(pending.has_value()) << pending.error().ToString();
    EXPECT_EQ(*pending, expected) << "acknowledged devices stored as pending";
  }

  std::unique_ptr<ServeHarness> harness_;
  std::unique_ptr<client::HttpsClient> https_;
  crypto::SecretBytes key_;
  unsigned seed_ = 0;
  std::mt19937 random_;
};

TEST_F(CrashRecoveryTest, AcknowledgedRegistrationsSurviveKill) {
  // Devices per user that the server must hold: what it acknowledged, what
  // it stored without being able to answer, and what the checks added.
  std::map<std::string, std::int64_t> expected_devices;
  std::set<std::string> acknowledged_ids;

  for (int round = 0; round < kRegistrationRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string user_prefix = "crash-r" + std::to_string(round);
    std::unique_ptr<LoadRun> load = LoadRun::StartRegistrations(
        harness_->ClientOptions(), harness_->relying_party_key(), user_prefix, kClients);
    const LoadRecord record = KillDuring(*load);
    std::cout << "round " << round << ": " << record.acknowledged.size() << " acknowledged, "
              << record.unanswered.size() << " in flight, " << record.unused_nonces.size()
              << " nonces unused at the kill\n";
    std::optional<DatabaseSnapshot> crashed =
        SnapshotAndRestart("registration-round-" + std::to_string(round));
    ASSERT_TRUE(crashed.has_value());

    // The database as the crash left it.
    ExpectConsistent(*crashed);
    ExpectAcknowledgedStored(*crashed, record, /*registrations=*/true);

    // Every acknowledged device is served as pending, and its nonce is spent.
    for (const LoadRequest& request : record.acknowledged) {
      SCOPED_TRACE("acknowledged " + request.device_id);
      const client::HttpResponse device = Send("GET", "/v1/devices/" + request.device_id, "");
      ASSERT_EQ(device.status, 200u) << device.body;
      Result<client::DeviceRecord> stored = client::DecodeDeviceRecord(device.body, "get device");
      ASSERT_TRUE(stored.has_value()) << stored.error().ToString();
      EXPECT_EQ(stored->status, "pending");
      EXPECT_EQ(stored->user_id, request.user_id);

      const client::HttpResponse again = Send("POST", "/v1/devices", request.body);
      EXPECT_EQ(again.status, 409u) << again.body;
      EXPECT_EQ(ErrorCodeOf(again.body), "nonce_reused") << again.body;
      ++expected_devices[request.user_id];
      acknowledged_ids.insert(request.device_id);
    }

    // A registration in flight at the kill was stored or not, never twice.
    std::int64_t stored_without_answer = 0;
    for (const LoadRequest& request : record.unanswered) {
      SCOPED_TRACE("unanswered registration of " + request.user_id);
      const client::HttpResponse first = Send("POST", "/v1/devices", request.body);
      if (first.status == 409) {
        EXPECT_EQ(ErrorCodeOf(first.body), "nonce_reused") << first.body;
        ++stored_without_answer;
      } else {
        EXPECT_EQ(first.status, 201u) << first.body;
      }
      ++expected_devices[request.user_id];
      const client::HttpResponse second = Send("POST", "/v1/devices", request.body);
      EXPECT_EQ(second.status, 409u) << second.body;
      EXPECT_EQ(ErrorCodeOf(second.body), "nonce_reused") << second.body;
    }

    // The crashed database holds exactly the acknowledged registrations and
    // those stored before their answer could leave.
    Result<std::int64_t> round_devices =
        crashed->Count("SELECT count(*) FROM devices WHERE user_id LIKE '" + user_prefix + "-%'");
    ASSERT_TRUE(round_devices.has_value()) << round_devices.error().ToString();
    EXPECT_EQ(*round_devices,
              static_cast<std::int64_t>(record.acknowledged.size()) + stored_without_answer);

    // A nonce issued before the crash and never used works once (its
    // lifetime of 120 s is far from over).
    for (const UnusedNonce& unused : record.unused_nonces) {
      SCOPED_TRACE("unused nonce of " + unused.user_id);
      Result<client::DeviceKeys> keys = client::GenerateDeviceKeys();
      ASSERT_TRUE(keys.has_value());
      Result<client::RegistrationRequest> request =
          SignRegistration(*keys, unused.user_id, unused.nonce, LaptopFingerprint());
      ASSERT_TRUE(request.has_value());
      const std::string body = client::EncodeRegistrationRequest(*request);
      const client::HttpResponse first = Send("POST", "/v1/devices", body);
      EXPECT_EQ(first.status, 201u) << first.body;
      if (first.status == 201) ++expected_devices[unused.user_id];
      const client::HttpResponse second = Send("POST", "/v1/devices", body);
      EXPECT_EQ(second.status, 409u) << second.body;
      EXPECT_EQ(ErrorCodeOf(second.body), "nonce_reused") << second.body;
    }
  }

  // Every user has exactly the devices counted above, through the API.
  for (const auto& [user_id, count] : expected_devices) {
    SCOPED_TRACE("user " + user_id);
    const client::HttpResponse listed = Send("GET", "/v1/users/" + user_id + "/devices", "");
    ASSERT_EQ(listed.status, 200u) << listed.body;
    const boost::json::array devices = boost::json::parse(listed.body).at("devices").as_array();
    EXPECT_EQ(static_cast<std::int64_t>(devices.size()), count);
    std::size_t acknowledged_listed = 0;
    for (const boost::json::value& device : devices) {
      acknowledged_listed +=
          acknowledged_ids.count(std::string(device.at("device_id").as_string()));
    }
    EXPECT_GT(acknowledged_listed, 0u);
  }

  // The final database, after a graceful stop, holds the same invariants.
  EXPECT_EQ(harness_->StopGracefully(), 0);
  Result<DatabaseSnapshot> final_state =
      DatabaseSnapshot::Copy(harness_->database_path(), harness_->directory() / "final");
  ASSERT_TRUE(final_state.has_value()) << final_state.error().ToString();
  ExpectConsistent(*final_state);
  std::int64_t total = 0;
  for (const auto& [user_id, count] : expected_devices) total += count;
  Result<std::int64_t> stored = final_state->Count("SELECT count(*) FROM devices");
  ASSERT_TRUE(stored.has_value()) << stored.error().ToString();
  EXPECT_EQ(*stored, total);
  std::vector<std::string> ids(acknowledged_ids.begin(), acknowledged_ids.end());
  Result<std::int64_t> acknowledged_stored =
      final_state->Count("SELECT count(*) FROM devices WHERE device_id IN (" + SqlList(ids) + ")");
  ASSERT_TRUE(acknowledged_stored.has_value());
  EXPECT_EQ(*acknowledged_stored, static_cast<std::int64_t>(ids.size()));
}

TEST_F(CrashRecoveryTest, NoLoginNonceAcceptedTwiceAcrossKill) {
  // One trusted device per client, enrolled before the load.
  Result<std::unique_ptr<client::DeviceTrustClient>> enroller = harness_->NewDeviceClient();
  ASSERT_TRUE(enroller.has_value()) << enroller.error().ToString();
  std::vector<EnrolledDevice> devices;
  for (int i = 0; i < kClients; ++i) {
    Result<EnrolledDevice> device =
        EnrollTrustedDevice(**enroller, harness_->receiver(), "login-" + std::to_string(i));
    ASSERT_TRUE(device.has_value()) << device.error().ToString();
    devices.push_back(*std::move(device));
  }
  enroller->reset();

  for (int round = 0; round < kLoginRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::unique_ptr<LoadRun> load =
        LoadRun::StartLogins(harness_->ClientOptions(), harness_->relying_party_key(), devices);
    const LoadRecord record = KillDuring(*load);
    std::cout << "round " << round << ": " << record.acknowledged.size() << " trusted, "
              << record.unanswered.size() << " in flight, " << record.unused_nonces.size()
              << " nonces unused at the kill\n";
    std::optional<DatabaseSnapshot> crashed =
        SnapshotAndRestart("login-round-" + std::to_string(round));
    ASSERT_TRUE(crashed.has_value());
    ExpectConsistent(*crashed);
    ExpectAcknowledgedStored(*crashed, record, /*registrations=*/false);

    // A login the server trusted cannot be replayed after the restart.
    for (const LoadRequest& request : record.acknowledged) {
      SCOPED_TRACE("trusted login of " + request.device_id);
      const client::HttpResponse again = Send("POST", "/v1/trust/validate", request.body);
      ASSERT_EQ(again.status, 200u) << again.body;
      EXPECT_EQ(ReasonsOf(again.body), std::vector<std::string>{"nonce_reused"}) << again.body;
    }

    // A login in flight at the kill is trusted at most once.
    for (const LoadRequest& request : record.unanswered) {
      SCOPED_TRACE("unanswered login of " + request.device_id);
      const client::HttpResponse first = Send("POST", "/v1/trust/validate", request.body);
      ASSERT_EQ(first.status, 200u) << first.body;
      const std::vector<std::string> reasons = ReasonsOf(first.body);
      EXPECT_TRUE(reasons == std::vector<std::string>{"ok"} ||
                  reasons == std::vector<std::string>{"nonce_reused"})
          << first.body;
      const client::HttpResponse second = Send("POST", "/v1/trust/validate", request.body);
      EXPECT_EQ(ReasonsOf(second.body), std::vector<std::string>{"nonce_reused"}) << second.body;
    }

    // A login nonce issued before the crash and never used works once.
    for (const UnusedNonce& unused : record.unused_nonces) {
      SCOPED_TRACE("unused nonce of " + unused.device_id);
      const EnrolledDevice* device = nullptr;
      for (const EnrolledDevice& candidate : devices) {
        if (candidate.device_id == unused.device_id) device = &candidate;
      }
      ASSERT_NE(device, nullptr);
      Result<client::ValidationRequest> login =
          SignLogin(*device, unused.nonce, LaptopFingerprint());
      ASSERT_TRUE(login.has_value());
      const std::string body = client::EncodeValidationRequest(*login);
      EXPECT_EQ(ReasonsOf(Send("POST", "/v1/trust/validate", body).body),
                std::vector<std::string>{"ok"});
      EXPECT_EQ(ReasonsOf(Send("POST", "/v1/trust/validate", body).body),
                std::vector<std::string>{"nonce_reused"});
    }
  }

  // Replays are denied without touching the devices: all still trusted.
  for (const EnrolledDevice& device : devices) {
    const client::HttpResponse stored = Send("GET", "/v1/devices/" + device.device_id, "");
    Result<client::DeviceRecord> record = client::DecodeDeviceRecord(stored.body, "get device");
    ASSERT_TRUE(record.has_value()) << stored.body;
    EXPECT_EQ(record->status, "trusted") << device.device_id;
  }
  EXPECT_EQ(harness_->StopGracefully(), 0);
}

}  // namespace
}  // namespace devtrust::hardening
