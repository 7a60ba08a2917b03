// Tests child process control and /proc measurement (harness/src/process.cpp).
#include "harness/process.h"

#include "harness/error.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <vector>

namespace harness {
namespace {

bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string p, comm, state;
  return (stat >> p >> comm >> state) && state != "Z";
}

TEST(TreeMemory, MeasuresThisProcess) {
  TreeMemory m = tree_memory(getpid(), true);
  EXPECT_GT(m.rss_bytes, 0);
  EXPECT_EQ(m.processes, 1);
  ASSERT_TRUE(m.pss_bytes.has_value());
  EXPECT_GT(*m.pss_bytes, 0);
}

TEST(ChildProcess, ReportLinesStdoutStderrAndExitCode) {
  ProcessOptions options;
  options.argv = {"/bin/sh", "-c", "echo one >&3; echo two >&3; echo out; echo err >&2; exit 7"};
  options.report_pipe = true;
  ChildProcess child(options);
  std::vector<std::string> lines;
  ChildProcess::Watch watch;
  watch.on_report_line = [&](const std::string& line) { lines.push_back(line); };
  ASSERT_TRUE(child.wait(std::chrono::seconds(10), watch));
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(child.exit_status(), 7);
  EXPECT_EQ(child.stdout_tail(), "out\n");
  EXPECT_EQ(child.stderr_tail(), "err\n");
}

TEST(ChildProcess, TimeoutThenKillTreeLeavesNoDescendants) {
  ProcessOptions options;
  options.argv = {"/bin/sh", "-c", "sleep 300 & sleep 300 & wait"};
  ChildProcess child(options);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::vector<pid_t> tree = process_tree(child.pid());
  EXPECT_EQ(tree.size(), 3u);
  TreeMemory m = tree_memory(child.pid());
  EXPECT_EQ(m.processes, 3);
  EXPECT_FALSE(child.wait(std::chrono::milliseconds(200), {}));
  child.kill_tree();
  EXPECT_FALSE(child.running());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (pid_t pid : tree) EXPECT_FALSE(alive(pid)) << pid;
}

TEST(ChildProcess, ExtraEnvironmentAndWorkingDirectory) {
  ProcessOptions options;
  options.argv = {"/bin/sh", "-c", "echo $PB_TEST_VALUE; pwd"};
  options.extra_env = {{"PB_TEST_VALUE", "hello"}};
  options.cwd = "/tmp";
  ChildProcess child(options);
  ASSERT_TRUE(child.wait(std::chrono::seconds(10), {}));
  EXPECT_EQ(child.stdout_tail(), "hello\n/tmp\n");
}

// The child allocates 50 MiB and exits long before the next /proc sample is due (10 s), as a short worker
// does between two samples on a busy machine: the peak must come from the kernel (wait4's ru_maxrss). The
// /proc samples alone stored the shell's size at the first sample (3,489,792 bytes in one try).
TEST(ChildProcess, PeakOfAChildThatExitsBetweenTwoSamples) {
  ProcessOptions options;
  options.argv = {"/bin/sh", "-c", "sleep 0.3; exec dd if=/dev/zero of=/dev/null bs=50M count=1 status=none"};
  ChildProcess child(options);
  ChildProcess::Watch watch;
  watch.sample_every = std::chrono::seconds(10);
  ASSERT_TRUE(child.wait(std::chrono::seconds(30), watch));
  ASSERT_EQ(child.exit_status(), 0) << child.stderr_tail();
  EXPECT_GE(child.peak_rss_bytes(), 50 << 20);
}

// ru_maxrss also counts the copy of the parent that the child was between fork and exec: a 64 MiB harness
// must not make /bin/true look like a 64 MiB worker.
TEST(ChildProcess, PeakIsNotTheForkedCopyOfTheHarness) {
  std::vector<char> ballast(64 << 20, 1);  // resident: every page written
  ProcessOptions options;
  options.argv = {"/bin/true"};
  ChildProcess child(options);
  ChildProcess::Watch watch;
  watch.sample_every = std::chrono::seconds(10);
  ASSERT_TRUE(child.wait(std::chrono::seconds(30), watch));
  EXPECT_EQ(child.exit_status(), 0);
  EXPECT_LT(child.peak_rss_bytes(), 16 << 20);
  EXPECT_EQ(ballast[ballast.size() / 2], 1);
}

}  // namespace
}  // namespace harness

namespace harness {
namespace {

TEST(CpuList, ParsesNumbersAndRanges) {
  EXPECT_EQ(parse_cpu_list("0"), std::vector<int>{0});
  if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
    EXPECT_EQ(parse_cpu_list("0-1"), (std::vector<int>{0, 1}));
  }
  for (const char* bad : {"", "x", "1-0", "-1", "0,", "99999", "0-3x"})
    EXPECT_THROW(parse_cpu_list(bad), HarnessError) << bad;
}

TEST(ChildProcess, ChosenEnvironmentAndAffinity) {
  setenv("PB_TEST_STRAY", "1", 1);
  setenv("LC_PB_TEST", "1", 1);
  ProcessOptions options;
  options.argv = {"/bin/sh", "-c", "env | cut -d= -f1 | sort | tr '\\n' ' '; grep Cpus_allowed_list /proc/self/status"};
  options.inherit_environ = std::vector<std::string>{"PATH", "LC_*"};
  options.extra_env = {{"PB_GIVEN", "yes"}};
  options.cpus = {0};
  ChildProcess child(options);
  ASSERT_TRUE(child.wait(std::chrono::seconds(10), {}));
  std::string out = child.stdout_tail();
  EXPECT_NE(out.find("PATH "), std::string::npos) << out;
  EXPECT_NE(out.find("LC_PB_TEST "), std::string::npos) << out;
  EXPECT_NE(out.find("PB_GIVEN "), std::string::npos) << out;
  EXPECT_EQ(out.find("PB_TEST_STRAY"), std::string::npos) << out;
  EXPECT_EQ(out.find("HOME "), std::string::npos) << out;
  EXPECT_NE(out.find("Cpus_allowed_list:\t0\n"), std::string::npos) << out;
  unsetenv("PB_TEST_STRAY");
  unsetenv("LC_PB_TEST");
}

}  // namespace
}  // namespace harness
