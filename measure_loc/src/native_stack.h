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
  // What unwinding needs of a stopped thread, taken while it stands still: its registers and the top of its stack.
  struct Capture {
    user_regs_struct regs{};
    std::uint64_t stack_base = 0;      // the address of stack[0] (the stack pointer)
    std::vector<std::uint8_t> stack;   // kStackSnapshot bytes from there, fewer at the end of its mapping
  };
  // False when the registers cannot be read (the thread is gone).
  bool capture(pid_t tid, Capture& out);
  // Return addresses of a captured C stack, innermost first (the first is where it stopped). Runs after the thread
  // was resumed: the time a thread is held stopped does not grow with its stack's depth (a deeper stack held
  // longer would get more samples per unit of its own work). Frames beyond the snapshot, callers that have been
  // waiting all along, are read from the live process.
  void unwind(const Capture& capture, std::vector<std::uint64_t>& addresses);
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
