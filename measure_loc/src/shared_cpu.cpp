// shared_cpu.cpp: sched_setaffinity on the sampler and on each of the target's threads (/proc/PID/task).
#include "shared_cpu.h"

#include <dirent.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace measure_loc {

namespace {

std::vector<pid_t> threads_of(pid_t pid) {
  std::vector<pid_t> tids;
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  if (DIR* tasks = ::opendir(dir.c_str())) {
    while (dirent* entry = ::readdir(tasks)) {
      pid_t tid = static_cast<pid_t>(std::atoi(entry->d_name));
      if (tid > 0) tids.push_back(tid);
    }
    ::closedir(tasks);
  }
  return tids;
}

}  // namespace

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
  for (pid_t tid : threads_of(pid)) {
    if (sched_setaffinity(tid, sizeof one, &one) != 0 && errno != ESRCH) {
      reason_ = std::string("sched_setaffinity(target): ") + std::strerror(errno);
    }
  }
  if (reason_.empty() && sched_setaffinity(0, sizeof one, &one) != 0) {
    reason_ = std::string("sched_setaffinity(sampler): ") + std::strerror(errno);
  }
  if (!reason_.empty()) {
    for (pid_t tid : threads_of(pid)) sched_setaffinity(tid, sizeof target_mask_, &target_mask_);
    return;
  }
  cpu_ = cpu;
}

SharedCpu::~SharedCpu() {
  if (cpu_ < 0) return;
  for (pid_t tid : threads_of(pid_)) sched_setaffinity(tid, sizeof target_mask_, &target_mask_);
  sched_setaffinity(0, sizeof own_mask_, &own_mask_);
}

}  // namespace measure_loc
