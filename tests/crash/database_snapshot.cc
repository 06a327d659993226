#include "database_snapshot.h"

#include <charconv>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "ops/subprocess.h"

namespace devtrust::hardening {

Result<DatabaseSnapshot> DatabaseSnapshot::Copy(const std::filesystem::path& database,
                                                const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return MakeError(StatusCode::kInternal, "snapshot_failed",
                     "cannot create " + directory.string() + ": " + error.message());
  }

  const std::filesystem::path copy = directory / database.filename();
  for (const std::string_view suffix : {"", "-wal"}) {
    const std::filesystem::path from = database.string() + std::string(suffix);
    if (!suffix.empty() && !std::filesystem::exists(from)) continue;
    std::filesystem::copy_file(from, copy.string() + std::string(suffix),
                               std::filesystem::copy_options::overwrite_existing, error);
    if (error) {
      return MakeError(StatusCode::kInternal, "snapshot_failed",
                       "cannot copy " + from.string() + ": " + error.message());
    }
  }
  return DatabaseSnapshot(copy);
}

Result<std::vector<std::string>> DatabaseSnapshot::Query(std::string_view sql) const {
  const std::vector<std::string> argv = {DEVTRUST_SQLITE3_CLI, "-readonly",     "-bail", "-batch",
                                         path_.string(),       std::string(sql)};
  Result<ops::SubprocessResult> run = ops::RunSubprocess(argv);
  if (!run) return std::unexpected(std::move(run).error());
  if (run->exit_code != 0 || !run->stderr_text.empty()) {
    return MakeError(StatusCode::kInternal, "sqlite3_failed",
                     "sqlite3 exited with " + std::to_string(run->exit_code) + " on '" +
                         std::string(sql) + "': " + run->stderr_text);
  }

  std::vector<std::string> lines;
  std::istringstream output(run->stdout_text);
  for (std::string line; std::getline(output, line);) lines.push_back(std::move(line));
  return lines;
}

Result<std::int64_t> DatabaseSnapshot::Count(std::string_view sql) const {
  Result<std::vector<std::string>> lines = Query(sql);
  if (!lines) return std::unexpected(std::move(lines).error());

  std::int64_t value = 0;
  const std::string& text = lines->empty() ? std::string() : lines->front();
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (lines->size() != 1 || status != std::errc() || end != text.data() + text.size()) {
    return MakeError(StatusCode::kInternal, "sqlite3_failed",
                     "'" + std::string(sql) + "' returned no single integer");
  }
  return value;
}

std::string SqlList(const std::vector<std::string>& values) {
  std::string list;
  for (const std::string& value : values) {
    if (value.find('\'') != std::string::npos) std::abort();
    if (!list.empty()) list += ',';
    list += "'" + value + "'";
  }
  return list;
}

}  // namespace devtrust::hardening
