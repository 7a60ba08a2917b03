// launcher.cpp: starting or attaching to the target, waiting for its CPython runtime to come up, and turning
// start-up failures (not Python, no layout, exited at once, no permission) into Errors.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "measure_loc/profile.h"
#include "process_memory.h"
#include "process_tree.h"
#include "python_runtime.h"
#include "sampler.h"
#include "speedcenter/installation.h"

namespace measure_loc {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

bool executable(const fs::path& path) {
  return ::access(path.c_str(), X_OK) == 0 && !fs::is_directory(path);
}

// A pyenv shim is a shell script that execs the real interpreter; follow it to avoid profiling bash.
fs::path unshim(const fs::path& path) {
  if (path.parent_path().filename() != "shims") return path;
  std::string command = "pyenv which " + path.filename().string() + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return path;
  char buffer[4096];
  std::string out;
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return !out.empty() && executable(out) ? fs::path(out) : path;
}

extern "C" char** environ;

// The current environment with `extra` set on top, as "NAME=value" strings.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> result;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    if (!extra.count(entry.substr(0, entry.find('=')))) result.push_back(entry);
  }
  for (const auto& [name, value] : extra) result.push_back(name + "=" + value);
  return result;
}

pid_t spawn(const std::vector<std::string>& argv,
            const std::map<std::string, std::string>& extra_environment) {
  std::vector<std::string> environment = environment_with(extra_environment);
  std::vector<char*> envp;
  for (std::string& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw Error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(pipe_fds[0]);
    ::execve(args[0], args.data(), envp.data());
    int err = errno;
    ssize_t ignored = ::write(pipe_fds[1], &err, sizeof err);
    (void)ignored;
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  int err = 0;
  ssize_t got = ::read(pipe_fds[0], &err, sizeof err);
  ::close(pipe_fds[0]);
  if (got == sizeof err) {
    ::waitpid(pid, nullptr, 0);
    throw Error("cannot run " + argv[0] + ": " + std::strerror(err), "check --python", kExitTargetFailed);
  }
  return pid;
}

// The child's CPython runtime, and its exit code if it already ended (reaped here).
struct StartedRuntime {
  PythonRuntime runtime;
  std::optional<int> exit_code;
};

// Polls until the child's CPython runtime is mapped and initialised. Throws if the child exits before its
// runtime was even mapped, or never turns out to be Python. A Python program that ends within milliseconds
// can exit between two polls after its runtime was mapped: it is then returned with its exit code (no
// samples).
StartedRuntime wait_for_runtime(pid_t pid, const ProcessMemory& memory, const std::string& program,
                                double timeout_seconds) {
  std::set<std::string> not_python;
  auto deadline = Clock::now() +
                  std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_seconds));
  std::optional<PythonRuntime> runtime;
  while (true) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      int code = exit_code_of(status);
      if (runtime) return {*runtime, code};
      throw Error(program + " exited (code " + std::to_string(code) + ") before Python started",
                  "is it a Python interpreter? run the command without measure_loc to see its output",
                  code ? code : kExitTargetFailed);
    }
    try {
      if (!runtime) runtime = find_python_runtime(memory, &not_python);
    } catch (const Error& e) {
      if (e.exit_code() == kExitNoLayout) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
      throw;
    }
    if (runtime && runtime_initialized(memory, *runtime)) return {*runtime, std::nullopt};
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      throw Error(
          program + " is not a Python program: no CPython runtime (_PyRuntime) in it or its libraries",
          "use --python with a CPython 3.8-3.13 interpreter (or pyston)", kExitNotPython);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace

fs::path resolve_python(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (!executable(name))
      throw Error("no interpreter at " + name, "check the path given to --python", kExitUsage);
    return unshim(fs::absolute(name));
  }
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      fs::path candidate = fs::path(dir) / name;
      if (dir.empty() || !executable(candidate)) continue;
      fs::path real = unshim(candidate);
      if (real.parent_path().filename() != "shims") return real;  // a shim pyenv cannot resolve: look further
    }
  }
  std::error_code ec;
  std::vector<fs::path> versions;
  for (const auto& version : fs::directory_iterator("/root/.pyenv/versions", ec))
    versions.push_back(version.path());
  std::sort(versions.begin(), versions.end(), std::greater<>());
  for (const fs::path& version : versions) {
    if (executable(version / "bin" / name)) return version / "bin" / name;
  }
  // The launchers (pyston) built or installed beside measure_loc.
  if (fs::path beside = speedcenter::executable_dir() / name; executable(beside)) return beside;
  throw Error("no interpreter named " + name + " on PATH, in /root/.pyenv/versions or " +
                  speedcenter::executable_dir().string(),
              "pass --python with a full path", kExitUsage);
}

Profile profile_command(const std::vector<std::string>& argv, const Options& options) {
  if (argv.empty()) throw Error("no command to profile", "", kExitUsage);
  std::map<std::string, std::string> environment = options.environment;
  // --native names compiled code from the JIT's perf map (pyston writes it when asked; CPython ignores this).
  bool perf_map_asked = options.native && !std::getenv("PYSTON_PERF_MAP") && !environment.count("PYSTON_PERF_MAP");
  if (perf_map_asked) environment["PYSTON_PERF_MAP"] = "1";
  pid_t pid = spawn(argv, environment);
  ProcessMemory memory(pid);
  StartedRuntime started = wait_for_runtime(pid, memory, argv[0], options.startup_timeout_seconds);
  const PythonRuntime& runtime = started.runtime;
  std::optional<int> exit_code = started.exit_code;
  // Peeks before reaping (WNOWAIT): with --native the child is also traced, and its ptrace stops are the
  // sampler's to collect.
  auto exited = [&]() -> std::optional<int> {
    if (exit_code) return exit_code;
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != pid)
      return std::nullopt;
    if (info.si_code != CLD_EXITED && info.si_code != CLD_KILLED && info.si_code != CLD_DUMPED) return std::nullopt;
    int status = 0;
    if (::waitpid(pid, &status, 0) == pid) exit_code = exit_code_of(status);
    return exit_code;
  };
  Profile profile;
  try {
    profile = sample_until_exit(memory, runtime, options, exited, true);
  } catch (const Error&) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw;
  }
  // Stopped by SIGTERM: the target runs on, as it would had measure_loc been killed; it is not waited for.
  bool ended = exit_code.has_value();
  if (!ended && !stop_requested()) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    profile.exit_code = exit_code_of(status);
    ended = true;
  }
  std::error_code ignored;  // the map we asked for is ours to remove once its process is gone
  if (perf_map_asked && ended) fs::remove("/tmp/perf-" + std::to_string(pid) + ".map", ignored);
  return profile;
}

Profile profile_pid(pid_t pid, const Options& options) {
  ProcessMemory memory(pid);
  std::optional<PythonRuntime> runtime = find_python_runtime(memory);
  if (!runtime) {
    throw Error("process " + std::to_string(pid) +
                    " is not a Python program: no _PyRuntime in its executable or libraries",
                "attach to a CPython 3.8-3.13 (or pyston) process", kExitNotPython);
  }
  std::uint64_t probe = 0;
  if (!memory.read_pointer(runtime->runtime_address, probe) &&
      !memory.read_pointer(runtime->runtime_address + 8, probe)) {
    if (memory.last_error() == EPERM || memory.last_error() == EACCES) {
      throw Error("may not read the memory of process " + std::to_string(pid),
                  "run as the target's user or root; check /proc/sys/kernel/yama/ptrace_scope",
                  kExitPermission);
    }
    throw Error("cannot read process " + std::to_string(pid) + ": " + std::strerror(memory.last_error()), "",
                kExitTargetFailed);
  }
  if (!runtime_initialized(memory, *runtime)) {
    throw Error("process " + std::to_string(pid) + " has not initialised Python yet", "try again",
                kExitTargetFailed);
  }
  auto exited = [pid]() -> std::optional<int> {
    return process_gone(pid) ? std::optional<int>(0) : std::nullopt;
  };
  Options attach = options;
  attach.start_files.clear();
  Profile profile = sample_until_exit(memory, *runtime, attach, exited);
  profile.target = "pid " + std::to_string(pid);
  return profile;
}

}  // namespace measure_loc
