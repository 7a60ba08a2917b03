// Tests the batch executor (harness/src/batch_executor.cpp) against real worker processes that succeed, raise,
// hang, crash, print garbage or fail their self-check.
#include "harness/batch_executor.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "test_support.h"

namespace harness {
namespace {

class BatchExecutorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { interpreter_ = new Interpreter(testing::python38()); }
  WorkerResult run(const std::string& fixture, RunOptions options = {}, Environment env = {}) {
    auto executor = make_batch_executor();
    Benchmark benchmark = testing::fixture(fixture);
    env.merge(executor->prepare(benchmark, *interpreter_, options));
    return executor->run_worker(benchmark, *interpreter_, env, options, 0);
  }
  static Interpreter* interpreter_;
};
Interpreter* BatchExecutorTest::interpreter_ = nullptr;

TEST_F(BatchExecutorTest, ReportsEveryIterationWithWarmupsMarked) {
  RunOptions options;
  options.warmups = 2;
  options.iterations = 3;
  WorkerResult result = run("fault_ok", options);
  ASSERT_TRUE(result.ok) << result.error << result.stderr_tail;
  // Each iteration gives its wall time ("iteration") and the worker's CPU time for it ("cpu").
  std::vector<Sample> wall, cpu;
  for (const auto& s : result.samples) (s.kind == "cpu" ? cpu : wall).push_back(s);
  ASSERT_EQ(wall.size(), 5u);
  ASSERT_EQ(cpu.size(), 5u);
  EXPECT_TRUE(wall[0].warmup);
  EXPECT_TRUE(wall[1].warmup);
  EXPECT_FALSE(wall[2].warmup);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(wall[i].kind, "iteration");
    EXPECT_GT(wall[i].value, 0);
    EXPECT_EQ(cpu[i].seq, wall[i].seq);
    EXPECT_EQ(cpu[i].warmup, wall[i].warmup);
    EXPECT_GE(cpu[i].value, 0);
    // CPU time of one process cannot exceed its wall time (a single-threaded worker); 2 ms slack for clocks.
    EXPECT_LE(cpu[i].value, wall[i].value + 0.002);
  }
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_GT(result.peak_rss_bytes, 1 << 20);  // a Python process uses megabytes
  EXPECT_GT(result.wall_seconds, 0);
}

TEST_F(BatchExecutorTest, ExceptionFailsWithItsMessage) {
  WorkerResult result = run("fault_raises");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("deliberate failure in iteration 2"), std::string::npos) << result.error;
}

TEST_F(BatchExecutorTest, FailedSelfCheckFails) {
  WorkerResult result = run("fault_wrong");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("expected 10, got 11"), std::string::npos) << result.error;
}

TEST_F(BatchExecutorTest, GarbageOnTheReportPipeFails) {
  WorkerResult result = run("fault_garbage");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("garbage"), std::string::npos) << result.error;
}

TEST_F(BatchExecutorTest, SignalDeathIsReported) {
  WorkerResult result = run("fault_segv");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.exit_status, -SIGSEGV);
  EXPECT_NE(result.error.find("signal 11"), std::string::npos) << result.error;
}

TEST_F(BatchExecutorTest, HangIsKilledAtTheTimeoutWithItsGrandchildren) {
  auto marker = testing::temp_dir("hang") / "grandchild.pid";
  RunOptions options;
  options.timeout_seconds = 3;
  auto start = std::chrono::steady_clock::now();
  WorkerResult result = run("fault_hangs", options, {{"PB_FAULT_MARKER", marker.string()}});
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("timeout"), std::string::npos) << result.error;
  EXPECT_LT(elapsed, 10);
  std::ifstream in(marker);
  pid_t grandchild = 0;
  ASSERT_TRUE(in >> grandchild) << "the fixture did not start its grandchild";
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
  std::string pid, comm, state;
  if (stat >> pid >> comm >> state) {
    EXPECT_EQ(state, "Z") << "grandchild " << grandchild << " survived";
  }
}

TEST_F(BatchExecutorTest, MissingInterpreterBinaryIsAFailureNotACrash) {
  auto executor = make_batch_executor();
  Interpreter broken = *interpreter_;
  broken.argv[0] = "/nonexistent/python";
  WorkerResult result = executor->run_worker(testing::fixture("fault_ok"), broken, {}, RunOptions{}, 0);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("cannot start"), std::string::npos) << result.error;
}

}  // namespace
}  // namespace harness
