// sampler.cpp: timing and tallying. The target is never stopped by a signal or ptrace; the sampler preempts it
// on the CPU they share (shared_cpu.h) for the handful of process_vm_readv calls a sample costs.
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
#include <random>
#include <unordered_map>

#include "shared_cpu.h"
#include "stack_reader.h"
#include "target_cpu_time.h"

namespace measure_loc {

namespace {

std::atomic<bool> g_stop{false};

using Clock = std::chrono::steady_clock;

// Immediate re-reads of a sample whose reads did not agree. A running target in short calls can move its leaf
// frame during two reads in a row now and then.
constexpr int kRetries = 3;

void sleep_until(Clock::time_point when) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count();
  timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    if (g_stop) return;
  }
}

std::uint64_t line_key(const SampledLine& line) {
  return (static_cast<std::uint64_t>(line.filename_id) << 32) | static_cast<std::uint32_t>(line.line);
}

std::vector<LineCount> sorted_lines(const std::unordered_map<std::uint64_t, std::int64_t>& counts,
                                    const std::vector<std::string>& filenames) {
  std::vector<LineCount> lines;
  lines.reserve(counts.size());
  for (const auto& [key, count] : counts) {
    lines.push_back({filenames[key >> 32], static_cast<int>(static_cast<std::uint32_t>(key)), count});
  }
  std::sort(lines.begin(), lines.end(), [](const LineCount& a, const LineCount& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.filename != b.filename) return a.filename < b.filename;
    return a.line < b.line;
  });
  return lines;
}

// Counting phases: before the start condition, during warmup, then counted.
class Phase {
 public:
  explicit Phase(const Options& options) : options_(options), started_(options.start_files.empty()) {
    if (started_) started_at_ = Clock::now();
  }
  bool counting(StackReader& reader, Clock::time_point now) {
    if (!started_ && reader.file_on_stack(options_.all_threads, options_.start_files)) {
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
// blocked holding the GIL: those repeat one position for as long as it waits, so a few preemptions of several
// milliseconds each would decide the tail of the profile. A sample at a new position is on-CPU (the target
// moved); at the same position it is on-CPU only if the target's CPU time advanced since the previous sample
// there (busy C code, a tight loop; the first repeat is not counted). Reading CPU time interrupts a running
// target, so it is read only then.
class OnCpuFilter {
 public:
  OnCpuFilter(pid_t pid, bool enabled) : cpu_(pid), enabled_(enabled && cpu_.available()) {}
  bool enabled() const { return enabled_; }
  const std::string& unavailable_reason() const { return cpu_.unavailable_reason(); }
  bool on_cpu(const StackPosition& position) {
    if (!enabled_) return true;
    if (!(position == last_position_)) {
      last_position_ = position;
      cpu_at_repeat_.reset();
      return true;
    }
    std::uint64_t now = cpu_.nanoseconds();
    // The first repeat has nothing to compare with: not counted, as it most often means the target was
    // preempted (and preemption favours some lines, such as system calls, over others).
    bool ran = cpu_at_repeat_ && now != *cpu_at_repeat_;
    cpu_at_repeat_ = now;
    return ran;
  }
  void track_new_threads() {
    if (enabled_) cpu_.track_new_threads();
  }

 private:
  TargetCpuTime cpu_;
  bool enabled_;
  StackPosition last_position_;
  std::optional<std::uint64_t> cpu_at_repeat_;
};

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

void request_stop() {
  g_stop = true;
}

Profile sample_until_exit(const ProcessMemory& memory, const PythonRuntime& runtime, const Options& options,
                          const TargetExited& exited) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);  // 10 kHz needs better than the default 50 us wake-up slack
  bool realtime = options.realtime && try_realtime();
  std::optional<SharedCpu> shared_cpu;
  if (options.share_cpu && !options.all_threads) shared_cpu.emplace(memory.pid());
  std::mt19937_64 rng(options.random_seed
                          ? options.random_seed
                          : static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()));
  std::exponential_distribution<double> interval(options.rate_hz);
  StackReader reader(memory, runtime);
  // With --all-threads every thread with a frame is sampled, running or not: wall-clock by definition.
  OnCpuFilter filter(memory.pid(), !options.wall_clock && !options.all_threads);
  Phase phase(options);
  Profile profile;
  profile.python_version = runtime.layout.version();
  profile.requested_rate_hz = options.rate_hz;
  std::unordered_map<std::uint64_t, std::int64_t> counts;
  std::vector<SampledLine> lines;
  auto next = Clock::now();
  auto started = next;
  double cpu_at_start = own_cpu_seconds();
  std::optional<int> exit_code;
  std::int64_t retries = 0, retries_before_counting = 0;
  std::map<std::string, std::int64_t> pending_failures;
  for (std::uint64_t n = 0; !g_stop; ++n) {
    auto draw = [&] {
      return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval(rng)));
    };
    next += draw();
    auto now = Clock::now();
    // Behind schedule (a short draw, or we were descheduled): draw afresh from now. Catching up would take
    // several samples at the same instant, which count one moment of the target many times.
    if (next < now) next = now + draw();
    sleep_until(next);
    now = Clock::now();
    SampleStatus status = reader.sample(options.all_threads, lines);
    // Most failures are torn reads (the stack moved between two reads, such as a leaf frame that returned
    // while it was read); an immediate retry, a few microseconds later, almost always succeeds.
    for (int retry = 0; status == SampleStatus::Failed && retry < kRetries; ++retry) {
      ++retries;
      status = reader.sample(options.all_threads, lines);
    }
    // A failed read at exit is the process going away, not a bad sample.
    if ((status == SampleStatus::Failed || n % 64 == 0) && (exit_code = exited())) break;
    if (n % 64 == 0) filter.track_new_threads();
    bool on_cpu = status != SampleStatus::Ok || filter.on_cpu(reader.position());
    if (!phase.counting(reader, now)) {
      ++profile.skipped;
      retries_before_counting = retries;
      continue;
    }
    switch (status) {
      case SampleStatus::Ok:
        if (!on_cpu) {
          ++profile.off_cpu;
          break;
        }
        for (const SampledLine& line : lines) ++counts[line_key(line)];
        profile.samples += static_cast<std::int64_t>(lines.size());
        break;
      case SampleStatus::Idle:
        ++profile.idle;
        break;
      case SampleStatus::Failed:
        // Held back until a later sample succeeds: failures in the target's last moments are its exit.
        ++pending_failures[failure_reason_name(reader.last_failure())];
        break;
    }
    if (status != SampleStatus::Failed) {
      for (auto& [reason, count] : pending_failures) {
        profile.failed += count;
        profile.failure_reasons[reason] += count;
      }
      pending_failures.clear();
    }
    profile.seconds = phase.counted_seconds(now);
  }
  if (realtime) restore_normal_scheduling();
  profile.realtime = realtime;
  profile.off_cpu_filter = filter.enabled() ? "on"
                           : options.wall_clock || options.all_threads
                               ? "off"
                               : "unavailable: " + filter.unavailable_reason();
  profile.cpu_sharing = !shared_cpu              ? "off"
                        : shared_cpu->cpu() >= 0 ? "cpu " + std::to_string(shared_cpu->cpu())
                                                 : "unavailable: " + shared_cpu->unavailable_reason();
  shared_cpu.reset();
  if (!exit_code) exit_code = exited();
  profile.profiler_cpu_seconds = own_cpu_seconds() - cpu_at_start;
  profile.profiled_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  profile.exit_code = exit_code.value_or(0);
  profile.retried = retries - retries_before_counting;
  profile.lines = sorted_lines(counts, reader.filenames());
  return profile;
}

}  // namespace measure_loc
