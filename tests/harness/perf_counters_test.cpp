// Tests the counters (harness/src/perf_counters.cpp) on real worker processes: software events always have
// values, hardware events have values where a PMU exists and a null value noted "unavailable: <reason>" where not
// (this project's VMs), counting only happens inside the window, and the deterministic mode
// (harness/src/instruction_count.cpp) gives the same count twice.
#include "harness/perf_counters.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "harness/analysis.h"
#include "harness/batch_executor.h"
#include "harness/error.h"
#include "harness/instruction_count.h"
#include "test_support.h"

namespace harness {
namespace {

const Metric* find(const std::vector<Metric>& metrics, const std::string& name) { return find_metric(metrics, name); }

// A child that burns CPU until killed.
pid_t spin() {
  pid_t pid = fork();
  if (pid == 0) {
    volatile unsigned long spins = 0;
    for (;;) spins = spins + 1;
  }
  return pid;
}

void stop(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

TEST(PerfCountersTest, EventNamesAreResolvedByLibpfm) {
  EXPECT_EQ(parse_event_list("cycles,instructions,branch-misses,cache-misses").size(), 4u);
  EXPECT_EQ(parse_event_list("").size(), 0u);
  EXPECT_THROW(parse_event_list("cycles,no-such-event"), HarnessError);
}

TEST(PerfCountersTest, CapabilityExplainsWhyThereIsNoPmu) {
  const PmuCapability& pmu = pmu_capability();
  if (pmu.available) GTEST_SKIP() << "this machine has a PMU";
  EXPECT_NE(pmu.reason.find("perf_event_open for cycles"), std::string::npos) << pmu.reason;
}

TEST(PerfCountersTest, CountsOnlyBetweenStartAndStop) {
  pid_t pid = spin();
  CounterSession never_started({}, {pid});
  CounterSession started({}, {pid});
  started.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  started.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop(pid);
  std::vector<Metric> idle_metrics = never_started.metrics(1, "run"), busy_metrics = started.metrics(1, "run");
  const Metric* idle = find(idle_metrics, "perf.task-clock");
  const Metric* busy = find(busy_metrics, "perf.task-clock");
  ASSERT_TRUE(idle && busy);
  ASSERT_TRUE(idle->value && busy->value) << idle->note << busy->note;
  EXPECT_EQ(*idle->value, 0);
  EXPECT_GT(*busy->value, 0.001);  // seconds of CPU in a 200 ms window (a loaded machine may give it little)
  EXPECT_LT(*busy->value, 0.21);   // and nothing from the 100 ms after stop()
  EXPECT_EQ(busy->unit, "s/run");
}

TEST(PerfCountersTest, BatchWorkerStoresSoftwareEventsAndNotesMissingHardware) {
  RunOptions options;
  options.iterations = 2;
  options.size = 20000;
  options.events = {"cycles", "instructions"};
  auto executor = make_batch_executor();
  Benchmark benchmark = testing::fixture("gate_work");
  WorkerResult result = executor->run_worker(benchmark, testing::python38(), {}, options, 0);
  ASSERT_TRUE(result.ok) << result.error;
  for (const char* name : {"perf.task-clock", "perf.context-switches", "perf.page-faults"}) {
    const Metric* m = find(result.metrics, name);
    ASSERT_TRUE(m) << name;
    ASSERT_TRUE(m->value) << name << ": " << m->note;
    EXPECT_GE(*m->value, 0) << name;
    EXPECT_EQ(m->unit.substr(m->unit.find('/')), "/iteration");
  }
  EXPECT_GT(*find(result.metrics, "perf.task-clock")->value, 0);
  for (const char* name : {"perf.cycles", "perf.instructions", "perf.ipc"}) {
    const Metric* m = find(result.metrics, name);
    ASSERT_TRUE(m) << name;
    if (pmu_capability().available) {
      EXPECT_TRUE(m->value) << name;
    } else {
      EXPECT_FALSE(m->value) << name;
      EXPECT_EQ(m->note.rfind("unavailable: ", 0), 0u) << name << ": " << m->note;
    }
  }
}

TEST(InstructionCountTest, TwoRunsOfTheSameBuildGiveTheSameCount) {
  RunOptions options;
  options.warmups = 1;
  options.size = 20000;
  options.instructions = true;
  auto executor = make_batch_executor();
  Benchmark benchmark = testing::fixture("gate_work");
  Interpreter python = testing::python38();
  double counts[2] = {0, 0};
  for (double& count : counts) {
    WorkerResult result = executor->run_worker(benchmark, python, {}, options, 0);
    ASSERT_TRUE(result.ok) << result.error << result.stderr_tail;
    const Metric* m = find(result.metrics, "instructions");
    ASSERT_TRUE(m && m->value);
    count = *m->value;
  }
  EXPECT_EQ(counts[0], counts[1]);
  // 20000 loop iterations of a few bytecodes each: somewhere between 1 and 10000 instructions per loop turn.
  EXPECT_GT(counts[0], 20000.0);
  EXPECT_LT(counts[0], 20000.0 * 10000);
}

TEST(InstructionCountTest, MoreWorkMeansProportionallyMoreInstructions) {
  RunOptions options;
  options.warmups = 0;
  options.instructions = true;
  auto executor = make_batch_executor();
  Benchmark benchmark = testing::fixture("gate_work");
  Interpreter python = testing::python38();
  double counts[2] = {0, 0};
  long sizes[2] = {20000, 21000};
  for (int i = 0; i < 2; ++i) {
    options.size = sizes[i];
    WorkerResult result = executor->run_worker(benchmark, python, {}, options, 0);
    ASSERT_TRUE(result.ok) << result.error << result.stderr_tail;
    counts[i] = *find(result.metrics, "instructions")->value;
  }
  EXPECT_NEAR(counts[1] / counts[0], 1.05, 0.005);
}

}  // namespace
}  // namespace harness
