// measure_loc/profile.h: the hot-lines profiler's public interface: profile a command or a running process
// from outside (process_vm_readv, the target is never stopped, except with Options::native) and get every
// sampled (file, line) with its count.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace measure_loc {

// The one error type of this component: a message for the user, a hint for the fix and the exit code `main`
// returns for it (documented in tool/main.cpp).
class Error : public std::runtime_error {
 public:
  Error(std::string message, std::string hint = {}, int exit_code = 2)
      : std::runtime_error(std::move(message)), hint_(std::move(hint)), exit_code_(exit_code) {}
  const std::string& hint() const { return hint_; }
  int exit_code() const { return exit_code_; }

 private:
  std::string hint_;
  int exit_code_;
};

// Exit codes used by Error (the target's own exit code is passed through when it ran).
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotPython = 3;     // no CPython runtime found in the target
inline constexpr int kExitNoLayout = 4;      // a CPython version this build has no layout for
inline constexpr int kExitTargetFailed = 5;  // the target exited before Python started, or could not start
inline constexpr int kExitPermission = 6;    // we may not read the target's memory

struct Options {
  double rate_hz = 10000;     // mean sampling rate; intervals are exponentially distributed
  bool all_threads = false;   // sample every thread with a Python frame, not only the GIL holder
  double warmup_seconds = 0;  // samples skipped after counting starts
  // Start counting once code from a file whose name ends with one of these is on the stack (the target's own
  // script or benchmark, not interpreter start-up and site imports); empty: at once. "FILE:FUNCTION" waits
  // for a frame of that function in that file (e.g. "pb_worker.py:measured_iterations": after the warmups).
  std::vector<std::string> start_files;
  std::uint64_t random_seed = 0;        // 0: seeded from the clock
  double startup_timeout_seconds = 10;  // a launched program with no CPython runtime by then is not Python
  bool realtime = true;  // run the sampling loop as SCHED_FIFO when permitted, so it wakes on time
  // Count samples taken while the target had not run since the previous sample (descheduled on a busy
  // machine, or blocked in C code holding the GIL). Off by default: they repeat one line for as long as the
  // target waits, so on a loaded machine a few preemptions would decide the tail of the profile. With
  // all_threads every sample counts (wall clock) regardless.
  bool wall_clock = false;
  // Run the sampler and the target's threads on one CPU (not with all_threads), so every sample interrupts
  // the target and reads a stack that stands still. Read from another CPU, short calls return between two
  // reads and their samples land on return lines (shared_cpu.h).
  bool share_cpu = true;
  // Added to the launched target's environment (e.g. PYTHONPATH of a provisioned benchmark environment).
  std::map<std::string, std::string> environment;
  // Frames kept per sample, innermost first; deeper stacks keep their innermost frames under a "<deeper
  // frames>" root. 1 keeps only the leaf (the cheapest sample: one frame read instead of one per level).
  int stack_depth = 128;
  // Also sample every descendant process that runs Python (forked workers, exec'd children), found by
  // scanning /proc every subprocess_scan_seconds; each gets a profile of its own in Profile::processes.
  bool subprocesses = false;
  double subprocess_scan_seconds = 0.05;
  // Ends the profile when set (besides the target's exit and request_stop()); for callers that profile a
  // phase of a longer-running process, such as a server's measured requests.
  const std::atomic<bool>* stop = nullptr;
  // When given, counting starts once it is set (and the start files, if any, were seen): a server's warmup
  // requests are sampled but not counted.
  const std::atomic<bool>* start = nullptr;
  // Also unwind the C stack of each sampled thread (stopped with ptrace for the moment of a sample) and merge it
  // with the Python frames: C functions show under the Python line that called them. CPython 3.8-3.10 and pyston.
  bool native = false;
};

// One sampled source line. line is -1 for samples on instructions that carry no line number.
struct LineCount {
  std::string filename;
  int line = 0;
  std::int64_t count = 0;
};

// The line of a C frame (Options::native): its filename is the library or executable holding the function.
inline constexpr int kNativeLine = -2;

// One frame of a sampled stack: a function and the line it was at (-1: an instruction without a line;
// kNativeLine: a C function).
struct StackFrame {
  std::string filename;
  std::string function;
  int line = 0;
};

// A distinct sampled stack and how many samples it got; `frames` index Profile::frames, outermost first.
struct StackCount {
  std::vector<int> frames;
  std::int64_t count = 0;
};

// A function's share of the samples: `self` with it as the leaf, `total` with it anywhere on the stack
// (counted once per sample, however often it recurses).
struct FunctionCount {
  std::string filename;
  std::string function;
  std::int64_t self = 0;
  std::int64_t total = 0;
};

// How many of the hottest lines are needed to cover a share of the samples (the seeds' metric).
struct Coverage {
  double target_percent = 0;   // e.g. 99
  int lines = 0;               // lines picked
  double reached_percent = 0;  // cumulative share those lines reach (>= target)
};

struct Profile {
  std::string target;            // script, module or pid as given
  std::string python_version;    // "3.12"
  std::vector<LineCount> lines;  // every sampled line, hottest first (ties broken by file, line)
  std::int64_t samples = 0;      // counted samples (after the start condition and warmup)
  std::int64_t failed = 0;       // samples that did not validate even when retried at once, while counting
  std::int64_t retried = 0;      // samples whose first attempt failed (torn reads), while counting
  std::map<std::string, std::int64_t> failure_reasons;  // which step failed: "frame", "code object", ...
  std::int64_t idle = 0;     // no thread held the GIL (the target was waiting), while counting
  std::int64_t off_cpu = 0;  // the target had not run since the previous sample; not counted (see wall_clock)
  std::int64_t skipped = 0;  // samples before counting started (start-up, imports, warmup)
  double requested_rate_hz = 0;
  double seconds = 0;               // wall time while counting
  double profiled_seconds = 0;      // wall time of the whole sampling loop (including before counting)
  double profiler_cpu_seconds = 0;  // CPU time the sampling loop itself used over profiled_seconds
  bool realtime = false;            // the sampling loop ran with real-time priority
  std::string off_cpu_filter;       // "on", "off" (--wall-clock, --all-threads) or "unavailable: why"
  std::string cpu_sharing;          // "cpu N", "off" (--no-shared-cpu, --all-threads) or "unavailable: why"
  std::string native;               // "off", or "on" (C frames merged in: Options::native)
  // With native: counted samples whose C stack did not reach every Python frame (its Python frames are all
  // there, the outer ones without the C frames between them).
  std::int64_t native_incomplete = 0;
  int exit_code = 0;                // the target's, when we launched it (128+signal if it was killed)
  std::vector<StackFrame> frames;   // the distinct frames of `stacks`
  std::vector<StackCount> stacks;   // every distinct stack, most samples first; counts add up to `samples`
  pid_t pid = 0;                    // the profiled process (the root one, in a merged profile)
  std::string command;              // its command line, as /proc shows it
  // With Options::subprocesses: one profile per Python process sampled (the root included); this profile is
  // then their sum.
  std::vector<Profile> processes;

  std::vector<FunctionCount> functions() const;  // by total, then self, descending

  double failed_percent() const;
  std::vector<Coverage> coverage(const std::vector<double>& targets = {50, 75, 90, 99}) const;
  // The same counts at a fixed number of samples, so that profiles of different lengths compare: the tail of
  // lines seen once or twice grows with the samples taken (flask's 99% count read 3,384 at 44,558 samples and
  // 3,550 at 72,974 in two runs of the same server), while at a fixed depth it holds still. The mean over
  // `draws` random subsamples of `depth` samples without replacement (a fixed seed: the same profile always
  // gives the same figures); `lines` is rounded, `reached_percent` is the mean. A profile with no more than
  // `depth` samples gives coverage() itself. (Rarefaction, as ecologists compare species counts.)
  std::vector<Coverage> coverage_at_depth(std::int64_t depth, const std::vector<double>& targets = {50, 75, 90, 99},
                                          int draws = 5) const;
};

// The depth at which profiles are compared (pyston-bench compare --hot-lines, measure_loc's report): 2 s of
// on-CPU time at the default 10 kHz; compare's flask, django and pylint profiles took 20,000-118,000 samples.
constexpr std::int64_t kComparableDepth = 20000;

// Profiles `argv` (argv[0] an interpreter path) from start to exit. Throws Error.
Profile profile_command(const std::vector<std::string>& argv, const Options& options);
// Attaches to a running process until it exits or `stop_requested()` (SIGINT) is set. Throws Error.
Profile profile_pid(pid_t pid, const Options& options);

// Resolves an interpreter name like pyston-bench does: a path as is, else PATH, else
// /root/.pyenv/versions/*/bin/, else the build tree's bin/ (for `pyston`). Throws Error if not found.
std::filesystem::path resolve_python(const std::string& name_or_path);

// Set from a signal handler to end an attached profile early.
void request_stop();

}  // namespace measure_loc
