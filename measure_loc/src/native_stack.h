// native_stack.h: the C stack of a target's thread (--native). The thread is stopped with ptrace for the moment of
// a sample (PTRACE_SEIZE once per thread, PTRACE_INTERRUPT per sample) and unwound with libunwind from its
// registers and memory; compiled JIT code (no unwind tables) is stepped through by its rbp frame. Every thread is
// detached when the sampler ends; if measure_loc dies instead, the kernel detaches them and they run on.
#pragma once

#include <sys/types.h>
#include <sys/user.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "code_map.h"

namespace measure_loc {

class NativeStacks {
 public:
  // `runtime_library`: the file defining _PyRuntime. `leader_reaped_elsewhere`: the process is our child and the
  // launcher reaps it, so its exit is left for the launcher's wait. Throws Error when ptrace is not permitted.
  NativeStacks(pid_t pid, const std::string& runtime_library, bool leader_reaped_elsewhere);
  ~NativeStacks();  // resumes and detaches every thread
  NativeStacks(const NativeStacks&) = delete;
  NativeStacks& operator=(const NativeStacks&) = delete;

  // The OS thread whose pthread_t is `pthread` (PyThreadState.thread_id; on x86-64 Linux a thread's pthread_t is
  // its fs base register); 0 when no thread has it.
  pid_t thread_of(std::uint64_t pthread);
  // Stops the thread (false: it is gone). A signal that arrived for it meanwhile is delivered on resume().
  bool stop(pid_t tid);
  // Return addresses of the stopped thread's C stack, innermost first (the first is where it stopped).
  void unwind(pid_t tid, std::vector<std::uint64_t>& addresses);
  void resume(pid_t tid);
  // A traced thread that receives a signal stops until we let it through: called at every sample, whichever
  // thread is sampled (or none: nobody holds the GIL), so a signal waits at most one sampling interval.
  void let_signals_through();
  CodeMap& code() { return code_; }

 private:
  struct Thread {
    bool stopped = false;
    bool group_stopped = false;   // stopped by job control (SIGSTOP): stays stopped when we resume
    int pending_signal = 0;       // to deliver when resumed
    std::uint64_t pthread = 0;    // fs base, 0 until read
  };
  enum class Event { None, Stopped, Gone };
  Thread* seize(pid_t tid);
  Event wait_for(pid_t tid, Thread& thread, bool block);
  void release(pid_t tid, Thread& thread);
  bool drain(pid_t tid, Thread& thread);
  bool read_registers(pid_t tid, user_regs_struct& regs);
  void forget(pid_t tid);

  pid_t pid_;
  bool leader_reaped_elsewhere_;
  CodeMap code_;
  std::map<pid_t, Thread> threads_;  // seized threads
  struct Unwinder;
  std::unique_ptr<Unwinder> unwinder_;
};

}  // namespace measure_loc
