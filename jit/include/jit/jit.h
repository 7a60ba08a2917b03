// The public face of the reference JIT: switch it on and off for the running interpreter, and read its
// statistics. Used by the pyston_lite module and by the pyston launcher.
#pragma once
#include <cstddef>
#include <string>

#include "jit/python.h"

namespace pyston_jit {

// Read once from the environment when the JIT is first enabled.
struct Settings {
  long threshold = 200;             // PYSTON_JIT_THRESHOLD: counter value that triggers compilation
  size_t max_memory = 100u << 20;   // PYSTON_JIT_MAX_MEM: bytes of machine code, then interpreter only
  bool loops_compile_early = true;  // PYSTON_JIT_LOOPS_EARLY: code with loops counts as hot at once
  bool perf_map = false;            // PYSTON_PERF_MAP=1: /tmp/perf-PID.map
  std::string dump_dir;             // PYSTON_JIT_DUMP=DIR: one .s listing per compiled code object
  bool gdb = true;                  // PYSTON_JIT_GDB=0 turns off GDB JIT-interface registration
  // Speed techniques (issue 8), each on by default and switchable alone to measure it:
  bool cache_globals = true;   // PYSTON_JIT_CACHE_GLOBALS
  bool cache_attrs = true;     // PYSTON_JIT_CACHE_ATTRS
  bool fast_arith = true;      // PYSTON_JIT_FAST_ARITH
  bool inline_compare = true;  // PYSTON_JIT_INLINE_COMPARE
  bool direct_calls = true;    // PYSTON_JIT_DIRECT_CALLS
  bool fast_builtins = true;   // PYSTON_JIT_FAST_BUILTINS
  bool inplace_float = true;   // PYSTON_JIT_INPLACE_FLOAT
  bool handle_exceptions = true;  // PYSTON_JIT_HANDLE_EXCEPTIONS
  bool fuse_slices = true;     // PYSTON_JIT_FUSE_SLICES
  bool defer_stack = true;     // PYSTON_JIT_DEFER_STACK
  static Settings from_environment();
};

// Installs the frame-evaluation hook in the current interpreter. False (with an exception) on failure.
bool enable();
void disable();
bool is_enabled();
// Whether machine code exists for this code object.
bool is_compiled(PyCodeObject* co);
// A new dict: functions compiled, bytes, compile time, deopts and fallbacks by opcode and by reason.
PyObject* stats_dict();

// The pyston_lite module object (used by PyInit_pyston_lite and by the launcher's inittab).
PyObject* create_module();

}  // namespace pyston_jit
