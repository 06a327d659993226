// Logger: the operational log for messages that are not trust events, such as
// server start and stop, retries and errors caught.
//
// It writes the same JSON lines as the trust log, to the same LogOutput:
//   {"timestamp":"...","level":"warn","msg":"...","node":"...","commit":"...",
//    <free fields in the order given>}
// Messages use fmt format strings, checked at compile time:
//
//   logger.Info("listening on {}:{}", address, port);
//   logger.Warn({{"attempt", attempt}, {"sink", sink_name}},
//               "SIEM delivery failed, retrying in {} ms", backoff_ms);
//
// Secrets: crypto::SecretBytes has no fmt formatter and LogField has no
// constructor that takes it, so passing a secret to a log call does not
// compile. Log the secret's file path or key id, never its value.
#ifndef DEVTRUST_TELEMETRY_LOGGER_H_
#define DEVTRUST_TELEMETRY_LOGGER_H_

#include <fmt/format.h>

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "telemetry/log_output.h"
#include "telemetry/trust_event.h"

namespace devtrust::telemetry {

// Messages and string field values longer than these limits are cut and end
// with " [truncated]", so one log call cannot write an unbounded line.
inline constexpr std::size_t kMaxLogMessageBytes = 4096;
inline constexpr std::size_t kMaxLogFieldValueBytes = 1024;

// A key and value added to an operational log line. It borrows its strings,
// so it is meant to live only for the log call it is written in.
class LogField {
 public:
  using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;

  LogField(std::string_view key, std::string_view value) : key_(key), value_(value) {}
  LogField(std::string_view key, const char* value)
      : key_(key), value_(std::string_view(value != nullptr ? value : "")) {}
  LogField(std::string_view key, const std::string& value)
      : key_(key), value_(std::string_view(value)) {}
  template <std::signed_integral T>
  LogField(std::string_view key, T value) : key_(key), value_(static_cast<std::int64_t>(value)) {}
  template <std::unsigned_integral T>
    requires(!std::same_as<T, bool>)
  LogField(std::string_view key, T value) : key_(key), value_(static_cast<std::uint64_t>(value)) {}
  LogField(std::string_view key, double value) : key_(key), value_(value) {}
  LogField(std::string_view key, bool value) : key_(key), value_(value) {}

  std::string_view key() const { return key_; }
  const Value& value() const { return value_; }

 private:
  std::string_view key_;
  Value value_;
};

class Logger {
 public:
  // `node` names this process in every line. Lines below `min_level` are
  // dropped before their message is formatted.
  Logger(std::shared_ptr<LogOutput> output, std::string node, Level min_level = Level::kInfo);

  // Changes the minimum level; safe to call while other threads log.
  void SetMinLevel(Level level) { min_level_.store(level, std::memory_order_relaxed); }
  Level min_level() const { return min_level_.load(std::memory_order_relaxed); }
  bool IsEnabled(Level level) const { return level >= min_level(); }

  template <typename... Args>
  void Debug(fmt::format_string<Args...> format, Args&&... args) {
    Log(Level::kDebug, {}, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Debug(std::initializer_list<LogField> fields, fmt::format_string<Args...> format,
             Args&&... args) {
    Log(Level::kDebug, fields, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Info(fmt::format_string<Args...> format, Args&&... args) {
    Log(Level::kInfo, {}, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Info(std::initializer_list<LogField> fields, fmt::format_string<Args...> format,
            Args&&... args) {
    Log(Level::kInfo, fields, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Warn(fmt::format_string<Args...> format, Args&&... args) {
    Log(Level::kWarn, {}, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Warn(std::initializer_list<LogField> fields, fmt::format_string<Args...> format,
            Args&&... args) {
    Log(Level::kWarn, fields, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Error(fmt::format_string<Args...> format, Args&&... args) {
    Log(Level::kError, {}, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Error(std::initializer_list<LogField> fields, fmt::format_string<Args...> format,
             Args&&... args) {
    Log(Level::kError, fields, format, std::forward<Args>(args)...);
  }

  // Formats the message and writes one line when `level` is enabled.
  template <typename... Args>
  void Log(Level level, std::initializer_list<LogField> fields, fmt::format_string<Args...> format,
           Args&&... args) {
    if (!IsEnabled(level)) {
      return;
    }
    fmt::memory_buffer message;
    fmt::format_to(std::back_inserter(message), format, std::forward<Args>(args)...);
    WriteLine(level, std::string_view(message.data(), message.size()),
              std::span<const LogField>(fields.begin(), fields.size()));
  }

  // Writes one line with an already formatted message when `level` is
  // enabled. A field whose key is one of the fixed keys (timestamp, level, msg,
  // node, commit) is written as "field_<key>", so a line never has a duplicate
  // key.
  void WriteLine(Level level, std::string_view message, std::span<const LogField> fields);

  // The number of lines lost because the output failed. A logger cannot report
  // its own failures in the log, so the server exposes this count instead.
  std::uint64_t failed_writes() const { return failed_writes_.load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<LogOutput> output_;
  const std::string node_;
  std::atomic<Level> min_level_;
  std::atomic<std::uint64_t> failed_writes_{0};
};

}  // namespace devtrust::telemetry

#endif  // DEVTRUST_TELEMETRY_LOGGER_H_
