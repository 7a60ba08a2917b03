// harness/system_noise.h: what on this machine makes timings noisy. Reads /proc and /sys only (no root): CPU
// steal time and other load over a window, load average, frequency scaling and governor, ASLR, the kernel
// command line's CPU isolation, SMT, perf counters. Used by `pyston-bench system` and stored with every run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace harness {

// Counters from /proc/stat and /proc/loadavg at one instant.
struct SystemSnapshot {
  double load1 = 0;
  std::uint64_t total_ticks = 0, idle_ticks = 0, steal_ticks = 0;  // all CPUs; idle includes iowait
  std::uint64_t context_switches = 0;
  double monotonic_seconds = 0;
};
SystemSnapshot take_system_snapshot();

// Between two snapshots: shares of all CPUs' time, and context switches per second.
struct SystemActivity {
  double steal_fraction = 0, busy_fraction = 0, context_switches_per_second = 0, seconds = 0;
};
SystemActivity activity_between(const SystemSnapshot& before, const SystemSnapshot& after);

// Static facts about the machine's tuning.
struct SystemTuning {
  int cpus = 0;
  std::string governor;           // scaling_governor of cpu0, "" when cpufreq is not exposed
  std::string frequency_driver;   // scaling_driver, "" when not exposed
  int aslr = -1;                  // /proc/sys/kernel/randomize_va_space: 0 off, 1 partial, 2 full; -1 unknown
  std::string isolation;          // isolcpus=/nohz_full=/rcu_nocbs= options of /proc/cmdline, "" when none
  std::string smt;                // /sys/devices/system/cpu/smt/active: "1", "0", "" unknown
  int perf_event_paranoid = -99;  // -99 unknown
};
SystemTuning read_system_tuning();

// One finding of `pyston-bench system`: what, the figure, whether it adds noise, and what to change.
struct NoiseFinding {
  std::string name, figure;
  bool noisy = false;
  std::string advice;
};
// Watches the machine for `window_seconds` (steal, load by others, context switches) and checks its tuning.
std::vector<NoiseFinding> inspect_system(double window_seconds);

// Thresholds above which a run's report says it was disturbed.
inline constexpr double kNoisyStealFraction = 0.02;
inline constexpr double kNoisyLoadPerCpu = 0.5;     // load average before the run, per CPU
inline constexpr double kUnstableRelativeStdev = 0.10;  // pyperf's "unstable" threshold: stdev > 10% of mean

}  // namespace harness
