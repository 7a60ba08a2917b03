// shared_cpu.cpp: sched_setaffinity on the sampler and on each of the target's threads (/proc/PID/task).
#include "shared_cpu.h"

#include <cerrno>
#include <cstring>

#include "target_cpu_time.h"

namespace measure_loc {

SharedCpu::SharedCpu(pid_t pid) : pid_(pid) {
  if (sched_getaffinity(0, sizeof own_mask_, &own_mask_) != 0 ||
      sched_getaffinity(pid, sizeof target_mask_, &target_mask_) != 0) {
    reason_ = std::string("sched_getaffinity: ") + std::strerror(errno);
    return;
  }
  cpu_set_t both;
  CPU_AND(&both, &own_mask_, &target_mask_);
  int here = sched_getcpu();
  int cpu = here >= 0 && CPU_ISSET(here, &both) ? here : -1;
  for (int i = 0; cpu < 0 && i < CPU_SETSIZE; ++i) {
    if (CPU_ISSET(i, &both)) cpu = i;
  }
  if (cpu < 0) {
    reason_ = "the sampler and the target may not run on a common CPU";
    return;
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  for (pid_t tid : thread_ids(pid)) {
    if (sched_setaffinity(tid, sizeof one, &one) != 0 && errno != ESRCH) {
      reason_ = std::string("sched_setaffinity(target): ") + std::strerror(errno);
    }
  }
  if (reason_.empty() && sched_setaffinity(0, sizeof one, &one) != 0) {
    reason_ = std::string("sched_setaffinity(sampler): ") + std::strerror(errno);
  }
  if (!reason_.empty()) {
    for (pid_t tid : thread_ids(pid)) sched_setaffinity(tid, sizeof target_mask_, &target_mask_);
    return;
  }
  cpu_ = cpu;
}

SharedCpu::~SharedCpu() {
  if (cpu_ < 0) return;
  for (pid_t tid : thread_ids(pid_)) sched_setaffinity(tid, sizeof target_mask_, &target_mask_);
  sched_setaffinity(0, sizeof own_mask_, &own_mask_);
}

}  // namespace measure_loc
