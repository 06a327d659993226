#include "loadgen/system_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace devtrust::loadgen {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// proc(5) format with a command name that contains spaces and parentheses;
// utime is 250 ticks and stime 50.
constexpr std::string_view kStat =
    "4242 (devtrust (x) serve) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 18 0 "
    "12345 1000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ParseProcessCpuTimeTest, AddsUserAndSystemTicks) {
  Result<nanoseconds> cpu = ParseProcessCpuTime(kStat, 100);
  ASSERT_TRUE(cpu.has_value()) << cpu.error().ToString();
  EXPECT_EQ(*cpu, milliseconds(3000));
}

TEST(ParseProcessCpuTimeTest, ScalesByTickRate) {
  Result<nanoseconds> cpu = ParseProcessCpuTime(kStat, 1000);
  ASSERT_TRUE(cpu.has_value());
  EXPECT_EQ(*cpu, milliseconds(300));
}

TEST(ParseProcessCpuTimeTest, RejectsTextWithoutCommandName) {
  Result<nanoseconds> cpu = ParseProcessCpuTime("4242 S 1 2 3", 100);
  ASSERT_FALSE(cpu.has_value());
  EXPECT_EQ(cpu.error().reason(), "process_stat_invalid");
}

TEST(ParseProcessCpuTimeTest, RejectsTruncatedText) {
  Result<nanoseconds> cpu = ParseProcessCpuTime("4242 (serve) S 1 4242 4242 0 -1", 100);
  ASSERT_FALSE(cpu.has_value());
  EXPECT_EQ(cpu.error().reason(), "process_stat_invalid");
}

TEST(ParseProcessCpuTimeTest, RejectsNonNumericTicks) {
  Result<nanoseconds> cpu =
      ParseProcessCpuTime("1 (a) S 1 1 1 0 -1 0 0 0 0 0 x5 50 0 0 20 0 1 0 1 1 1", 100);
  ASSERT_FALSE(cpu.has_value());
  EXPECT_EQ(cpu.error().reason(), "process_stat_invalid");
}

TEST(ParseProcessCpuTimeTest, RejectsZeroTickRate) {
  Result<nanoseconds> cpu = ParseProcessCpuTime(kStat, 0);
  ASSERT_FALSE(cpu.has_value());
  EXPECT_EQ(cpu.error().reason(), "process_stat_invalid");
}

TEST(ProcessCpuTimeTest, ReadsOwnProcess) {
  // Burn a little CPU so that at least one clock tick is counted.
  const auto until = std::chrono::steady_clock::now() + milliseconds(30);
  volatile std::uint64_t sink = 0;
  while (std::chrono::steady_clock::now() < until) sink = sink + 1;

  Result<nanoseconds> cpu = ProcessCpuTime(::getpid());
  ASSERT_TRUE(cpu.has_value()) << cpu.error().ToString();
  EXPECT_GT(*cpu, nanoseconds(0));
}

TEST(ProcessCpuTimeTest, MissingProcessIsNotFound) {
  // Above the kernel's largest pid_max (2^22), so no process has it.
  Result<nanoseconds> cpu = ProcessCpuTime(2'000'000'000);
  ASSERT_FALSE(cpu.has_value());
  EXPECT_EQ(cpu.error().reason(), "process_not_found");
}

TEST(OwnCpuTimeTest, DoesNotGoBackwards) {
  const nanoseconds first = OwnCpuTime();
  const nanoseconds second = OwnCpuTime();
  EXPECT_GE(second, first);
}

TEST(DescribeMachineTest, HasCoresAndModel) {
  const MachineInfo machine = DescribeMachine();
  EXPECT_GE(machine.cores, 1u);
  EXPECT_FALSE(machine.cpu_model.empty());
}

TEST(LoadAverageTest, IsNotNegative) {
  for (const double load : LoadAverage()) EXPECT_GE(load, 0);
}

}  // namespace
}  // namespace devtrust::loadgen
