#include "telemetry/json_log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/log_output.h"
#include "telemetry/test_support.h"

namespace devtrust::telemetry {
namespace {

using testing::ReadFile;
using testing::ReadLines;
using testing::TempDir;
using testing::ValidDecisionEvent;
using testing::ValidFallback;

std::vector<std::string> Keys(const boost::json::object& object) {
  std::vector<std::string> keys;
  for (const auto& entry : object) {
    keys.emplace_back(entry.key());
  }
  return keys;
}

// Parses `line` as one JSON object; fails the test when it is anything else.
boost::json::object ParseObject(const std::string& line) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(line, error);
  EXPECT_FALSE(error) << error.message() << " in: " << line;
  EXPECT_TRUE(value.is_object()) << line;
  return value.is_object() ? value.as_object() : boost::json::object();
}

class TrustLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = temp_dir_.path() / "trust.log";
    Result<std::shared_ptr<LogOutput>> output = LogOutput::OpenFile(path_.string());
    ASSERT_TRUE(output.has_value()) << output.error().ToString();
    output_ = *output;
    log_ = std::make_unique<TrustLog>(output_);
  }

  // Writes `event` and returns the one line the file then holds, parsed.
  boost::json::object WriteAndParse(const TrustEvent& event) {
    const Status written = log_->Write(event);
    EXPECT_TRUE(written.has_value()) << written.error().ToString();
    const std::vector<std::string> lines = ReadLines(path_);
    EXPECT_EQ(lines.size(), 1u);
    return lines.empty() ? boost::json::object() : ParseObject(lines.front());
  }

  TempDir temp_dir_;
  std::filesystem::path path_;
  std::shared_ptr<LogOutput> output_;
  std::unique_ptr<TrustLog> log_;
};

TEST_F(TrustLogTest, DecisionLineHasFixedFieldOrder) {
  const boost::json::object line = WriteAndParse(ValidDecisionEvent());
  const std::vector<std::string> expected = {
      "timestamp",   "level",        "trace_id", "user_id",    "device_id", "flow",  "flow_step",
      "fingerprint", "trust_result", "reason",   "latency_us", "node",      "commit"};
  EXPECT_EQ(Keys(line), expected);
}

TEST_F(TrustLogTest, DecisionLineHasFieldValuesAndTypes) {
  const boost::json::object line = WriteAndParse(ValidDecisionEvent());
  EXPECT_EQ(line.at("timestamp").as_string(), "2026-12-04T19:57:28.123Z");
  EXPECT_EQ(line.at("level").as_string(), "info");
  EXPECT_EQ(line.at("trace_id").as_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(line.at("user_id").as_string(), "user-42");
  EXPECT_EQ(line.at("device_id").as_string(), "dev-7f3a");
  EXPECT_EQ(line.at("flow").as_string(), "validation");
  EXPECT_EQ(line.at("flow_step").as_string(), "decision");
  EXPECT_EQ(line.at("fingerprint").as_string(), "fp1:9c1185a5c5e9fc54612808977ee8f548b2258d31");
  EXPECT_EQ(line.at("trust_result").as_string(), "trusted");
  EXPECT_EQ(line.at("reason").as_string(), "ok");
  ASSERT_TRUE(line.at("latency_us").is_int64());
  EXPECT_EQ(line.at("latency_us").as_int64(), 1830);
  EXPECT_EQ(line.at("node").as_string(), "node-a");
  EXPECT_EQ(line.at("commit").as_string(), "0123456789abcdef0123456789abcdef01234567");
}

TEST_F(TrustLogTest, LineEndsWithOneNewline) {
  ASSERT_TRUE(log_->Write(ValidDecisionEvent()).has_value());
  const std::string content = ReadFile(path_);
  ASSERT_FALSE(content.empty());
  EXPECT_EQ(content.back(), '\n');
  EXPECT_EQ(content.find('\n'), content.size() - 1);
}

TEST_F(TrustLogTest, ExtrasAreAbsentWhenUnset) {
  const boost::json::object line = WriteAndParse(ValidDecisionEvent());
  EXPECT_FALSE(line.contains("replay_kind"));
  EXPECT_FALSE(line.contains("drift_score"));
  EXPECT_FALSE(line.contains("fallback"));
}

TEST_F(TrustLogTest, ExtrasFollowFixedFields) {
  TrustEvent event = ValidDecisionEvent();
  event.trust_result = TrustResult::kDenied;
  event.reason = "nonce_reused";
  event.replay_kind = ReplayKind::kNonceReused;
  event.drift_score = 0.42;
  event.fallback = FallbackBlock{"X25519", "ML-KEM-768+X25519", "mlkem_encapsulation_failed"};
  const boost::json::object line = WriteAndParse(event);

  const std::vector<std::string> keys = Keys(line);
  ASSERT_EQ(keys.size(), 16u);
  EXPECT_EQ(keys[12], "commit");
  EXPECT_EQ(keys[13], "replay_kind");
  EXPECT_EQ(keys[14], "drift_score");
  EXPECT_EQ(keys[15], "fallback");

  EXPECT_EQ(line.at("replay_kind").as_string(), "nonce_reused");
  ASSERT_TRUE(line.at("drift_score").is_double());
  EXPECT_EQ(line.at("drift_score").as_double(), 0.42);

  const boost::json::object& fallback = line.at("fallback").as_object();
  const std::vector<std::string> fallback_keys = {"algorithm", "requested_algorithm", "reason"};
  EXPECT_EQ(Keys(fallback), fallback_keys);
  EXPECT_EQ(fallback.at("algorithm").as_string(), "X25519");
  EXPECT_EQ(fallback.at("requested_algorithm").as_string(), "ML-KEM-768+X25519");
  EXPECT_EQ(fallback.at("reason").as_string(), "mlkem_encapsulation_failed");
}

TEST_F(TrustLogTest, HostileStringsStayInsideTheirField) {
  TrustEvent event = ValidDecisionEvent();
  event.user_id = "\"},\"trust_result\":\"trusted\",\"x\":{\"";
  event.device_id = std::string("line1\nline2\r\0nul\x1b[2J", 20);
  event.fingerprint = "back\\slash \xC3\x28 \xF0\x28\x8C\x28 \xED\xA0\x80";
  const boost::json::object line = WriteAndParse(event);

  EXPECT_EQ(line.at("user_id").as_string(), event.user_id);
  EXPECT_EQ(line.at("device_id").as_string(), event.device_id);
  EXPECT_EQ(line.at("fingerprint").as_string(),
            "back\\slash \xEF\xBF\xBD( \xEF\xBF\xBD(\xEF\xBF\xBD( "
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(line.at("trust_result").as_string(), "trusted");
  EXPECT_EQ(line.size(), 13u);
}

TEST_F(TrustLogTest, FallbackLineCarriesTraceAndFields) {
  ASSERT_TRUE(log_->WriteFallback(ValidFallback()).has_value());
  const std::vector<std::string> lines = ReadLines(path_);
  ASSERT_EQ(lines.size(), 1u);
  const boost::json::object line = ParseObject(lines.front());

  const std::vector<std::string> expected = {"timestamp",   "level",     "trace",
                                             "trace_id",    "user_id",   "device_id",
                                             "flow_origin", "algorithm", "requested_algorithm",
                                             "reason",      "node",      "commit"};
  EXPECT_EQ(Keys(line), expected);
  EXPECT_EQ(line.at("trace").as_string(), "CRYPTO_FALLBACK_USED");
  EXPECT_EQ(line.at("level").as_string(), "warn");
  EXPECT_EQ(line.at("algorithm").as_string(), "X25519");
  EXPECT_EQ(line.at("requested_algorithm").as_string(), "ML-KEM-768+X25519");
  EXPECT_EQ(line.at("reason").as_string(), "mlkem_key_missing");
  EXPECT_EQ(line.at("flow_origin").as_string(), "session_kem");
  EXPECT_EQ(line.at("user_id").as_string(), "user-42");
  EXPECT_EQ(line.at("device_id").as_string(), "dev-7f3a");
  EXPECT_EQ(line.at("trace_id").as_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(line.at("node").as_string(), "node-a");
}

TEST_F(TrustLogTest, FallbackOriginNames) {
  for (const auto& [origin, name] : std::vector<std::pair<FallbackOrigin, std::string>>{
           {FallbackOrigin::kSessionKem, "session_kem"},
           {FallbackOrigin::kCertificate, "certificate"},
           {FallbackOrigin::kTls, "tls"}}) {
    CryptoFallbackTelemetry fallback = ValidFallback();
    fallback.flow_origin = origin;
    const boost::json::object line = ParseObject(FallbackToJsonLine(fallback));
    EXPECT_EQ(line.at("flow_origin").as_string(), name);
  }
}

// Eight threads each write numbered lines with long ids, so that a torn or
// interleaved write would leave a line that fails to parse, has a foreign
// character in its id, or breaks the per-thread order.
TEST_F(TrustLogTest, ConcurrentWritersNeverInterleave) {
  constexpr int kThreads = 8;
  constexpr int kLinesPerThread = 2000;

  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([this, thread] {
      TrustEvent event = ValidDecisionEvent();
      event.user_id = std::string(200, static_cast<char>('a' + thread));
      event.device_id = std::to_string(thread);
      for (int i = 0; i < kLinesPerThread; ++i) {
        event.latency_us = i;
        if (!log_->Write(event).has_value()) {
          ADD_FAILURE() << "write failed in thread " << thread;
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  const std::vector<std::string> lines = ReadLines(path_);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLinesPerThread));
  std::map<std::string, std::int64_t> next_sequence;
  for (const std::string& text : lines) {
    const boost::json::object line = ParseObject(text);
    ASSERT_FALSE(line.empty());
    const std::string device(line.at("device_id").as_string());
    const int thread = std::stoi(device);
    ASSERT_EQ(line.at("user_id").as_string(), std::string(200, static_cast<char>('a' + thread)));
    ASSERT_EQ(line.at("latency_us").as_int64(), next_sequence[device]) << device;
    ++next_sequence[device];
  }
  EXPECT_EQ(next_sequence.size(), static_cast<std::size_t>(kThreads));
}

TEST(LogOutput, OpenFileCreatesMode0640) {
  TempDir temp_dir;
  const std::filesystem::path path = temp_dir.path() / "new.log";
  ASSERT_TRUE(LogOutput::OpenFile(path.string()).has_value());

  const mode_t umask_value = umask(0);
  umask(umask_value);
  struct stat status{};
  ASSERT_EQ(stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0640 & ~umask_value);
}

TEST(LogOutput, OpenFileAppendsToExistingContent) {
  TempDir temp_dir;
  const std::filesystem::path path = temp_dir.path() / "existing.log";
  std::ofstream(path) << "{\"earlier\":true}\n";

  Result<std::shared_ptr<LogOutput>> output = LogOutput::OpenFile(path.string());
  ASSERT_TRUE(output.has_value());
  ASSERT_TRUE((*output)->WriteLine("{\"later\":true}\n").has_value());

  const std::vector<std::string> lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "{\"earlier\":true}");
  EXPECT_EQ(lines[1], "{\"later\":true}");
}

TEST(LogOutput, OpenFileReportsMissingDirectory) {
  TempDir temp_dir;
  const std::string path = (temp_dir.path() / "missing" / "trust.log").string();
  Result<std::shared_ptr<LogOutput>> output = LogOutput::OpenFile(path);
  ASSERT_FALSE(output.has_value());
  EXPECT_EQ(output.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(output.error().reason(), "log_open_failed");
  EXPECT_NE(output.error().message().find(path), std::string::npos);
}

TEST(LogOutput, RejectsLineWithoutNewline) {
  TempDir temp_dir;
  Result<std::shared_ptr<LogOutput>> output =
      LogOutput::OpenFile((temp_dir.path() / "a.log").string());
  ASSERT_TRUE(output.has_value());
  const Status status = (*output)->WriteLine("{}");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().reason(), "log_line_invalid");
  EXPECT_FALSE((*output)->WriteLine("").has_value());
}

TEST(LogOutput, ReportsWriteFailure) {
  TempDir temp_dir;
  const std::filesystem::path path = temp_dir.path() / "read_only.log";
  std::ofstream(path) << "";
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);

  const Status status = LogOutput::ForFileDescriptor(fd)->WriteLine("{}\n");
  close(fd);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.error().reason(), "log_write_failed");
  EXPECT_NE(status.error().message().find("fd " + std::to_string(fd)), std::string::npos);
}

TEST(LogOutput, GivesUpOnFullNonBlockingPipe) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  const std::string chunk(4096, 'x');
  while (write(fds[1], chunk.data(), chunk.size()) > 0) {
  }

  const Status status = LogOutput::ForFileDescriptor(fds[1])->WriteLine("{}\n");
  close(fds[0]);
  close(fds[1]);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().reason(), "log_write_failed");
  EXPECT_NE(status.error().message().find("unwritable"), std::string::npos);
}

TEST(LogOutput, ForFileFlushesStdioFirst) {
  TempDir temp_dir;
  const std::filesystem::path path = temp_dir.path() / "stdio.log";
  std::FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("{\"buffered\":true}\n", file);

  const Status status = LogOutput::ForFile(file)->WriteLine("{\"direct\":true}\n");
  std::fclose(file);
  ASSERT_TRUE(status.has_value());
  const std::vector<std::string> lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "{\"buffered\":true}");
  EXPECT_EQ(lines[1], "{\"direct\":true}");
}

}  // namespace
}  // namespace devtrust::telemetry
