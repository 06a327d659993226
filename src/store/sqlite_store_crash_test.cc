// Crash safety. A child process registers devices until the parent kills it
// with SIGKILL at a random moment. The parent then reopens the file and
// checks that no registration is half written and that none the child
// reported as committed is missing.
//
// SIGKILL ends the process but not the kernel, so data in the page cache
// survives. This test therefore covers process crashes, which
// synchronous=NORMAL survives too. It does not simulate a power loss, which
// only synchronous=FULL survives.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_connection.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace devtrust::store {
namespace {

using test_util::MakeNonce;
using test_util::MakeRegistration;
using test_util::QueryInt;

constexpr int kRounds = 3;
constexpr int kChildThreads = 4;
// Maximum wait for the child to report progress before the test gives up.
constexpr int kReadTimeoutMs = 60'000;

// Writes `line` to the pipe in one write(). Lines are shorter than PIPE_BUF,
// so lines from several threads never interleave.
void Report(int fd, const std::string& line) {
  const std::string text = line + "\n";
  while (::write(fd, text.data(), text.size()) < 0 && errno == EINTR) {
  }
}

// Runs in the child: registers devices on several threads forever and
// reports each device id after RegisterDevice returned success.
[[noreturn]] void RegisterUntilKilled(const SqliteStoreOptions& options, int round, int report_fd) {
  Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(options);
  if (!opened) {
    Report(report_fd, "error " + opened.error().ToString());
    ::_exit(1);
  }
  SqliteStore& store = **opened;

  std::vector<std::thread> threads;
  for (int t = 0; t < kChildThreads; ++t) {
    threads.emplace_back([&store, round, t, report_fd] {
      for (int n = 0;; ++n) {
        const std::string device_id =
            "r" + std::to_string(round) + "-t" + std::to_string(t) + "-" + std::to_string(n);
        const TimePoint now = std::chrono::system_clock::now();
        const NonceRecord nonce =
            MakeNonce("register-" + device_id, NoncePurpose::kRegister, "user-1", "", now);
        if (Status put = store.PutNonce(nonce); !put) {
          Report(report_fd, "error " + put.error().ToString());
          ::_exit(1);
        }
        const Result<NonceOutcome> registered =
            store.RegisterDevice(MakeRegistration(device_id, "user-1", nonce, now));
        if (!registered || *registered != NonceOutcome::kConsumed) {
          Report(report_fd, "error registering " + device_id);
          ::_exit(1);
        }
        Report(report_fd, "ok " + device_id);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ::_exit(0);
}

struct ChildRun {
  std::vector<std::string> committed;
  std::string error;
  bool killed = false;
};

// Forks the child, reads its reports until `kill_after` registrations were
// reported, sends SIGKILL after a random delay and collects every report
// written before the child died.
ChildRun RunAndKill(const SqliteStoreOptions& options, int round, int kill_after,
                    std::chrono::microseconds kill_delay) {
  ChildRun run;
  int fds[2];
  if (::pipe(fds) != 0) {
    run.error = "pipe failed";
    return run;
  }

  const pid_t child = ::fork();
  if (child < 0) {
    run.error = "fork failed";
    return run;
  }
  if (child == 0) {
    ::close(fds[0]);
    RegisterUntilKilled(options, round, fds[1]);
  }
  ::close(fds[1]);

  std::string buffer;
  bool kill_sent = false;
  while (true) {
    pollfd readable{fds[0], POLLIN, 0};
    const int ready = ::poll(&readable, 1, kReadTimeoutMs);
    if (ready == 0) {
      run.error = "the child reported nothing for 60 s";
      ::kill(child, SIGKILL);
      kill_sent = true;
      break;
    }
    if (ready < 0 && errno == EINTR) continue;

    char chunk[4096];
    const ssize_t size = ::read(fds[0], chunk, sizeof(chunk));
    if (size < 0 && errno == EINTR) continue;
    if (size <= 0) break;  // end of file: the child is gone
    buffer.append(chunk, static_cast<std::size_t>(size));

    std::size_t end;
    while ((end = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, end);
      buffer.erase(0, end + 1);
      if (line.rfind("ok ", 0) == 0) {
        run.committed.push_back(line.substr(3));
      } else {
        run.error = line;
      }
    }

    if (!kill_sent && static_cast<int>(run.committed.size()) >= kill_after) {
      std::this_thread::sleep_for(kill_delay);
      ::kill(child, SIGKILL);
      kill_sent = true;
    }
  }
  ::close(fds[0]);

  int status = 0;
  ::waitpid(child, &status, 0);
  run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  return run;
}

std::string IntegrityCheck(const std::string& path) {
  Result<SqliteConnection> connection =
      SqliteConnection::Open(path, SqliteConnection::Mode::kReadWrite, std::chrono::seconds(5));
  if (!connection) return connection.error().ToString();
  Result<SqliteStatement> check = connection->Prepare("PRAGMA integrity_check");
  if (!check) return check.error().ToString();
  Result<bool> row = check->Step();
  if (!row) return row.error().ToString();
  if (!*row) return "no result";
  return check->ColumnText(0);
}

class SqliteCrashTest : public ::testing::TestWithParam<SqliteSynchronous> {};

TEST_P(SqliteCrashTest, KilledWriterLeavesWholeRegistrations) {
  test_util::TempDir dir;
  SqliteStoreOptions options = test_util::TestOptions(dir.File("crash.db"));
  options.synchronous = GetParam();

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_after(5, 200);
  std::uniform_int_distribution<int> kill_delay_us(0, 20'000);

  std::set<std::string> all_committed;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const ChildRun run = RunAndKill(options, round, kill_after(random),
                                    std::chrono::microseconds(kill_delay_us(random)));
    ASSERT_TRUE(run.error.empty()) << run.error;
    ASSERT_TRUE(run.killed);
    all_committed.insert(run.committed.begin(), run.committed.end());

    EXPECT_EQ(IntegrityCheck(options.path), "ok");

    // Reopening recovers the WAL and must find every part of every device.
    std::unique_ptr<SqliteStore> store = test_util::OpenOrFail(options);
    ASSERT_NE(store, nullptr);
    for (const std::string& device_id : all_committed) {
      EXPECT_TRUE(store->GetDevice(device_id).has_value()) << device_id << " was lost";
    }
    store->Close();

    const std::string& path = options.path;
    const std::int64_t devices = QueryInt(path, "SELECT count(*) FROM devices");
    EXPECT_GE(devices, static_cast<std::int64_t>(all_committed.size()));
    EXPECT_EQ(QueryInt(path,
                       "SELECT count(*) FROM devices d WHERE (SELECT count(*) FROM "
                       "certificates c WHERE c.device_id = d.device_id) != 2"),
              0);
    EXPECT_EQ(QueryInt(path,
                       "SELECT count(*) FROM devices d WHERE NOT EXISTS (SELECT 1 FROM "
                       "verification_challenges v WHERE v.device_id = d.device_id)"),
              0);
    EXPECT_EQ(QueryInt(path,
                       "SELECT count(*) FROM devices d WHERE NOT EXISTS (SELECT 1 FROM "
                       "notifications n WHERE n.device_id = d.device_id)"),
              0);
    EXPECT_EQ(QueryInt(path,
                       "SELECT count(*) FROM devices d WHERE NOT EXISTS (SELECT 1 FROM "
                       "outbox o WHERE instr(o.payload, '\"' || d.device_id || '\"') > 0)"),
              0);
    // A nonce is consumed exactly when its device was written.
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM nonces WHERE consumed_at IS NOT NULL"), devices);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM outbox"), devices);
  }
}

INSTANTIATE_TEST_SUITE_P(Synchronous, SqliteCrashTest,
                         ::testing::Values(SqliteSynchronous::kFull, SqliteSynchronous::kNormal),
                         [](const ::testing::TestParamInfo<SqliteSynchronous>& param_info) {
                           return param_info.param == SqliteSynchronous::kFull ? "Full" : "Normal";
                         });

}  // namespace
}  // namespace devtrust::store
