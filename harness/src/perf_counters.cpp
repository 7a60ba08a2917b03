// harness/perf_counters.cpp: perf_event_open counters (libpfm4 encodings), read with multiplexing scaled out.
#include "harness/perf_counters.h"

#include <perfmon/pfmlib_perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <mutex>

#include "harness/error.h"

namespace harness {
namespace {

bool pfm_ready() {
  static const bool ready = pfm_initialize() == PFM_SUCCESS;
  return ready;
}

// libpfm4's encoding of `name` (user and kernel level); returns an error text or empty.
std::string encode(const std::string& name, perf_event_attr& attr) {
  if (!pfm_ready()) return "libpfm4 failed to initialise";
  std::memset(&attr, 0, sizeof attr);
  pfm_perf_encode_arg_t arg;
  std::memset(&arg, 0, sizeof arg);
  arg.attr = &attr;
  arg.size = sizeof arg;
  int rc = pfm_get_os_event_encoding(name.c_str(), PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
  if (rc != PFM_SUCCESS) return pfm_strerror(rc);
  attr.size = sizeof attr;
  return {};
}

// Opens a disabled, inherited counter on `pid`; on EACCES (perf_event_paranoid) retries user-level only.
int open_counter(perf_event_attr attr, pid_t pid) {
  attr.disabled = 1;
  attr.inherit = 1;
  attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  int fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
  if (fd < 0 && errno == EACCES) {
    attr.exclude_kernel = attr.exclude_hv = 1;
    fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
  }
  return fd;
}

std::string errno_text(int error) {
  const char* name = error == ENOENT ? "ENOENT" : error == EACCES ? "EACCES" : error == EPERM ? "EPERM"
                     : error == ENODEV ? "ENODEV" : error == EOPNOTSUPP ? "EOPNOTSUPP" : error == ESRCH ? "ESRCH" : "";
  return std::string(name) + (*name ? " " : "") + "(" + std::strerror(error) + ")";
}

// Count scaled for the time the kernel multiplexed the counter out.
std::optional<double> read_scaled(int fd) {
  std::uint64_t v[3] = {0, 0, 0};
  if (read(fd, v, sizeof v) != static_cast<ssize_t>(sizeof v)) return std::nullopt;
  if (v[2] == 0) return v[1] == 0 ? std::optional<double>(0.0) : std::nullopt;
  return static_cast<double>(v[0]) * static_cast<double>(v[1]) / static_cast<double>(v[2]);
}

}  // namespace

const std::vector<std::string>& software_events() {
  static const std::vector<std::string> events = {"task-clock", "context-switches", "page-faults"};
  return events;
}

std::vector<std::string> parse_event_list(const std::string& text) {
  std::vector<std::string> events;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    if (name.empty()) continue;
    perf_event_attr attr;
    std::string error = encode(name, attr);
    if (!error.empty())
      throw HarnessError("unknown event '" + name + "': " + error,
                         "use a libpfm4 event name: cycles, instructions, branch-misses, cache-misses, ... "
                         "(`showevtinfo` from libpfm4's examples lists this CPU's)");
    events.push_back(name);
  }
  return events;
}

const PmuCapability& pmu_capability() {
  static PmuCapability capability;
  static std::once_flag once;
  std::call_once(once, [] {
    perf_event_attr attr;
    std::string error = encode("cycles", attr);
    if (!error.empty()) {
      capability.reason = "libpfm4 cannot encode cycles: " + error;
      return;
    }
    int fd = open_counter(attr, 0);
    if (fd >= 0) {
      close(fd);
      capability.available = true;
      return;
    }
    int e = errno;
    capability.reason = (e == ENOENT || e == ENODEV || e == EOPNOTSUPP ? "no hardware PMU"
                         : e == EACCES || e == EPERM                  ? "not permitted"
                                                                      : "perf_event_open failed") +
                        std::string(" (perf_event_open for cycles: ") + errno_text(e) + ")";
  });
  return capability;
}

void record_pmu_capability(speedcenter::Database& db, std::int64_t run_id) {
  db.prepare("UPDATE machines SET pmu_available = ? WHERE id = (SELECT machine_id FROM runs WHERE id = ?)")
      .bind(1, pmu_capability().available ? 1 : 0)
      .bind(2, run_id)
      .run();
}

CounterSession::CounterSession(const std::vector<std::string>& events, const std::vector<pid_t>& pids) {
  std::vector<std::string> all = software_events();
  for (const auto& e : events)
    if (std::find(all.begin(), all.end(), e) == all.end()) all.push_back(e);
  for (const auto& event : all) {
    counters_.push_back({event, false, {}, {}});
    open(counters_.back(), pids);
  }
}

void CounterSession::open(Counter& counter, const std::vector<pid_t>& pids) {
  perf_event_attr attr;
  std::string error = encode(counter.event, attr);
  if (!error.empty()) {
    counter.note = "unavailable: " + error;
    return;
  }
  counter.hardware = attr.type != PERF_TYPE_SOFTWARE;
  if (counter.hardware && !pmu_capability().available) {
    counter.note = "unavailable: " + pmu_capability().reason;
    return;
  }
  for (pid_t pid : pids) {
    int fd = open_counter(attr, pid);
    if (fd >= 0) counter.fds.push_back(fd);
    else if (errno != ESRCH) counter.note = "unavailable: perf_event_open: " + errno_text(errno);
  }
  if (counter.fds.empty() && counter.note.empty()) counter.note = "unavailable: the process tree had exited";
}

CounterSession::~CounterSession() {
  for (auto& c : counters_)
    for (int fd : c.fds) close(fd);
}

void CounterSession::start() {
  if (running_) return;
  running_ = true;
  for (auto& c : counters_)
    for (int fd : c.fds) ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
}

void CounterSession::stop() {
  if (!running_) return;
  running_ = false;
  for (auto& c : counters_)
    for (int fd : c.fds) ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
}

std::vector<Metric> CounterSession::metrics(double per, const std::string& per_unit) const {
  std::vector<Metric> out;
  std::optional<double> cycles, instructions;
  int ipc_inputs = 0;
  for (const auto& c : counters_) {
    Metric m;
    m.name = "perf." + c.event;
    bool nanoseconds = c.event == "task-clock" || c.event == "cpu-clock";
    m.unit = std::string(nanoseconds ? "s" : "count") + "/" + per_unit;
    m.note = c.note;
    if (!c.fds.empty()) {
      double total = 0;
      for (int fd : c.fds) {
        auto v = read_scaled(fd);
        if (!v) {
          m.note = "unavailable: counter could not be read";
          break;
        }
        total += *v;
      }
      if (m.note.empty() && per > 0) m.value = total / per * (nanoseconds ? 1e-9 : 1.0);
    }
    if (c.event == "cycles" || c.event == "instructions") ++ipc_inputs;
    if (c.event == "cycles") cycles = m.value;
    if (c.event == "instructions") instructions = m.value;
    out.push_back(std::move(m));
  }
  if (ipc_inputs == 2) {
    Metric ipc{"perf.ipc", std::nullopt, "instructions/cycle", std::nullopt, std::nullopt, ""};
    if (cycles && instructions && *cycles > 0) ipc.value = *instructions / *cycles;
    else ipc.note = "unavailable: cycles or instructions not counted";
    out.push_back(ipc);
  }
  return out;
}

}  // namespace harness
