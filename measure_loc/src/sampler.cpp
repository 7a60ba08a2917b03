// sampler.cpp: timing and tallying. The target is never stopped by a signal or ptrace (except with --native,
// native_stack.h); the sampler preempts it on the CPU they share (shared_cpu.h) for the handful of
// process_vm_readv calls a sample costs.
#include "sampler.h"

#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <random>
#include <unordered_map>
#include <utility>

#include "elf_symbols.h"
#include "native_merge.h"
#include "native_stack.h"
#include "process_tree.h"
#include "shared_cpu.h"
#include "stack_profile.h"
#include "stack_reader.h"
#include "target_cpu_time.h"

namespace measure_loc {

namespace {

std::atomic<bool> g_stop{false};

using Clock = std::chrono::steady_clock;

// Immediate re-reads of a sample whose reads did not agree. A running target in short calls can move its leaf
// frame during two reads in a row now and then.
constexpr int kRetries = 3;

// The sampler sleeps at least this many times as long as its last sample took: at most a quarter of the CPU.
constexpr int kMinIdleRatio = 3;
// Samples at the start that are not timed for the mean cost (--native): they load symbol and unwind tables.
constexpr std::uint64_t kUntimedSamples = 64;

void sleep_until(Clock::time_point when) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count();
  timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    if (g_stop) return;
  }
}

// Counting phases: before the start condition, during warmup, then counted.
class Phase {
 public:
  explicit Phase(const Options& options)
      : options_(options), started_(options.start_files.empty() && !options.start) {
    if (started_) started_at_ = Clock::now();
  }
  bool started() const { return started_; }
  // `root_started`: a child process counts once the root process's start condition was met.
  bool counting(StackReader& reader, Clock::time_point now, bool root_started = false) {
    if (!started_ && options_.start && !options_.start->load()) return false;
    if (!started_ && (root_started || options_.start_files.empty() ||
                      reader.file_on_stack(options_.all_threads, options_.start_files))) {
      started_ = true;
      started_at_ = now;
    }
    if (!started_) return false;
    if (!counting_ && now - started_at_ >= std::chrono::duration<double>(options_.warmup_seconds)) {
      counting_ = true;
      counting_at_ = now;
    }
    return counting_;
  }
  double counted_seconds(Clock::time_point now) const {
    return counting_ ? std::chrono::duration<double>(now - counting_at_).count() : 0;
  }

 private:
  const Options& options_;
  bool started_;
  bool counting_ = false;
  Clock::time_point started_at_, counting_at_;
};

// On a busy machine a normal-priority sampler wakes late and the rate sags; a real-time sampler wakes on time
// (each sample is a few microseconds and the loop always sleeps, so it cannot hog a core).
bool try_realtime() {
  sched_param param{};
  param.sched_priority = 1;
  return pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
}

void restore_normal_scheduling() {
  sched_param param{};
  pthread_setschedparam(pthread_self(), SCHED_OTHER, &param);
}

// Tells samples of a target that is running from samples of one that sits descheduled (a busy machine) or
// blocked holding the GIL: those repeat one position for as long as it waits, so a few preemptions of
// several milliseconds each would decide the tail of the profile. A sample at a new position is on-CPU (the
// target moved); at the same position as the previous sample it is on-CPU only if the target's CPU time
// advanced since that sample (busy C code, a tight loop). The CPU time is read at every sample that reads a
// stack, so that the first repeat at a position is judged like the later ones: a rule that dropped it (no
// reading to compare with) took one sample from every stay at a position that spanned two samples or more,
// a share of the samples that depends on how often a line is entered and not on its time. Compiled code
// keeps one f_lasti for the whole of a line (pyston stores it where the line starts), and so does any line
// in one long C call: short stays lost up to half their samples, long ones a few percent
// (measure_loc/README.md). Reading the time costs one read() of a task-clock counter per sample; with the
// shared CPU (the default) the target is off the CPU then, without it the kernel interrupts the running
// target to bring the count up to date.
class OnCpuFilter {
 public:
  OnCpuFilter(pid_t pid, bool enabled) : cpu_(pid), enabled_(enabled && cpu_.available()) {}
  bool enabled() const { return enabled_; }
  const std::string& unavailable_reason() const { return cpu_.unavailable_reason(); }
  bool on_cpu(const StackPosition& position) {
    if (!enabled_) return true;
    std::uint64_t now = cpu_.nanoseconds();
    std::optional<std::uint64_t> before = std::exchange(cpu_at_last_sample_, now);
    if (!(position == last_position_)) {
      last_position_ = position;
      return true;
    }
    return before && now != *before;
  }
  void track_new_threads() {
    if (enabled_) cpu_.track_new_threads();
  }

 private:
  TargetCpuTime cpu_;
  bool enabled_;
  StackPosition last_position_;
  std::optional<std::uint64_t> cpu_at_last_sample_;
};

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Where `library` is mapped in `pid` ("" when it is not): an exec gives a fresh address space, and with address
// space randomisation a new address, even when the process execs the same interpreter.
std::string runtime_image(pid_t pid, const std::string& library) {
  for (const MappedFile& file : mapped_files(pid))
    if (file.path.string() == library) return library + "@" + std::to_string(file.start);
  return {};
}

// --native reads the C stacks of CPython 3.8-3.10: there each Python frame is one call of the eval loop. From
// 3.11 on, Python calls share the C frame of the eval loop that made them.
void check_native_supported(const PythonRuntime& runtime) {
  if (runtime.layout.major == 3 && runtime.layout.minor <= 10) return;
  throw Error("--native supports CPython 3.8-3.10 and pyston, not " + runtime.layout.version(),
              "from 3.11 on, Python calls share one C frame of the eval loop; profile without --native",
              kExitUsage);
}

// One sampled Python process: its memory, reader, off-CPU filter, counting phase and tally.
class ProcessSampler {
 public:
  // `reaped_by_caller`: the process is the launcher's child, which waits for its exit (--native must not).
  ProcessSampler(pid_t pid, const PythonRuntime& runtime, const Options& options, bool reaped_by_caller = false)
      : memory_(pid),
        runtime_(runtime),
        options_(options),
        reader_(memory_, runtime_),
        // With --all-threads every thread with a frame is sampled, running or not: wall-clock by definition.
        filter_(pid, !options.wall_clock && !options.all_threads),
        phase_(options),
        image_(runtime_image(pid, runtime.library)) {
    profile_.pid = pid;
    profile_.command = command_line(pid);
    profile_.python_version = runtime.layout.version();
    profile_.requested_rate_hz = options.rate_hz;
    profile_.native = options.native ? "on" : "off";
    if (options.native) {
      check_native_supported(runtime);
      native_.emplace(pid, runtime.library, reaped_by_caller);
      namer_.emplace(native_->code(), reader_);
      reader_.read_thread_ids(true);
    }
  }
  pid_t pid() const { return memory_.pid(); }
  // Where the runtime's library is mapped; another place (or none) means the process exec'd since.
  const std::string& image() const { return image_; }
  const std::string& library() const { return runtime_.library; }
  bool started() const { return phase_.started(); }
  std::int64_t failures_in_a_row() const { return failures_in_a_row_; }

  // Takes one sample; returns its status. `root_started`: see Phase::counting.
  SampleStatus sample(Clock::time_point now, std::uint64_t n, bool root_started) {
    SampleStatus status = read_stacks();
    // Most failures are torn reads (the stack moved between two reads, such as a leaf frame that returned
    // while it was read); an immediate retry, a few microseconds later, almost always succeeds.
    for (int retry = 0; status == SampleStatus::Failed && retry < kRetries; ++retry) {
      ++retries_;
      status = read_stacks();
    }
    failures_in_a_row_ = status == SampleStatus::Failed ? failures_in_a_row_ + 1 : 0;
    if (n % 64 == 0) filter_.track_new_threads();
    bool on_cpu = status != SampleStatus::Ok || filter_.on_cpu(reader_.position());
    if (!phase_.counting(reader_, now, root_started)) {
      ++profile_.skipped;
      retries_before_counting_ = retries_;
      return status;
    }
    tally(status, on_cpu);
    profile_.seconds = phase_.counted_seconds(now);
    return status;
  }

  Profile finish(double profiled_seconds) {
    profile_.retried = retries_ - retries_before_counting_;
    profile_.profiled_seconds = profiled_seconds;
    profile_.off_cpu_filter = filter_.enabled() ? "on"
                              : options_.wall_clock || options_.all_threads
                                  ? "off"
                                  : "unavailable: " + filter_.unavailable_reason();
    tally_.fill(profile_, reader_.functions(), reader_.filenames());
    return std::move(profile_);
  }

 private:
  SampleStatus read_stacks() {
    if (!native_) return reader_.sample(options_.all_threads, options_.stack_depth, stacks_);
    return read_stacks_with_native();
  }

  // Stops the thread(s) to sample, reads their Python stacks and captures their registers and stack tops while
  // they stand still, resumes them, then unwinds and names the C frames and merges each C stack with its Python
  // stack.
  SampleStatus read_stacks_with_native() {
    incomplete_ = 0;
    native_->let_signals_through();
    std::vector<std::uint64_t> thread_ids;
    if (!reader_.sampled_threads(options_.all_threads, thread_ids)) {
      reader_.fail_native();
      return SampleStatus::Failed;
    }
    if (thread_ids.empty()) return SampleStatus::Idle;
    std::vector<std::pair<std::uint64_t, pid_t>> stopped;  // thread_id -> tid
    for (std::uint64_t id : thread_ids) {
      pid_t tid = native_->thread_of(id);
      if (tid != 0 && native_->stop(tid)) stopped.emplace_back(id, tid);
    }
    SampleStatus status = reader_.sample(options_.all_threads, options_.stack_depth, python_stacks_);
    captures_.resize(python_stacks_.size());
    for (std::size_t i = 0; status == SampleStatus::Ok && i < python_stacks_.size(); ++i) {
      auto it = std::find_if(stopped.begin(), stopped.end(),
                             [&](const auto& s) { return s.first == python_stacks_[i].thread_id; });
      // The GIL went to another thread before it was stopped, or the thread ended.
      if (it == stopped.end() || !native_->capture(it->second, captures_[i])) {
        reader_.fail_native();
        status = SampleStatus::Failed;
        break;
      }
    }
    for (const auto& [id, tid] : stopped) native_->resume(tid);
    stacks_.clear();
    if (status != SampleStatus::Ok) return status;
    for (std::size_t i = 0; i < python_stacks_.size(); ++i) {
      native_->unwind(captures_[i], addresses_);
      namer_->name(addresses_, native_frames_);
      stacks_.emplace_back();
      if (!merge_native(python_stacks_[i], native_frames_, stacks_.back())) ++incomplete_;
    }
    return status;
  }

  void tally(SampleStatus status, bool on_cpu) {
    switch (status) {
      case SampleStatus::Ok:
        if (!on_cpu) {
          ++profile_.off_cpu;
          break;
        }
        for (const SampledStack& stack : stacks_) tally_.add(stack);
        profile_.samples += static_cast<std::int64_t>(stacks_.size());
        profile_.native_incomplete += incomplete_;
        break;
      case SampleStatus::Idle:
        ++profile_.idle;
        break;
      case SampleStatus::Failed:
        // Held back until a later sample succeeds: failures in the target's last moments are its exit.
        ++pending_failures_[failure_reason_name(reader_.last_failure())];
        break;
    }
    if (status != SampleStatus::Failed) {
      for (auto& [reason, count] : pending_failures_) {
        profile_.failed += count;
        profile_.failure_reasons[reason] += count;
      }
      pending_failures_.clear();
    }
  }

  ProcessMemory memory_;
  PythonRuntime runtime_;
  const Options& options_;
  StackReader reader_;
  OnCpuFilter filter_;
  Phase phase_;
  std::string image_;
  Profile profile_;
  StackTally tally_;
  std::vector<SampledStack> stacks_;
  // --native: the C stacks (declared after the reader, which the namer refers to, and destroyed first: detached
  // before anything else is torn down).
  std::optional<NativeStacks> native_;
  std::optional<NativeFrameNamer> namer_;
  std::vector<SampledStack> python_stacks_;
  std::vector<NativeStacks::Capture> captures_;
  std::vector<std::uint64_t> addresses_;
  std::vector<NativeFrame> native_frames_;
  std::int64_t incomplete_ = 0;
  std::int64_t retries_ = 0, retries_before_counting_ = 0, failures_in_a_row_ = 0;
  std::map<std::string, std::int64_t> pending_failures_;
};

// The descendants of the root that run Python, found by periodic /proc scans (--subprocesses). A forked child
// shares its parent's runtime address until it execs; after an exec (its runtime's library mapped elsewhere,
// or a long run of failed samples when address randomisation is off) the process is looked at afresh, and
// its part before the exec is dropped when it had no samples (a fork about to exec).
class Descendants {
 public:
  Descendants(pid_t root, const Options& options) : root_(root), options_(options) {}

  // Adds samplers for new Python descendants and moves those that ended (or exec'd) to `finished`.
  void scan(std::vector<std::unique_ptr<ProcessSampler>>& children, std::vector<Profile>& finished,
            double profiled_seconds) {
    std::vector<pid_t> live = descendants(root_);
    for (auto it = children.begin(); it != children.end();) {
      pid_t pid = (*it)->pid();
      bool gone = std::find(live.begin(), live.end(), pid) == live.end();
      bool changed = !gone && ((*it)->image() != runtime_image(pid, (*it)->library()) ||
                               (*it)->failures_in_a_row() > 1000);
      if (gone || changed) {
        Profile part = (*it)->finish(profiled_seconds);
        if (!changed || part.samples > 0) finished.push_back(std::move(part));
        it = children.erase(it);
        if (changed) not_python_files_.erase(pid);
      } else {
        ++it;
      }
    }
    for (pid_t pid : live) {
      bool tracked = std::any_of(children.begin(), children.end(), [&](const auto& c) { return c->pid() == pid; });
      if (tracked) continue;
      ProcessMemory memory(pid);
      std::optional<PythonRuntime> runtime;
      try {
        runtime = find_python_runtime(memory, &not_python_files_[pid]);
      } catch (const Error&) {  // a Python without a layout here: not sampled, the others are
        continue;
      }
      if (!runtime || !runtime_initialized(memory, *runtime)) continue;
      std::unique_ptr<ProcessSampler> sampler;
      try {
        sampler = std::make_unique<ProcessSampler>(pid, *runtime, options_);
      } catch (const Error&) {  // --native on a version it does not support, or a process it may not trace
        continue;
      }
      if (options_.share_cpu && !options_.all_threads && pinned_.size() < 64) pinned_.push_back(std::make_unique<SharedCpu>(pid));
      children.push_back(std::move(sampler));
    }
  }
  ~Descendants() {
    while (!pinned_.empty()) pinned_.pop_back();  // restore in reverse order of pinning
  }

 private:
  pid_t root_;
  const Options& options_;
  std::map<pid_t, std::set<std::string>> not_python_files_;
  std::vector<std::unique_ptr<SharedCpu>> pinned_;
};

}  // namespace

void request_stop() {
  g_stop = true;
}

bool stop_requested() {
  return g_stop;
}

Profile sample_until_exit(const ProcessMemory& memory, const PythonRuntime& runtime, const Options& options,
                          const TargetExited& exited, bool reaped_by_caller) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);  // 10 kHz needs better than the default 50 us wake-up slack
  bool realtime = options.realtime && try_realtime();
  std::optional<SharedCpu> shared_cpu;
  if (options.share_cpu && !options.all_threads) shared_cpu.emplace(memory.pid());
  std::mt19937_64 rng(options.random_seed
                          ? options.random_seed
                          : static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()));
  std::exponential_distribution<double> interval(options.rate_hz);
  ProcessSampler root(memory.pid(), runtime, options, reaped_by_caller);
  std::vector<std::unique_ptr<ProcessSampler>> children;
  std::vector<Profile> finished_children;
  std::optional<Descendants> descendants_of_root;
  if (options.subprocesses) descendants_of_root.emplace(memory.pid(), options);
  auto next = Clock::now();
  auto started = next;
  auto next_scan = started;
  Clock::duration last_cost{}, total_cost{};
  std::int64_t samples_timed = 0;
  auto scan_every = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.subprocess_scan_seconds));
  double cpu_at_start = own_cpu_seconds();
  std::optional<int> exit_code;
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
  auto stop = [&] { return g_stop || (options.stop && options.stop->load()); };
  for (std::uint64_t n = 0; !stop(); ++n) {
    auto draw = [&] {
      return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval(rng)));
    };
    next += draw();
    auto now = Clock::now();
    // Behind schedule (a short draw, or we were descheduled): draw afresh from now. Catching up would take
    // several samples at the same instant, which count one moment of the target many times.
    if (next < now) next = now + draw();
    // Deep stacks cost one read per frame: never let sampling take more than a fraction of the CPU it shares
    // with the target (the real-time sampler would otherwise starve it); the rate then falls, and says so.
    // With --native a sample costs 100-200 us, more with a deeper C stack: a pause after each sample that followed
    // its own cost would sample deep stacks less often than shallow ones (measured: a line in C code at 64%
    // against 77% without --native). The mean cost of the run so far is the same whatever is sampled now.
    // The first samples of a process load symbol and unwind tables (milliseconds each): not part of the mean,
    // and single slow samples (preempted) count at most four times the mean.
    Clock::duration cost = options.native && samples_timed >= 16 ? total_cost / samples_timed : last_cost;
    next = std::max(next, now + kMinIdleRatio * cost);
    sleep_until(next);
    now = Clock::now();
    SampleStatus status = root.sample(now, n, false);
    // A failed read at exit is the process going away, not a bad sample.
    if ((status == SampleStatus::Failed || n % 64 == 0) && (exit_code = exited())) break;
    for (auto& child : children) child->sample(now, n, root.started());
    if (descendants_of_root && now >= next_scan) {
      descendants_of_root->scan(children, finished_children, elapsed());
      next_scan = now + scan_every;
    }
    last_cost = Clock::now() - now;
    if (n >= kUntimedSamples) {
      total_cost += samples_timed >= 16 ? std::min(last_cost, 4 * total_cost / samples_timed) : last_cost;
      ++samples_timed;
    }
  }
  if (realtime) restore_normal_scheduling();
  std::string cpu_sharing = !shared_cpu              ? "off"
                            : shared_cpu->cpu() >= 0 ? "cpu " + std::to_string(shared_cpu->cpu())
                                                     : "unavailable: " + shared_cpu->unavailable_reason();
  shared_cpu.reset();
  if (!exit_code) exit_code = exited();
  double profiler_cpu = own_cpu_seconds() - cpu_at_start;
  double seconds = elapsed();
  auto finish = [&](Profile p) {
    p.realtime = realtime;
    p.cpu_sharing = cpu_sharing;
    p.profiler_cpu_seconds = profiler_cpu;
    p.exit_code = exit_code.value_or(0);
    return p;
  };
  Profile profile = finish(root.finish(seconds));
  if (!options.subprocesses) return profile;
  std::vector<Profile> processes = {profile};
  for (Profile& p : finished_children) processes.push_back(finish(std::move(p)));
  for (auto& child : children) processes.push_back(finish(child->finish(seconds)));
  descendants_of_root.reset();
  return finish(merge_processes(std::move(processes)));
}

}  // namespace measure_loc
