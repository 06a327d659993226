#include "telemetry/logger.h"

#include <array>
#include <chrono>

#include "base/build_info.h"
#include "telemetry/json_text.h"

namespace devtrust::telemetry {
namespace {

constexpr std::string_view kTruncationMarker = " [truncated]";
constexpr std::array<std::string_view, 5> kFixedKeys = {"timestamp", "level", "msg", "node",
                                                        "commit"};

void Append(fmt::memory_buffer& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

// Appends `"key":`. The key is escaped too, because callers may build keys at
// run time.
void AppendKey(fmt::memory_buffer& out, std::string_view key) {
  out.push_back(',');
  AppendJsonString(out, key);
  out.push_back(':');
}

// Appends `text` as a JSON string of at most `max_bytes` bytes before the
// marker. A cut through a multi-byte character leaves a partial sequence,
// which AppendJsonString replaces with U+FFFD.
void AppendBoundedString(fmt::memory_buffer& out, std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    AppendJsonString(out, text);
    return;
  }
  std::string bounded(text.substr(0, max_bytes));
  bounded.append(kTruncationMarker);
  AppendJsonString(out, bounded);
}

bool IsFixedKey(std::string_view key) {
  for (const std::string_view fixed : kFixedKeys) {
    if (key == fixed) {
      return true;
    }
  }
  return false;
}

void AppendFieldValue(fmt::memory_buffer& out, const LogField::Value& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    AppendBoundedString(out, *text, kMaxLogFieldValueBytes);
  } else if (const auto* signed_value = std::get_if<std::int64_t>(&value)) {
    AppendJsonInteger(out, *signed_value);
  } else if (const auto* unsigned_value = std::get_if<std::uint64_t>(&value)) {
    const fmt::format_int digits(*unsigned_value);
    out.append(digits.data(), digits.data() + digits.size());
  } else if (const auto* double_value = std::get_if<double>(&value)) {
    AppendJsonDouble(out, *double_value);
  } else {
    Append(out, std::get<bool>(value) ? "true" : "false");
  }
}

}  // namespace

Logger::Logger(std::shared_ptr<LogOutput> output, std::string node, Level min_level)
    : output_(std::move(output)), node_(std::move(node)), min_level_(min_level) {}

void Logger::WriteLine(Level level, std::string_view message, std::span<const LogField> fields) {
  if (!IsEnabled(level)) {
    return;
  }

  fmt::memory_buffer out;
  Append(out, "{\"timestamp\":\"");
  AppendRfc3339Millis(out, std::chrono::system_clock::now());
  Append(out, "\",\"level\":\"");
  Append(out, LevelName(level));
  Append(out, "\",\"msg\":");
  AppendBoundedString(out, message, kMaxLogMessageBytes);
  Append(out, ",\"node\":");
  AppendJsonString(out, node_);
  Append(out, ",\"commit\":");
  AppendJsonString(out, BuildCommit());

  for (const LogField& field : fields) {
    if (IsFixedKey(field.key())) {
      AppendKey(out, std::string("field_").append(field.key()));
    } else {
      AppendKey(out, field.key());
    }
    AppendFieldValue(out, field.value());
  }
  Append(out, "}\n");

  if (!output_->WriteLine(std::string_view(out.data(), out.size())).has_value()) {
    failed_writes_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace devtrust::telemetry
