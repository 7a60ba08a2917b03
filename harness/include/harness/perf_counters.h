// harness/perf_counters.h: event counters of a benchmark's process tree through perf_event_open, with event names
// resolved by libpfm4. Software events (task-clock, context-switches, page-faults) are always counted; hardware
// events only where a PMU exists — elsewhere (VMs) each is stored as a null metric noted "unavailable: <reason>".
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "harness/measurement.h"
#include "speedcenter/database.h"

namespace harness {

// The events every worker is counted with (they need no PMU).
const std::vector<std::string>& software_events();

// "cycles,instructions" -> {"cycles", "instructions"}; throws HarnessError for a name libpfm4 does not know.
std::vector<std::string> parse_event_list(const std::string& text);

// Whether hardware events can be counted on this machine: tries `cycles` on this process once (cached).
struct PmuCapability {
  bool available = false;
  std::string reason;  // why not, e.g. "no hardware PMU (perf_event_open for cycles: ENOENT)"
};
const PmuCapability& pmu_capability();
// Stores it as machines.pmu_available of the run's machine.
void record_pmu_capability(speedcenter::Database& db, std::int64_t run_id);

// Counters attached to a process tree: each pid given plus, by inheritance, every process it starts later.
// They count only between start() and stop() (the measured phase); never throws — a counter that cannot be
// opened becomes a note on its metric.
class CounterSession {
 public:
  CounterSession(const std::vector<std::string>& events, const std::vector<pid_t>& pids);
  ~CounterSession();
  CounterSession(const CounterSession&) = delete;
  CounterSession& operator=(const CounterSession&) = delete;

  void start();
  void stop();
  // One metric per event, "perf.<event>" = count / `per` in unit "<event unit>/<per_unit>" (the software events
  // first, then the requested ones), plus "perf.ipc" when both cycles and instructions were counted.
  std::vector<Metric> metrics(double per, const std::string& per_unit) const;

 private:
  struct Counter {
    std::string event;
    bool hardware = false;
    std::vector<int> fds;  // one per pid
    std::string note;      // why there is no value
  };
  void open(Counter& counter, const std::vector<pid_t>& pids);
  std::vector<Counter> counters_;
  bool running_ = false;
};

}  // namespace harness
