// harness/system_noise.cpp: reading the machine's noise sources from /proc and /sys.
#include "harness/system_noise.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/perf_counters.h"

namespace harness {
namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", fraction * 100);
  return buffer;
}

std::string number(double v, int digits) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

}  // namespace

SystemSnapshot take_system_snapshot() {
  SystemSnapshot s;
  s.monotonic_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  std::istringstream(read_first_line("/proc/loadavg")) >> s.load1;
  std::ifstream stat("/proc/stat");
  for (std::string line; std::getline(stat, line);) {
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (key == "cpu") {
      // user nice system idle iowait irq softirq steal (guest and guest_nice are already in user and nice)
      std::uint64_t v[8] = {0};
      for (auto& x : v) fields >> x;
      for (auto x : v) s.total_ticks += x;
      s.idle_ticks = v[3] + v[4];
      s.steal_ticks = v[7];
    } else if (key == "ctxt") {
      fields >> s.context_switches;
    }
  }
  return s;
}

SystemActivity activity_between(const SystemSnapshot& before, const SystemSnapshot& after) {
  SystemActivity a;
  a.seconds = after.monotonic_seconds - before.monotonic_seconds;
  double total = static_cast<double>(after.total_ticks - before.total_ticks);
  if (total > 0) {
    a.steal_fraction = static_cast<double>(after.steal_ticks - before.steal_ticks) / total;
    a.busy_fraction = 1 - static_cast<double>(after.idle_ticks - before.idle_ticks) / total - a.steal_fraction;
  }
  if (a.seconds > 0)
    a.context_switches_per_second = static_cast<double>(after.context_switches - before.context_switches) / a.seconds;
  return a;
}

SystemTuning read_system_tuning() {
  SystemTuning t;
  t.cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  t.governor = read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  t.frequency_driver = read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_driver");
  std::string aslr = read_first_line("/proc/sys/kernel/randomize_va_space");
  if (!aslr.empty()) t.aslr = std::atoi(aslr.c_str());
  std::istringstream cmdline(read_first_line("/proc/cmdline"));
  for (std::string option; cmdline >> option;)
    for (const char* key : {"isolcpus=", "nohz_full=", "rcu_nocbs="})
      if (option.rfind(key, 0) == 0) t.isolation += (t.isolation.empty() ? "" : " ") + option;
  // CPUs isolated from the scheduler by any means (isolcpus= or cpusets set at boot).
  if (std::string isolated = read_first_line("/sys/devices/system/cpu/isolated"); !isolated.empty() && t.isolation.empty())
    t.isolation = "isolated CPUs " + isolated;
  t.smt = read_first_line("/sys/devices/system/cpu/smt/active");
  std::string paranoid = read_first_line("/proc/sys/kernel/perf_event_paranoid");
  if (!paranoid.empty()) t.perf_event_paranoid = std::atoi(paranoid.c_str());
  return t;
}

std::vector<NoiseFinding> inspect_system(double window_seconds) {
  std::vector<NoiseFinding> out;
  SystemTuning t = read_system_tuning();
  SystemSnapshot before = take_system_snapshot();
  std::this_thread::sleep_for(std::chrono::duration<double>(window_seconds));
  SystemSnapshot after = take_system_snapshot();
  SystemActivity a = activity_between(before, after);
  const std::string window = " over " + number(a.seconds, 1) + " s";

  const double steal_since_boot =
      after.total_ticks ? static_cast<double>(after.steal_ticks) / static_cast<double>(after.total_ticks) : 0;
  out.push_back({"CPU steal time",
                 percent(a.steal_fraction) + " of all CPU time" + window + ", " + percent(steal_since_boot) + " since boot",
                 a.steal_fraction >= kNoisyStealFraction / 4 || steal_since_boot >= kNoisyStealFraction / 4,
                 a.steal_fraction > 0 || steal_since_boot > 0
                     ? "the hypervisor ran other guests on this VM's CPUs; nothing inside the VM changes that: use a "
                       "dedicated or bare-metal host, or let compare --precision add pairs until the noise averages out"
                     : "none seen; it comes and goes with the host's other tenants, so check again when results vary"});
  out.push_back({"CPU used by other processes", percent(a.busy_fraction) + " of all CPUs busy" + window,
                 a.busy_fraction > 0.10,
                 "benchmark on an idle machine (stop builds, other agents, browsers); every busy CPU delays workers"});
  out.push_back({"Load average (1 min)", number(after.load1, 2) + " on " + std::to_string(t.cpus) + " CPUs",
                 after.load1 > kNoisyLoadPerCpu * t.cpus,
                 "above half the CPU count, workers wait for a CPU; wait until it falls"});
  out.push_back({"Context switches", number(a.context_switches_per_second, 0) + " per second" + window, false,
                 "for reference: each run stores its own figure, so noisy runs can be told apart"});
  out.push_back({"CPU frequency control",
                 t.governor.empty() ? "not exposed (no /sys/devices/system/cpu/cpu0/cpufreq)"
                                    : "governor " + t.governor + (t.frequency_driver.empty() ? "" : ", driver " + t.frequency_driver),
                 t.governor.empty() || t.governor != "performance",
                 t.governor.empty()
                     ? "the hypervisor or firmware sets the frequency and turbo; they cannot be fixed from inside this "
                       "VM, so expect drift between runs and compare only interleaved runs"
                     : "set the governor to performance (cpupower frequency-set -g performance) and disable turbo"});
  out.push_back({"ASLR", t.aslr < 0 ? "unknown" : t.aslr == 0 ? "off" : t.aslr == 1 ? "partial" : "full (randomize_va_space=2)",
                 false,
                 "each process gets a different memory layout; pyston-bench measures many processes and resamples "
                 "them, so this widens intervals rather than biasing them (--instructions runs turn it off)"});
  out.push_back({"CPU isolation", t.isolation.empty() ? "none (no isolcpus/nohz_full/rcu_nocbs in /proc/cmdline)" : t.isolation,
                 t.isolation.empty(),
                 t.isolation.empty() ? "reserve CPUs for benchmarks: boot with isolcpus=1 nohz_full=1 rcu_nocbs=1 and "
                                       "run with --affinity 1"
                                     : "run with --affinity set to the isolated CPUs"});
  out.push_back({"SMT (hyper-threading)", t.smt.empty() ? "unknown" : t.smt == "1" ? "on" : "off", t.smt == "1",
                 "a sibling thread shares the core's caches and units; turn SMT off or keep the sibling idle"});
  const auto& pmu = pmu_capability();
  out.push_back({"Hardware performance counters",
                 pmu.available ? "available" : "unavailable: " + pmu.reason, !pmu.available,
                 pmu.available ? "--events cycles,instructions counts them per iteration"
                               : "without them use --instructions (exact counts under valgrind), which ignores noise; "
                                 "on a VM the host must expose the PMU (e.g. KVM -cpu host, a metal instance)"});
  if (t.perf_event_paranoid > 2)
    out.back().advice += "; perf_event_paranoid is " + std::to_string(t.perf_event_paranoid) +
                         ": sysctl kernel.perf_event_paranoid=1 lets a user count";
  return out;
}

}  // namespace harness
