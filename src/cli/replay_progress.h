// Progress output of `devtrust replay-logins` on standard error: a bar that
// redraws in place on a terminal, or one line every `every` records
// otherwise, each with the records per second so far.
#ifndef DEVTRUST_CLI_REPLAY_PROGRESS_H_
#define DEVTRUST_CLI_REPLAY_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace devtrust::cli {

class ReplayProgress {
 public:
  // `every` is the line interval when `terminal` is false; 0 disables lines.
  ReplayProgress(std::size_t total, std::size_t every, bool terminal, std::FILE* out);

  // Counts one finished record. Not thread-safe; the replay calls it from
  // one thread at a time.
  void RecordDone(bool failed);

  // Ends the bar with a newline.
  void Finish();

 private:
  void Draw(bool force);

  std::size_t total_;
  std::size_t every_;
  bool terminal_;
  std::FILE* out_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace devtrust::cli

#endif  // DEVTRUST_CLI_REPLAY_PROGRESS_H_
