// harness/process.h: starting a child process in its own process group, reading its pipes, measuring its
// process tree from /proc, and making sure nothing it started outlives it (or Ctrl-C).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace harness {

struct ProcessOptions {
  std::vector<std::string> argv;
  std::map<std::string, std::string> extra_env;  // added to (overriding) the harness's environment
  std::filesystem::path cwd;                      // empty = inherit
  bool report_pipe = false;                       // give the child a pipe on fd 3 (the worker protocol)
  bool capture_stdout = true;                     // otherwise stdout goes to /dev/null
  size_t output_tail_bytes = 4096;                // how much of stderr/stdout to keep
  std::vector<int> cpus;                          // CPU affinity (sched_setaffinity); empty = inherit
  // When set, only these variables of the harness's environment are passed (a trailing '*' matches a prefix,
  // as in LC_*), plus extra_env; unset = the whole environment.
  std::optional<std::vector<std::string>> inherit_environ;
};

// "0", "0-3", "1,3,5-6" -> CPU numbers; throws HarnessError for bad text or CPUs this process may not use.
std::vector<int> parse_cpu_list(const std::string& text);

// Memory of a process tree: the root and all its descendants, from /proc.
struct TreeMemory {
  std::int64_t rss_bytes = 0;
  std::optional<std::int64_t> pss_bytes;  // from smaps_rollup when readable
  int processes = 0;
};
std::vector<pid_t> process_tree(pid_t root);
TreeMemory tree_memory(pid_t root, bool with_pss = false);
// Total user+system CPU seconds of a live process tree (from /proc/PID/stat).
double tree_cpu_seconds(pid_t root);

class ChildProcess {
 public:
  explicit ChildProcess(const ProcessOptions& options);  // throws HarnessError if fork/exec setup fails
  ~ChildProcess();                                        // kills the group if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const { return !exit_status_; }

  // Waits up to `timeout` for events: lines on the report pipe are passed to on_report_line; output is
  // accumulated; memory is sampled every `sample_every` into peak and series (when on_memory is set).
  // Returns when the child has exited and pipes are drained, or on timeout (returns false then).
  struct Watch {
    std::function<void(const std::string&)> on_report_line;
    std::function<void(double t, const TreeMemory&)> on_memory;
    std::chrono::milliseconds sample_every{20};
    bool with_pss = false;
  };
  bool wait(std::chrono::duration<double> timeout, const Watch& watch);

  // SIGTERM to the whole process group, then SIGKILL after `grace`; reaps the child.
  void kill_tree(std::chrono::milliseconds grace = std::chrono::milliseconds(500));

  std::optional<int> exit_status() const { return exit_status_; }  // code, or -signal
  std::string stderr_tail() const { return stderr_tail_; }
  std::string stdout_tail() const { return stdout_tail_; }
  // Peak RSS: the largest /proc sample of the whole tree, or the kernel's own peak for the child (wait4's
  // ru_maxrss) when that is higher, so a child that exits between two samples still gets its real peak.
  std::int64_t peak_rss_bytes() const { return peak_rss_; }
  double wall_seconds() const;
  double cpu_seconds() const { return cpu_seconds_; }  // children's rusage after exit

 private:
  void drain(int fd, std::string& tail, std::string* line_buffer, const Watch* watch);
  void reap(bool block);

  pid_t pid_ = -1;
  int stdout_fd_ = -1, stderr_fd_ = -1, report_fd_ = -1;
  size_t tail_bytes_;
  std::string stdout_tail_, stderr_tail_, report_buffer_;
  std::optional<int> exit_status_;
  std::int64_t peak_rss_ = 0;
  std::int64_t resident_before_exec_ = -1;  // the child's copy of the harness, which ru_maxrss also counts
  double cpu_seconds_ = 0;
  double last_tree_cpu_ = 0;
  std::chrono::steady_clock::time_point started_, ended_;
};

// Ctrl-C / SIGTERM handling: the first signal sets a flag and kills every live child group; long loops check
// interrupted() and stop cleanly. Install once in main.
void install_interrupt_handler();
bool interrupted();
int interrupt_signal();

}  // namespace harness
