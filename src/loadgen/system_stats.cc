#include "loadgen/system_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace devtrust::loadgen {
namespace {

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::chrono::nanoseconds FromTimeval(const timeval& value) {
  return std::chrono::seconds(value.tv_sec) + std::chrono::microseconds(value.tv_usec);
}

std::unexpected<Error> StatInvalid(std::string_view problem) {
  return MakeError(StatusCode::kInternal, "process_stat_invalid",
                   "the process stat text " + std::string(problem) +
                       "; expected the format of proc(5) /proc/<pid>/stat");
}

}  // namespace

MachineInfo DescribeMachine() {
  MachineInfo info;
  info.cpu_model = "unknown";
  std::istringstream lines(ReadSmallFile("/proc/cpuinfo"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("model name")) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::size_t begin = line.find_first_not_of(' ', colon + 1);
    if (begin != std::string::npos) info.cpu_model = line.substr(begin);
    break;
  }
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  info.cores = online > 0 ? static_cast<unsigned>(online) : 1u;
  return info;
}

std::array<double, 3> LoadAverage() {
  std::array<double, 3> load{0, 0, 0};
  std::istringstream text(ReadSmallFile("/proc/loadavg"));
  text >> load[0] >> load[1] >> load[2];
  if (!text) return {0, 0, 0};
  return load;
}

std::chrono::nanoseconds OwnCpuTime() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return FromTimeval(usage.ru_utime) + FromTimeval(usage.ru_stime);
}

Result<std::chrono::nanoseconds> ParseProcessCpuTime(std::string_view stat, long ticks_per_second) {
  if (ticks_per_second <= 0) return StatInvalid("came with a clock tick rate of 0");
  // The command name (field 2) is in parentheses and may contain anything,
  // so fields are counted from the last ')'.
  const std::size_t name_end = stat.rfind(')');
  if (name_end == std::string_view::npos) return StatInvalid("has no command name");

  std::vector<std::string_view> fields;
  std::size_t position = name_end + 1;
  while (position < stat.size()) {
    const std::size_t begin = stat.find_first_not_of(" \n", position);
    if (begin == std::string_view::npos) break;
    const std::size_t end = std::min(stat.find_first_of(" \n", begin), stat.size());
    fields.push_back(stat.substr(begin, end - begin));
    position = end;
  }
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11, 12.
  constexpr std::size_t kUtime = 11;
  constexpr std::size_t kStime = 12;
  if (fields.size() <= kStime) return StatInvalid("has fewer than 15 fields");

  long long ticks[2] = {0, 0};
  const std::string_view values[2] = {fields[kUtime], fields[kStime]};
  for (int i = 0; i < 2; ++i) {
    const auto [end, error] =
        std::from_chars(values[i].data(), values[i].data() + values[i].size(), ticks[i]);
    if (error != std::errc() || end != values[i].data() + values[i].size() || ticks[i] < 0) {
      return StatInvalid("has a utime or stime that is not a number");
    }
  }
  const long long total = ticks[0] + ticks[1];
  return std::chrono::nanoseconds(total * 1'000'000'000LL / ticks_per_second);
}

Result<std::chrono::nanoseconds> ProcessCpuTime(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const std::string stat = ReadSmallFile(path);
  if (stat.empty()) {
    return MakeError(StatusCode::kNotFound, "process_not_found",
                     "cannot read " + path + "; check that process " + std::to_string(pid) +
                         " runs on this machine");
  }
  return ParseProcessCpuTime(stat, ::sysconf(_SC_CLK_TCK));
}

}  // namespace devtrust::loadgen
