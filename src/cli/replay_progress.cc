#include "cli/replay_progress.h"

#include <fmt/format.h>

#include <string>

namespace devtrust::cli {
namespace {

constexpr std::size_t kBarWidth = 40;
// A terminal bar redraws at most this often, so that fast runs do not spend
// their time writing to the terminal.
constexpr std::chrono::milliseconds kRedrawInterval{100};

}  // namespace

ReplayProgress::ReplayProgress(std::size_t total, std::size_t every, bool terminal, std::FILE* out)
    : total_(total),
      every_(every),
      terminal_(terminal),
      out_(out),
      started_(std::chrono::steady_clock::now()) {}

void ReplayProgress::RecordDone(bool failed) {
  ++done_;
  if (failed) {
    ++failed_;
  }
  if (terminal_) {
    Draw(done_ == total_);
  } else if (every_ > 0 && (done_ % every_ == 0 || done_ == total_)) {
    Draw(true);
  }
}

void ReplayProgress::Draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < kRedrawInterval) {
    return;
  }
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
  const double fraction =
      total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;

  if (terminal_) {
    const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(kBarWidth));
    const std::string bar = std::string(filled, '#') + std::string(kBarWidth - filled, '.');
    fmt::print(out_, "\r[{}] {}/{} records, {:.1f} records/s, {} failed", bar, done_, total_, rate,
               failed_);
  } else {
    fmt::print(out_, "replayed {}/{} records ({:.0f}%), {:.1f} records/s, {} failed\n", done_,
               total_, fraction * 100.0, rate, failed_);
  }
  std::fflush(out_);
}

void ReplayProgress::Finish() {
  if (terminal_ && total_ > 0) {
    Draw(true);
    fmt::print(out_, "\n");
    std::fflush(out_);
  }
}

}  // namespace devtrust::cli
