// measure_loc-sample-bench: what one sample costs: reading a running CPython's stack from outside with
// process_vm_readv and decoding its frames and line numbers (stack_reader.cpp), against a real python3.8,
// python3.11 and python3.12 that spins at the bottom of a recursion.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "layout.h"
#include "measure_loc/profile.h"
#include "process_memory.h"
#include "python_runtime.h"
#include "stack_reader.h"

namespace {

using namespace measure_loc;

// Google Benchmark 1.7 still exits 0 after SkipWithError; main returns 1 when any benchmark failed, so ctest
// (and anyone scripting these) sees the failure.
bool g_failed = false;

void fail(benchmark::State& state, const std::string& why) {
  g_failed = true;
  state.SkipWithError(why.c_str());
}

constexpr int kDepth = 100;  // Python frames of `down` below the module frame

// The target: `down` recurses to the depth given, then `spin` loops forever in the leaf frame, so every sample
// finds a stack of known depth standing on one function.
const char* const kTargetProgram = R"(
import sys

def spin():
    x = 0
    while True:
        x += 1

def down(n):
    if n == 0:
        spin()
    down(n - 1)

down(int(sys.argv[1]))
)";

// A python process started for the benchmarks of one version and killed (and reaped) when they are done. It
// also dies with this process (PR_SET_PDEATHSIG), so a crashed benchmark leaves no spinning python behind.
class TargetProcess {
 public:
  explicit TargetProcess(const std::string& python) {
    std::string depth = std::to_string(kDepth);
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw Error("fork failed");
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      execl(python.c_str(), python.c_str(), "-c", kTargetProgram, depth.c_str(), static_cast<char*>(nullptr));
      std::perror(python.c_str());
      _exit(127);
    }
    memory_ = std::make_unique<ProcessMemory>(pid_);
    runtime_ = wait_until_spinning();
  }
  ~TargetProcess() {
    if (pid_ <= 0) return;  // already reaped (never kill(-1): that signals every process we may)
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  TargetProcess(const TargetProcess&) = delete;
  TargetProcess& operator=(const TargetProcess&) = delete;

  const ProcessMemory& memory() const { return *memory_; }
  const PythonRuntime& runtime() const { return runtime_; }

 private:
  // Waits until the runtime is up and `spin` is the leaf of the stack; throws Error after 20 s or if the target
  // exits.
  PythonRuntime wait_until_spinning() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::set<std::string> not_python;  // mapped files already seen to lack _PyRuntime
    std::optional<PythonRuntime> runtime;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw Error("the target python exited before it reached its loop (status " + std::to_string(status) + ")");
      }
      if (!runtime) runtime = find_python_runtime(*memory_, &not_python);
      if (runtime && runtime_initialized(*memory_, *runtime) &&
          StackReader(*memory_, *runtime).file_on_stack(false, {"<string>:spin"}))
        return *runtime;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    throw Error("the target python did not reach its loop within 20 s");
  }

  pid_t pid_ = -1;
  std::unique_ptr<ProcessMemory> memory_;
  PythonRuntime runtime_;
};

// Setup: one target per version, started by the first benchmark that needs it (Google Benchmark runs each
// benchmark function several times while it settles the iteration count; a python start-up each time made the
// short ctest run take 18 s). Teardown: main() clears this after the run.
std::map<std::string, std::unique_ptr<TargetProcess>> g_targets;

// Runs `body` with a fresh StackReader on the version's target, or fails the benchmark if there is none.
template <typename Body>
void with_target(benchmark::State& state, const std::string& version, Body body) {
  try {
    std::unique_ptr<TargetProcess>& target = g_targets[version];
    if (!target) target = std::make_unique<TargetProcess>(resolve_python("python" + version).string());
    StackReader reader(target->memory(), target->runtime());
    body(reader);
  } catch (const Error& e) {
    fail(state, "python" + version + ": " + e.what() + (e.hint().empty() ? "" : " (" + e.hint() + ")"));
  }
}

// What the sampler does per sample: the GIL holder's leaf frame, its code object (cached after the first
// sample) and the line of its instruction.
void BM_SampleLeafLine(benchmark::State& state, const std::string& version) {
  with_target(state, version, [&](StackReader& reader) {
    std::vector<SampledStack> stacks;
    std::int64_t ok = 0;
    for (auto _ : state) ok += reader.sample(false, 1, stacks) == SampleStatus::Ok;
    // The leaf never returns, so (almost) every read must validate; many failures mean the reader is broken.
    if (ok < state.iterations() * 9 / 10)
      return fail(state, std::to_string(state.iterations() - ok) + " of " + std::to_string(state.iterations()) +
                             " samples did not validate (last failure: " +
                             failure_reason_name(reader.last_failure()) + ")");
    if (reader.filenames().empty() || reader.filenames()[0] != "<string>")
      return fail(state, "the samples were not in the target's program");
    state.counters["ok_percent"] = 100.0 * static_cast<double>(ok) / static_cast<double>(state.iterations());
    state.SetItemsProcessed(state.iterations());
  });
}

// Reading the whole stack, frame by frame down to the module: what the start condition (--start-at) costs
// per sample until it is met. items/s counts Python frames read.
void BM_WalkWholeStack(benchmark::State& state, const std::string& version) {
  with_target(state, version, [&](StackReader& reader) {
    for (auto _ : state)
      if (reader.file_on_stack(false, {"<string>:not_on_the_stack"}))
        return fail(state, "a function that is not on the stack was found on it");
    if (!reader.file_on_stack(false, {"<string>:<module>"}))
      return fail(state, "the walk did not reach the module frame");
    state.SetItemsProcessed(state.iterations() * (kDepth + 3));  // <module>, down x (kDepth + 1), spin
  });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  // One version per layout family: 3.8 (f_lasti in bytes), 3.11 (CFrame, instruction pointer), 3.12 (shim
  // frames, the GIL holder in the interpreter's GIL state).
  int registered = 0;
  for (int minor : {8, 11, 12}) {
    if (!find_layout(3, minor)) {
      std::fprintf(stderr, "note: no layout for Python 3.%d in this build; not benchmarked\n", minor);
      continue;
    }
    std::string version = "3." + std::to_string(minor);
    benchmark::RegisterBenchmark(("BM_SampleLeafLine/python" + version).c_str(), BM_SampleLeafLine, version)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_WalkWholeStack/python" + version).c_str(), BM_WalkWholeStack, version)
        ->UseRealTime();
    ++registered;
  }
  if (registered == 0) {
    std::fprintf(stderr, "error: this build has no layout for Python 3.8, 3.11 or 3.12\n"
                         "hint: install one of them under /root/.pyenv/versions and rebuild\n");
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_targets.clear();  // kills the targets
  return g_failed ? 1 : 0;
}
