// target_cpu_time.cpp: one software task-clock counter per thread of the target (perf_event_open).
#include "target_cpu_time.h"

#include <dirent.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace measure_loc {

namespace {

int open_task_clock(pid_t tid) {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_TASK_CLOCK;
  return static_cast<int>(syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

}  // namespace

std::vector<pid_t> thread_ids(pid_t pid) {
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

TargetCpuTime::TargetCpuTime(pid_t pid) : pid_(pid) {
  track_new_threads();
}

TargetCpuTime::~TargetCpuTime() {
  for (const auto& [tid, fd] : threads_) ::close(fd);
}

void TargetCpuTime::track_new_threads() {
  for (pid_t tid : thread_ids(pid_)) {
    if (threads_.count(tid)) continue;
    int fd = open_task_clock(tid);
    if (fd >= 0) {
      threads_[tid] = fd;
    } else if (reason_.empty()) {
      reason_ = std::string("perf_event_open(task-clock): ") + std::strerror(errno);
    }
  }
}

std::uint64_t TargetCpuTime::nanoseconds() const {
  std::uint64_t total = 0;
  for (const auto& [tid, fd] : threads_) {
    std::uint64_t value = 0;
    if (::read(fd, &value, sizeof value) == sizeof value) total += value;
  }
  return total;
}

}  // namespace measure_loc
