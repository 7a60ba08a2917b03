// native_stack.cpp: ptrace stops and libunwind over them. libunwind's own ptrace accessors read memory one word
// per system call and registers one per call; here registers come from one PTRACE_GETREGS and memory from
// process_vm_readv of whole pages, kept for the sample. Every wait peeks first (WNOWAIT), so the exit of a
// process the launcher waits for is left to the launcher.
#include "native_stack.h"

#include <libunwind-ptrace.h>
#include <libunwind.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "measure_loc/profile.h"
#include "process_memory.h"
#include "target_cpu_time.h"

namespace measure_loc {

namespace {

constexpr int kMaxNativeFrames = 512;
constexpr std::uint64_t kPage = 4096;
constexpr std::size_t kCachedPages = 64;
// The top of the stack copied while the thread is stopped: a CPython 3.8 C stack takes about 0.5 KB per Python
// frame, so this holds a hundred frames or more; one copy of it costs a few microseconds.
constexpr std::size_t kStackSnapshot = 64 * 1024;
// A compiled function's rbp frame is a few hundred bytes; more than this between rsp and rbp is not a frame.
constexpr std::uint64_t kMaxFrameSize = 1 << 20;

bool job_control_stop(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// libunwind's x86-64 register numbers (DWARF's order) in a PTRACE_GETREGS block.
unsigned long long* register_slot(user_regs_struct& r, unw_regnum_t reg) {
  switch (reg) {
    case UNW_X86_64_RAX: return &r.rax;
    case UNW_X86_64_RDX: return &r.rdx;
    case UNW_X86_64_RCX: return &r.rcx;
    case UNW_X86_64_RBX: return &r.rbx;
    case UNW_X86_64_RSI: return &r.rsi;
    case UNW_X86_64_RDI: return &r.rdi;
    case UNW_X86_64_RBP: return &r.rbp;
    case UNW_X86_64_RSP: return &r.rsp;
    case UNW_X86_64_R8: return &r.r8;
    case UNW_X86_64_R9: return &r.r9;
    case UNW_X86_64_R10: return &r.r10;
    case UNW_X86_64_R11: return &r.r11;
    case UNW_X86_64_R12: return &r.r12;
    case UNW_X86_64_R13: return &r.r13;
    case UNW_X86_64_R14: return &r.r14;
    case UNW_X86_64_R15: return &r.r15;
    case UNW_X86_64_RIP: return &r.rip;
    default: return nullptr;
  }
}

}  // namespace

// One libunwind address space per process (its caches of unwind tables live there), with accessors reading the
// stopped thread's registers and memory.
struct NativeStacks::Unwinder {
  Unwinder(pid_t pid, CodeMap& code) : memory(pid), code(code), upt(_UPT_create(pid)) {
    accessors.find_proc_info = find_proc_info;
    accessors.put_unwind_info = put_unwind_info;
    accessors.get_dyn_info_list_addr = get_dyn_info_list_addr;
    accessors.access_mem = access_mem;
    accessors.access_reg = access_reg;
    accessors.access_fpreg = access_fpreg;
    accessors.resume = resume;
    accessors.get_proc_name = get_proc_name;
    space = unw_create_addr_space(&accessors, 0);
    if (space) unw_set_caching_policy(space, UNW_CACHE_GLOBAL);
    if (space) by_space()[space] = this;
  }
  ~Unwinder() {
    by_space().erase(space);
    if (space) unw_destroy_addr_space(space);
    if (upt) _UPT_destroy(upt);
    for (auto& [file, helper] : per_file)
      if (helper) _UPT_destroy(helper);
  }

  bool read_word(std::uint64_t address, std::uint64_t& value) {
    if (snapshot && address >= snapshot->stack_base && address - snapshot->stack_base + sizeof value <= snapshot->stack.size()) {
      std::memcpy(&value, snapshot->stack.data() + (address - snapshot->stack_base), sizeof value);
      return true;
    }
    std::uint64_t page = address & ~(kPage - 1);
    if (address - page > kPage - sizeof value) return memory.read_value(address, value);
    for (std::size_t i = 0; i < pages_used; ++i) {
      if (pages[i].first == page) {
        std::memcpy(&value, pages[i].second.data() + (address - page), sizeof value);
        return true;
      }
    }
    std::size_t slot = pages_used < kCachedPages ? pages_used++ : kCachedPages - 1;
    if (!memory.read(page, pages[slot].second.data(), kPage)) {
      if (slot + 1 == pages_used) --pages_used;
      return memory.read_value(address, value);
    }
    pages[slot].first = page;
    std::memcpy(&value, pages[slot].second.data() + (address - page), sizeof value);
    return true;
  }

  // libunwind hands the accessors the argument of unw_init_remote, and its ptrace helpers pass their own (the
  // UPT handle) to the same accessors when they read unwind tables from the target; so the argument is always
  // the UPT handle, and the accessors find their Unwinder by address space.
  static std::map<unw_addr_space_t, Unwinder*>& by_space() {
    static std::map<unw_addr_space_t, Unwinder*> unwinders;
    return unwinders;
  }
  static Unwinder& self(unw_addr_space_t as) { return *by_space().at(as); }
  // Anonymous memory (JIT code) has no unwind tables: say so at once instead of letting libunwind search the
  // mapped files for it.
  // libunwind's ptrace helper keeps the unwind table of one file, the last it looked in, and rereads the maps and
  // maps the file again for an address in another: a C stack crosses several files (the interpreter, an extension,
  // libc) at every sample. One helper per file keeps each file's table.
  static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t* info, int need, void*) {
    Unwinder& u = self(as);
    const std::string* file = u.code.file_at(ip);
    if (!file) return -UNW_ENOINFO;
    void*& helper = u.per_file[*file];
    if (!helper) helper = _UPT_create(u.memory.pid());
    if (!helper) return -UNW_ENOINFO;
    return _UPT_find_proc_info(as, ip, info, need, helper);
  }
  static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t* info, void* arg) {
    _UPT_put_unwind_info(as, info, arg);
  }
  static int get_dyn_info_list_addr(unw_addr_space_t, unw_word_t*, void*) { return -UNW_ENOINFO; }
  static int access_mem(unw_addr_space_t as, unw_word_t address, unw_word_t* value, int write, void*) {
    std::uint64_t word = 0;
    if (write || !self(as).read_word(address, word)) return -UNW_EINVAL;
    *value = word;
    return 0;
  }
  static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t* value, int write, void*) {
    unsigned long long* slot = register_slot(self(as).regs, reg);
    if (!slot || write) return -UNW_EBADREG;
    *value = *slot;
    return 0;
  }
  static int access_fpreg(unw_addr_space_t, unw_regnum_t, unw_fpreg_t*, int, void*) { return -UNW_EBADREG; }
  static int resume(unw_addr_space_t, unw_cursor_t*, void*) { return -UNW_EINVAL; }
  static int get_proc_name(unw_addr_space_t, unw_word_t, char*, std::size_t, unw_word_t*, void*) {
    return -UNW_ENOINFO;
  }

  // Steps out of compiled code by its rbp frame ([rbp] the caller's rbp, [rbp+8] the return address) and
  // restarts libunwind there. False when rbp does not look like this frame's.
  bool step_frame_pointer(unw_cursor_t& cursor, std::uint64_t sp) {
    for (unw_regnum_t reg : {UNW_X86_64_RBX, UNW_X86_64_RBP, UNW_X86_64_R12, UNW_X86_64_R13, UNW_X86_64_R14,
                             UNW_X86_64_R15}) {
      unw_word_t value = 0;
      unw_get_reg(&cursor, reg, &value);
      *register_slot(regs, reg) = value;
    }
    std::uint64_t rbp = regs.rbp, caller_rbp = 0, return_address = 0;
    if (rbp < sp || rbp - sp > kMaxFrameSize || !read_word(rbp, caller_rbp) || !read_word(rbp + 8, return_address))
      return false;
    regs.rip = return_address;
    regs.rsp = rbp + 16;
    regs.rbp = caller_rbp;
    return unw_init_remote(&cursor, space, upt) >= 0;
  }

  ProcessMemory memory;
  CodeMap& code;
  void* upt;
  std::map<std::string, void*> per_file;  // libunwind ptrace helpers by mapped file
  unw_accessors_t accessors{};
  unw_addr_space_t space = nullptr;
  user_regs_struct regs{};
  std::array<std::pair<std::uint64_t, std::array<std::uint8_t, kPage>>, kCachedPages> pages{};
  std::size_t pages_used = 0;
  const Capture* snapshot = nullptr;  // the stack being unwound
};

NativeStacks::NativeStacks(pid_t pid, const std::string& runtime_library, bool leader_reaped_elsewhere)
    : pid_(pid), leader_reaped_elsewhere_(leader_reaped_elsewhere), code_(pid, runtime_library) {
  unwinder_ = std::make_unique<Unwinder>(pid, code_);
  if (!unwinder_->upt || !unwinder_->space)
    throw Error("libunwind could not set up for process " + std::to_string(pid), "run without --native");
  seize(pid);  // a process we may not trace fails here, before any sample
}

NativeStacks::~NativeStacks() {
  for (auto& [tid, thread] : threads_) {
    Event event = thread.stopped ? Event::Stopped : wait_for(tid, thread, false);
    if (event == Event::None) {
      if (::ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr) != 0) continue;
      event = wait_for(tid, thread, true);
    }
    if (event != Event::Stopped) continue;
    long signal = thread.group_stopped ? 0 : thread.pending_signal;
    ::ptrace(PTRACE_DETACH, tid, nullptr, reinterpret_cast<void*>(signal));
  }
}

NativeStacks::Thread* NativeStacks::seize(pid_t tid) {
  auto it = threads_.find(tid);
  if (it != threads_.end()) return &it->second;
  if (::ptrace(PTRACE_SEIZE, tid, nullptr, nullptr) != 0) {
    if (errno == EPERM) {
      throw Error("may not trace process " + std::to_string(pid_) + " (--native stops it with ptrace)",
                  "another tracer (gdb, strace, py-spy) may hold it: see TracerPid in /proc/" + std::to_string(pid_) +
                      "/status; else run as root or set /proc/sys/kernel/yama/ptrace_scope to 0; or drop --native",
                  kExitPermission);
    }
    return nullptr;  // the thread ended
  }
  return &threads_[tid];
}

void NativeStacks::forget(pid_t tid) {
  threads_.erase(tid);
}

// The next stop or exit of a seized thread (with `block`, waits for one). A stop is consumed and recorded;
// an exit is reaped unless it is the launcher's child's.
NativeStacks::Event NativeStacks::wait_for(pid_t tid, Thread& thread, bool block) {
  while (true) {
    siginfo_t info{};
    int options = WEXITED | WSTOPPED | __WALL | WNOWAIT | (block ? 0 : WNOHANG);
    if (::waitid(P_PID, static_cast<id_t>(tid), &info, options) != 0) {
      if (errno == EINTR) continue;  // SIGTERM while waiting: the stop still comes, and is needed to detach
      return Event::Gone;
    }
    if (info.si_pid == 0) return Event::None;
    if (info.si_code == CLD_EXITED || info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) {
      if (tid != pid_ || !leader_reaped_elsewhere_) ::waitpid(tid, nullptr, __WALL);
      return Event::Gone;
    }
    int status = 0;
    if (::waitpid(tid, &status, __WALL | WNOHANG) != tid || !WIFSTOPPED(status)) continue;
    thread.stopped = true;
    int signal = WSTOPSIG(status);
    if ((status >> 16) == PTRACE_EVENT_STOP) {
      thread.group_stopped = job_control_stop(signal);  // else our PTRACE_INTERRUPT
    } else {
      thread.pending_signal = signal;  // a signal on its way to the thread: delivered when it is resumed
    }
    return Event::Stopped;
  }
}

void NativeStacks::release(pid_t tid, Thread& thread) {
  if (!thread.stopped) return;
  if (thread.group_stopped)
    ::ptrace(PTRACE_LISTEN, tid, nullptr, nullptr);  // stays stopped by job control, as without us
  else
    ::ptrace(PTRACE_CONT, tid, nullptr, reinterpret_cast<void*>(static_cast<long>(thread.pending_signal)));
  thread.stopped = thread.group_stopped = false;
  thread.pending_signal = 0;
}

// Stops since the last look (a signal for the thread, the trap of an interrupt that met a signal): let them go
// on. False when the thread is gone.
bool NativeStacks::drain(pid_t tid, Thread& thread) {
  for (Event event; (event = wait_for(tid, thread, false)) != Event::None;) {
    if (event == Event::Gone) return false;
    release(tid, thread);
  }
  return true;
}

void NativeStacks::let_signals_through() {
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (it->second.stopped || drain(it->first, it->second))
      ++it;
    else
      it = threads_.erase(it);
  }
}

bool NativeStacks::stop(pid_t tid) {
  Thread* thread = seize(tid);
  if (!thread) return false;
  if (!drain(tid, *thread)) return forget(tid), false;
  if (::ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr) != 0) return forget(tid), false;
  if (wait_for(tid, *thread, true) != Event::Stopped) return forget(tid), false;
  return true;
}

void NativeStacks::resume(pid_t tid) {
  auto it = threads_.find(tid);
  if (it != threads_.end()) release(tid, it->second);
}

bool NativeStacks::read_registers(pid_t tid, user_regs_struct& regs) {
  return ::ptrace(PTRACE_GETREGS, tid, nullptr, &regs) == 0;
}

pid_t NativeStacks::thread_of(std::uint64_t pthread) {
  for (const auto& [tid, thread] : threads_)
    if (thread.pthread == pthread) return tid;
  for (pid_t tid : thread_ids(pid_)) {
    Thread* thread = seize(tid);
    if (!thread || thread->pthread != 0 || !stop(tid)) continue;
    user_regs_struct regs{};
    if (read_registers(tid, regs)) thread->pthread = regs.fs_base;
    resume(tid);
    if (thread->pthread == pthread) return tid;
  }
  return 0;
}

bool NativeStacks::capture(pid_t tid, Capture& out) {
  if (!read_registers(tid, out.regs)) return false;
  out.stack_base = out.regs.rsp;
  out.stack.resize(kStackSnapshot);
  // The stack's mapping may end within the snapshot: the kernel then copies what is there and says how much.
  iovec local{out.stack.data(), kStackSnapshot};
  iovec remote{reinterpret_cast<void*>(out.stack_base), kStackSnapshot};
  ssize_t got = ::process_vm_readv(tid, &local, 1, &remote, 1, 0);
  out.stack.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return true;
}

void NativeStacks::unwind(const Capture& capture, std::vector<std::uint64_t>& addresses) {
  addresses.clear();
  Unwinder& u = *unwinder_;
  u.pages_used = 0;
  u.snapshot = &capture;
  u.regs = capture.regs;
  unw_cursor_t cursor;
  if (unw_init_remote(&cursor, u.space, u.upt) < 0) return;
  for (int n = 0; n < kMaxNativeFrames; ++n) {
    unw_word_t ip = 0, sp = 0;
    if (unw_get_reg(&cursor, UNW_REG_IP, &ip) < 0 || unw_get_reg(&cursor, UNW_REG_SP, &sp) < 0 || ip == 0) break;
    addresses.push_back(ip);
    if (!code_.in_file(ip)) {
      if (!u.step_frame_pointer(cursor, sp)) break;
    } else if (unw_step(&cursor) <= 0) {
      break;
    }
    unw_word_t next_sp = 0;
    if (unw_get_reg(&cursor, UNW_REG_SP, &next_sp) < 0 || next_sp <= sp) break;  // a loop, not a stack
  }
}

}  // namespace measure_loc
