#include "telemetry/logger.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "base/build_info.h"
#include "crypto/secret_bytes.h"
#include "telemetry/test_support.h"

namespace devtrust::telemetry {
namespace {

using testing::ReadLines;
using testing::TempDir;

// A secret cannot reach a log line by accident: it has no fmt formatter, and
// no LogField constructor takes it. If either changes, this file stops
// compiling.
static_assert(!fmt::is_formattable<crypto::SecretBytes>::value);
static_assert(!std::is_constructible_v<LogField, std::string_view, const crypto::SecretBytes&>);
static_assert(!std::is_constructible_v<LogField, std::string_view, crypto::SecretBytes>);

class LoggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = temp_dir_.path() / "ops.log";
    Result<std::shared_ptr<LogOutput>> output = LogOutput::OpenFile(path_.string());
    ASSERT_TRUE(output.has_value()) << output.error().ToString();
    logger_ = std::make_unique<Logger>(*output, "node-a", Level::kInfo);
  }

  std::vector<boost::json::object> Lines() {
    std::vector<boost::json::object> objects;
    for (const std::string& line : ReadLines(path_)) {
      boost::system::error_code error;
      const boost::json::value value = boost::json::parse(line, error);
      EXPECT_FALSE(error) << line;
      EXPECT_TRUE(value.is_object()) << line;
      if (!error && value.is_object()) {
        objects.push_back(value.as_object());
      }
    }
    return objects;
  }

  TempDir temp_dir_;
  std::filesystem::path path_;
  std::unique_ptr<Logger> logger_;
};

std::vector<std::string> Keys(const boost::json::object& object) {
  std::vector<std::string> keys;
  for (const auto& entry : object) {
    keys.emplace_back(entry.key());
  }
  return keys;
}

TEST_F(LoggerTest, WritesFixedFieldsFirst) {
  logger_->Info("server started");
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const std::vector<std::string> expected = {"timestamp", "level", "msg", "node", "commit"};
  EXPECT_EQ(Keys(lines[0]), expected);
  EXPECT_EQ(lines[0].at("level").as_string(), "info");
  EXPECT_EQ(lines[0].at("msg").as_string(), "server started");
  EXPECT_EQ(lines[0].at("node").as_string(), "node-a");
  EXPECT_EQ(lines[0].at("commit").as_string(), BuildCommit());
  EXPECT_EQ(lines[0].at("timestamp").as_string().size(), 24u);
}

TEST_F(LoggerTest, FormatsMessageWithFmt) {
  logger_->Warn("retrying delivery to {} in {} ms", "siem", 250);
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("level").as_string(), "warn");
  EXPECT_EQ(lines[0].at("msg").as_string(), "retrying delivery to siem in 250 ms");
}

TEST_F(LoggerTest, WritesFreeFieldsInOrderWithTypes) {
  const std::string sink = "webhook";
  logger_->Error({{"attempt", 3},
                  {"sink", sink},
                  {"queued", std::uint64_t{18446744073709551615u}},
                  {"backoff_s", 1.5},
                  {"permanent", false},
                  {"path", "/var/lib/devtrust/ca.key"}},
                 "delivery failed");
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const boost::json::object& line = lines[0];

  const std::vector<std::string> expected = {"timestamp", "level",     "msg",  "node",
                                             "commit",    "attempt",   "sink", "queued",
                                             "backoff_s", "permanent", "path"};
  EXPECT_EQ(Keys(line), expected);
  ASSERT_TRUE(line.at("attempt").is_int64());
  EXPECT_EQ(line.at("attempt").as_int64(), 3);
  EXPECT_EQ(line.at("sink").as_string(), "webhook");
  ASSERT_TRUE(line.at("queued").is_uint64());
  EXPECT_EQ(line.at("queued").as_uint64(), 18446744073709551615u);
  ASSERT_TRUE(line.at("backoff_s").is_double());
  EXPECT_EQ(line.at("backoff_s").as_double(), 1.5);
  ASSERT_TRUE(line.at("permanent").is_bool());
  EXPECT_FALSE(line.at("permanent").as_bool());
  EXPECT_EQ(line.at("path").as_string(), "/var/lib/devtrust/ca.key");
}

TEST_F(LoggerTest, DropsLinesBelowMinimumLevel) {
  logger_->Debug("not written");
  logger_->Info("written");
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("msg").as_string(), "written");
}

TEST_F(LoggerTest, MinimumLevelChangesAtRunTime) {
  logger_->SetMinLevel(Level::kError);
  logger_->Warn("not written");
  EXPECT_FALSE(logger_->IsEnabled(Level::kWarn));
  logger_->SetMinLevel(Level::kDebug);
  logger_->Debug("written");
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("level").as_string(), "debug");
}

TEST_F(LoggerTest, RenamesFieldsThatClashWithFixedKeys) {
  logger_->Info({{"msg", "shadow"}, {"level", "fake"}}, "real message");
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("msg").as_string(), "real message");
  EXPECT_EQ(lines[0].at("level").as_string(), "info");
  EXPECT_EQ(lines[0].at("field_msg").as_string(), "shadow");
  EXPECT_EQ(lines[0].at("field_level").as_string(), "fake");
}

TEST_F(LoggerTest, EscapesHostileMessageAndFields) {
  const std::string hostile = "x\"}\n{\"level\":\"error\",\"msg\":\"forged\xff";
  logger_->Info({{"peer", hostile}, {hostile, 1}}, "request from {}", hostile);
  const std::vector<std::string> raw = ReadLines(path_);
  ASSERT_EQ(raw.size(), 1u);
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("level").as_string(), "info");
  EXPECT_EQ(lines[0].at("peer").as_string(),
            "x\"}\n{\"level\":\"error\",\"msg\":\"forged\xEF\xBF\xBD");
}

TEST_F(LoggerTest, TruncatesLongMessage) {
  logger_->Info("{}", std::string(kMaxLogMessageBytes + 100, 'm'));
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("msg").as_string(), std::string(kMaxLogMessageBytes, 'm') + " [truncated]");
}

TEST_F(LoggerTest, TruncatesLongFieldValue) {
  const std::string value(kMaxLogFieldValueBytes + 1, 'v');
  logger_->Info({{"body", value}}, "request rejected");
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("body").as_string(),
            std::string(kMaxLogFieldValueBytes, 'v') + " [truncated]");
}

TEST_F(LoggerTest, NonFiniteDoubleFieldIsNull) {
  logger_->Info({{"ratio", std::numeric_limits<double>::quiet_NaN()}}, "ratio unknown");
  const std::vector<boost::json::object> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].at("ratio").is_null());
}

// A pipe keeps a write whole only up to PIPE_BUF (4096 bytes on Linux), so
// these lines of about 5 KiB stay whole only because LogOutput serializes its
// writes.
TEST(Logger, LongLinesThroughPipeStayWhole) {
  constexpr int kThreads = 8;
  constexpr int kLinesPerThread = 200;
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);

  std::string received;
  std::thread reader([&received, read_fd = fds[0]] {
    char buffer[65536];
    ssize_t count = 0;
    while ((count = read(read_fd, buffer, sizeof(buffer))) > 0) {
      received.append(buffer, static_cast<std::size_t>(count));
    }
  });

  {
    Logger logger(LogOutput::ForFileDescriptor(fds[1]), "node-a");
    std::vector<std::thread> writers;
    for (int thread = 0; thread < kThreads; ++thread) {
      writers.emplace_back([&logger, thread] {
        const std::string body(4000, static_cast<char>('a' + thread));
        const std::string detail(1000, static_cast<char>('A' + thread));
        for (int i = 0; i < kLinesPerThread; ++i) {
          logger.Info({{"thread", thread}, {"detail", detail}}, "{}", body);
        }
      });
    }
    for (std::thread& writer : writers) {
      writer.join();
    }
    EXPECT_EQ(logger.failed_writes(), 0u);
  }
  close(fds[1]);
  reader.join();
  close(fds[0]);

  std::size_t lines = 0;
  std::size_t start = 0;
  while (start < received.size()) {
    const std::size_t end = received.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "last line has no newline";
    const std::string line = received.substr(start, end - start);
    boost::system::error_code error;
    const boost::json::value value = boost::json::parse(line, error);
    ASSERT_FALSE(error) << "line " << lines << " is not JSON: " << line.substr(0, 200);
    const auto thread = static_cast<char>(value.at("thread").as_int64());
    ASSERT_EQ(value.at("msg").as_string(), std::string(4000, static_cast<char>('a' + thread)));
    ASSERT_EQ(value.at("detail").as_string(), std::string(1000, static_cast<char>('A' + thread)));
    ++lines;
    start = end + 1;
  }
  EXPECT_EQ(lines, static_cast<std::size_t>(kThreads * kLinesPerThread));
}

TEST(Logger, CountsFailedWrites) {
  TempDir temp_dir;
  const std::filesystem::path path = temp_dir.path() / "read_only.log";
  std::ofstream(path) << "";
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);

  Logger logger(LogOutput::ForFileDescriptor(fd), "node-a");
  logger.Info("lost");
  logger.Info("lost too");
  close(fd);
  EXPECT_EQ(logger.failed_writes(), 2u);
}

}  // namespace
}  // namespace devtrust::telemetry
