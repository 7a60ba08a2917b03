// harness/process.cpp: child processes in their own process group, pipe draining, /proc tree measurement, and
// the Ctrl-C handler that leaves no process behind.
#include "harness/process.h"

#include <sched.h>
#include <cstdio>
#include <sstream>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/error.h"

extern char** environ;

namespace harness {
namespace {

// Live child process groups, for the signal handler (async-signal-safe: fixed array of atomics).
constexpr int kMaxChildren = 64;
std::atomic<pid_t> g_children[kMaxChildren];
std::atomic<int> g_interrupt_signal{0};

void register_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pid)) return;
  }
}

void unregister_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void on_interrupt(int sig) {
  g_interrupt_signal.store(sig);
  for (auto& slot : g_children) {
    pid_t pid = slot.load();
    if (pid > 0) kill(-pid, SIGKILL);
  }
}

// How far ru_maxrss may exceed the resident size the child read just before exec while counting only the
// forked copy: a C program that forks, reads /proc/self/statm and execs `true` saw 436-476 KiB with 1 MB and
// 100 MB parents (Linux 6.18), the same with both, so this is not a share of the parent.
constexpr std::int64_t kForkCopySlackBytes = 1 << 20;

long page_size() {
  static const long size = sysconf(_SC_PAGESIZE);
  return size;
}

std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(task_dir.c_str());
  if (!dir) return out;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::ifstream in(task_dir + "/" + entry->d_name + "/children");
    pid_t child;
    while (in >> child) out.push_back(child);
  }
  closedir(dir);
  return out;
}

// Resident bytes of the calling process, with system calls only: it runs between fork and exec, where a
// multithreaded parent's child may not allocate. -1 when /proc is not readable.
std::int64_t resident_bytes_after_fork(long page) {
  int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char text[160];
  ssize_t n = read(fd, text, sizeof text);
  close(fd);
  ssize_t i = 0;
  while (i < n && text[i] != ' ') ++i;  // "size resident shared ...": skip size
  std::int64_t pages = 0;
  for (++i; i < n && text[i] >= '0' && text[i] <= '9'; ++i) pages = pages * 10 + (text[i] - '0');
  return n > 0 ? pages * page : -1;
}

// The child's report on the exec pipe: its resident size just before exec, then errno if exec failed.
struct ExecReport {
  std::int64_t resident_before_exec = -1;
  int exec_errno = 0;
};

void report_exec_failure(int fd) {
  int err = errno;
  (void)!write(fd, &err, sizeof err);
  _exit(127);
}

ExecReport read_exec_report(int fd) {
  char bytes[sizeof(std::int64_t) + sizeof(int)];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = read(fd, bytes + got, sizeof bytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the exec succeeded (the pipe is close-on-exec)
    got += static_cast<size_t>(n);
  }
  ExecReport report;
  if (got >= sizeof(std::int64_t)) std::memcpy(&report.resident_before_exec, bytes, sizeof(std::int64_t));
  if (got == sizeof bytes) std::memcpy(&report.exec_errno, bytes + sizeof(std::int64_t), sizeof(int));
  return report;
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

void append_tail(std::string& tail, const char* data, size_t n, size_t limit) {
  tail.append(data, n);
  if (tail.size() > limit) tail.erase(0, tail.size() - limit);
}

}  // namespace

std::vector<pid_t> process_tree(pid_t root) {
  std::vector<pid_t> tree{root};
  for (size_t i = 0; i < tree.size() && tree.size() < 4096; ++i)
    for (pid_t child : children_of(tree[i])) tree.push_back(child);
  return tree;
}

TreeMemory tree_memory(pid_t root, bool with_pss) {
  TreeMemory memory;
  std::int64_t pss_total = 0;
  bool pss_ok = with_pss;
  for (pid_t pid : process_tree(root)) {
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    long size_pages = 0, resident_pages = 0;
    if (!(statm >> size_pages >> resident_pages)) continue;
    memory.rss_bytes += resident_pages * page_size();
    ++memory.processes;
    if (with_pss) {
      std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
      std::string key;
      long kb = -1;
      while (rollup >> key) {
        if (key == "Pss:") {
          rollup >> kb;
          break;
        }
      }
      if (kb < 0) pss_ok = false; else pss_total += static_cast<std::int64_t>(kb) * 1024;
    }
  }
  if (pss_ok && memory.processes > 0) memory.pss_bytes = pss_total;
  return memory;
}

double tree_cpu_seconds(pid_t root) {
  static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  double total = 0;
  for (pid_t pid : process_tree(root)) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string content;
    try {
      content.assign(std::istreambuf_iterator<char>(stat), {});
    } catch (const std::ios_base::failure&) {
      continue;  // exited between open and read (ESRCH): libstdc++'s filebuf throws, whatever the mask
    }
    size_t close_paren = content.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream fields(content.substr(close_paren + 2));
    std::string field;
    // Fields after the command: state(3) ... utime(14) stime(15); we start at field 3.
    double utime = 0, stime = 0;
    for (int index = 3; fields >> field; ++index) {
      if (index == 14) utime = std::stod(field);
      if (index == 15) {
        stime = std::stod(field);
        break;
      }
    }
    total += (utime + stime) / ticks;
  }
  return total;
}

ChildProcess::ChildProcess(const ProcessOptions& options) : tail_bytes_(options.output_tail_bytes) {
  if (options.argv.empty()) throw HarnessError("internal: empty command line");
  int out_pipe[2], err_pipe[2], report_pipe[2] = {-1, -1}, exec_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC) || pipe2(exec_pipe, O_CLOEXEC) ||
      (options.report_pipe && pipe2(report_pipe, O_CLOEXEC)))
    throw HarnessError(std::string("cannot create pipes: ") + std::strerror(errno));

  // Build argv and envp before fork (no allocation in the child).
  std::vector<std::string> env_strings;
  auto inherited = [&](const std::string& key) {
    if (!options.inherit_environ) return true;
    for (const auto& name : *options.inherit_environ)
      if (name == key || (!name.empty() && name.back() == '*' && key.rfind(name.substr(0, name.size() - 1), 0) == 0))
        return true;
    return false;
  };
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (!options.extra_env.count(key) && inherited(key)) env_strings.push_back(entry);
  }
  cpu_set_t cpu_set;
  CPU_ZERO(&cpu_set);
  for (int cpu : options.cpus) CPU_SET(cpu, &cpu_set);
  for (const auto& [key, value] : options.extra_env) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = options.argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  const long page = page_size();

  started_ = std::chrono::steady_clock::now();
  pid_ = fork();
  if (pid_ < 0) throw HarnessError(std::string("fork failed: ") + std::strerror(errno));
  if (pid_ == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    dup2(devnull, 0);
    dup2(options.capture_stdout ? out_pipe[1] : devnull, 1);
    dup2(err_pipe[1], 2);
    if (options.report_pipe) dup2(report_pipe[1], 3);
    std::int64_t resident = resident_bytes_after_fork(page);
    (void)!write(exec_pipe[1], &resident, sizeof resident);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) report_exec_failure(exec_pipe[1]);
    if (!options.cpus.empty() && sched_setaffinity(0, sizeof cpu_set, &cpu_set) != 0) report_exec_failure(exec_pipe[1]);
    execvpe(argv[0], argv.data(), envp.data());
    report_exec_failure(exec_pipe[1]);
  }
  setpgid(pid_, pid_);  // also from the parent, so the group exists before we might signal it
  register_child(pid_);
  close(devnull);
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(exec_pipe[1]);
  if (options.report_pipe) close(report_pipe[1]);
  ExecReport exec_report = read_exec_report(exec_pipe[0]);
  close(exec_pipe[0]);
  resident_before_exec_ = exec_report.resident_before_exec;
  stdout_fd_ = out_pipe[0];
  stderr_fd_ = err_pipe[0];
  report_fd_ = options.report_pipe ? report_pipe[0] : -1;
  if (exec_report.exec_errno != 0) {
    reap(true);
    throw HarnessError("cannot start '" + options.argv[0] + "': " + std::strerror(exec_report.exec_errno),
                       "check that the program exists and is executable");
  }
  for (int fd : {stdout_fd_, stderr_fd_, report_fd_})
    if (fd >= 0) set_nonblocking(fd);
}

ChildProcess::~ChildProcess() {
  if (running()) kill_tree(std::chrono::milliseconds(0));
  for (int fd : {stdout_fd_, stderr_fd_, report_fd_})
    if (fd >= 0) close(fd);
  unregister_child(pid_);
}

double ChildProcess::wall_seconds() const {
  auto end = running() ? std::chrono::steady_clock::now() : ended_;
  return std::chrono::duration<double>(end - started_).count();
}

void ChildProcess::drain(int fd, std::string& tail, std::string* line_buffer, const Watch* watch) {
  char buffer[65536];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return;
    if (!line_buffer) {
      append_tail(tail, buffer, static_cast<size_t>(n), tail_bytes_);
      continue;
    }
    line_buffer->append(buffer, static_cast<size_t>(n));
    size_t newline;
    while ((newline = line_buffer->find('\n')) != std::string::npos) {
      std::string line = line_buffer->substr(0, newline);
      line_buffer->erase(0, newline + 1);
      if (watch && watch->on_report_line) watch->on_report_line(line);
    }
  }
}

void ChildProcess::reap(bool block) {
  if (exit_status_) return;
  int status = 0;
  rusage usage{};
  pid_t r = wait4(pid_, &status, block ? 0 : WNOHANG, &usage);
  if (r != pid_) return;
  ended_ = std::chrono::steady_clock::now();
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  double rusage_cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  // rusage covers the child and the descendants it waited for; the last /proc reading covers the rest.
  cpu_seconds_ = std::max(rusage_cpu, last_tree_cpu_);
  // The kernel's peak of the child itself (and of the descendants it waited for) catches what the /proc
  // samples miss when a worker lives less than one sampling period. It also counts the copy of the harness
  // the child was between fork and exec: a figure no higher than that copy (plus the slack measured between
  // the two readings) says nothing about the worker, and then the samples stand alone.
  std::int64_t kernel_peak = static_cast<std::int64_t>(usage.ru_maxrss) * 1024;
  if (kernel_peak > resident_before_exec_ + kForkCopySlackBytes) peak_rss_ = std::max(peak_rss_, kernel_peak);
  unregister_child(pid_);
}

bool ChildProcess::wait(std::chrono::duration<double> timeout, const Watch& watch) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout);
  auto next_sample = std::chrono::steady_clock::now();
  auto exited_at = std::chrono::steady_clock::time_point{};
  for (;;) {
    std::vector<pollfd> fds;
    for (int fd : {stdout_fd_, stderr_fd_, report_fd_})
      if (fd >= 0) fds.push_back({fd, POLLIN, 0});
    auto now = std::chrono::steady_clock::now();
    if (running() && now >= next_sample) {
      TreeMemory memory = tree_memory(pid_, watch.with_pss);
      peak_rss_ = std::max(peak_rss_, memory.rss_bytes);
      last_tree_cpu_ = std::max(last_tree_cpu_, tree_cpu_seconds(pid_));
      if (watch.on_memory) watch.on_memory(std::chrono::duration<double>(now - started_).count(), memory);
      next_sample = now + watch.sample_every;
    }
    auto wait_for = std::min(next_sample, deadline) - now;
    int timeout_ms = static_cast<int>(std::clamp<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(wait_for).count(), 1, 100));
    if (fds.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
    } else {
      int ready = poll(fds.data(), fds.size(), timeout_ms);
      if (ready < 0 && errno != EINTR) throw HarnessError(std::string("poll failed: ") + std::strerror(errno));
      for (const auto& p : fds) {
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        if (p.fd == report_fd_) drain(p.fd, report_buffer_, &report_buffer_, &watch);
        else drain(p.fd, p.fd == stdout_fd_ ? stdout_tail_ : stderr_tail_, nullptr, nullptr);
        if (p.revents & (POLLHUP | POLLERR) && !(p.revents & POLLIN)) {
          int& slot = p.fd == stdout_fd_ ? stdout_fd_ : p.fd == stderr_fd_ ? stderr_fd_ : report_fd_;
          close(slot);
          slot = -1;
        }
      }
    }
    reap(false);
    if (interrupted()) {
      kill_tree(std::chrono::milliseconds(0));
      return false;
    }
    now = std::chrono::steady_clock::now();
    if (!running()) {
      if (exited_at == std::chrono::steady_clock::time_point{}) exited_at = now;
      // Pipes still held open by a grandchild must not keep us waiting forever.
      bool all_closed = stdout_fd_ < 0 && stderr_fd_ < 0 && report_fd_ < 0;
      if (all_closed || now - exited_at > std::chrono::milliseconds(200)) {
        for (int fd : {stdout_fd_, stderr_fd_}) if (fd >= 0) drain(fd, fd == stdout_fd_ ? stdout_tail_ : stderr_tail_, nullptr, nullptr);
        if (report_fd_ >= 0) drain(report_fd_, report_buffer_, &report_buffer_, &watch);
        kill(-pid_, SIGKILL);  // leftovers of the group, if any
        return true;
      }
    } else if (now >= deadline) {
      return false;
    }
  }
}

void ChildProcess::kill_tree(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return;
  std::vector<pid_t> tree = running() ? process_tree(pid_) : std::vector<pid_t>{};
  if (running() && grace.count() > 0) {
    kill(-pid_, SIGTERM);
    for (pid_t p : tree) kill(p, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
      reap(false);
      if (!running()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // Descendants that left the group (setsid) are killed by pid as well.
  kill(-pid_, SIGKILL);
  for (pid_t p : tree) kill(p, SIGKILL);
  reap(true);
}

void install_interrupt_handler() {
  struct sigaction action{};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

bool interrupted() { return g_interrupt_signal.load() != 0; }
int interrupt_signal() { return g_interrupt_signal.load(); }

std::vector<int> parse_cpu_list(const std::string& text) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  sched_getaffinity(0, sizeof allowed, &allowed);
  std::string usable;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) usable += (usable.empty() ? "" : ",") + std::to_string(cpu);
  auto bad = [&](const std::string& why) {
    return HarnessError("bad --affinity '" + text + "': " + why,
                        "give CPU numbers this process may use (" + usable + "), e.g. --affinity 1 or 0-1");
  };
  if (text.empty() || text.front() == ',' || text.back() == ',' || text.find(",,") != std::string::npos)
    throw bad("empty item");
  std::vector<int> cpus;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    int first = -1, last = -1;
    char dash = 0, extra = 0;
    int fields = std::sscanf(item.c_str(), "%d%c%d%c", &first, &dash, &last, &extra);
    if (fields == 1) last = first;
    else if (!(fields == 3 && dash == '-')) throw bad("'" + item + "' is not a CPU number or range");
    if (first < 0 || last < first || last >= CPU_SETSIZE) throw bad("'" + item + "' is not a valid range");
    for (int cpu = first; cpu <= last; ++cpu) {
      if (!CPU_ISSET(cpu, &allowed)) throw bad("CPU " + std::to_string(cpu) + " is not available");
      cpus.push_back(cpu);
    }
  }
  if (cpus.empty()) throw bad("no CPUs");
  return cpus;
}

}  // namespace harness
