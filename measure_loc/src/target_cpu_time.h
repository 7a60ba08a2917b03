// target_cpu_time.h: the target's CPU time to the nanosecond, from perf task-clock counters on each of its
// threads (the kernel brings a running thread's count up to date when it is read; /proc and the process CPU
// clock only advance at scheduler ticks). The sampler uses it to tell a descheduled target from busy C code.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace measure_loc {

// The ids of `pid`'s threads (/proc/PID/task); empty when the process is gone.
std::vector<pid_t> thread_ids(pid_t pid);

class TargetCpuTime {
 public:
  explicit TargetCpuTime(pid_t pid);
  ~TargetCpuTime();
  TargetCpuTime(const TargetCpuTime&) = delete;
  TargetCpuTime& operator=(const TargetCpuTime&) = delete;

  // False when counters cannot be opened (no perf_event_open here, or not permitted); unavailable_reason says
  // why.
  bool available() const { return !threads_.empty(); }
  const std::string& unavailable_reason() const { return reason_; }
  // Opens counters for threads started since the last call.
  void track_new_threads();
  // Sum over the tracked threads, in nanoseconds.
  std::uint64_t nanoseconds() const;

 private:
  pid_t pid_;
  std::map<pid_t, int> threads_;  // thread id -> counter fd
  std::string reason_;
};

}  // namespace measure_loc
