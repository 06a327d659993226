// Facts about the machine and its processes that a benchmark report needs to
// be read correctly: the CPU model and core count, the load average (other
// work on the machine inflates every latency), and the CPU time the load
// generator and the server used.
#ifndef DEVTRUST_LOADGEN_SYSTEM_STATS_H_
#define DEVTRUST_LOADGEN_SYSTEM_STATS_H_

#include <sys/types.h>

#include <array>
#include <chrono>
#include <string>
#include <string_view>

#include "base/error.h"

namespace devtrust::loadgen {

struct MachineInfo {
  // The "model name" of /proc/cpuinfo, or "unknown".
  std::string cpu_model;
  // Online CPUs (sysconf _SC_NPROCESSORS_ONLN).
  unsigned cores = 1;
};

MachineInfo DescribeMachine();

// The 1, 5 and 15 minute load averages of /proc/loadavg; zeros when it
// cannot be read.
std::array<double, 3> LoadAverage();

// User plus system CPU time of this process (getrusage).
std::chrono::nanoseconds OwnCpuTime();

// User plus system CPU time of process `pid`, from /proc/<pid>/stat. Errors:
// "process_not_found" (kNotFound) when the file cannot be read,
// "process_stat_invalid" (kInternal) when it does not have the expected
// fields.
Result<std::chrono::nanoseconds> ProcessCpuTime(pid_t pid);

// Parses the text of /proc/<pid>/stat: utime and stime are fields 14 and 15,
// in clock ticks of `ticks_per_second`, counted after the command name in
// parentheses, which may itself contain spaces and parentheses. Errors:
// "process_stat_invalid".
Result<std::chrono::nanoseconds> ParseProcessCpuTime(std::string_view stat, long ticks_per_second);

}  // namespace devtrust::loadgen

#endif  // DEVTRUST_LOADGEN_SYSTEM_STATS_H_
