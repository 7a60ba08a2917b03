// Telling people's tools about compiled code: perf's /tmp/perf-PID.map, GDB's JIT interface, and
// PYSTON_JIT_DUMP listings.
#pragma once
#include <string>

#include "jit/compiler.h"
#include "jit/jit.h"

namespace pyston_jit {

// A readable name for compiled code: py::qualname:file:line.
std::string symbol_name(PyCodeObject* co);
// Tells perf, gdb and PYSTON_JIT_DUMP about new code (as the settings ask); sets fn.gdb_registration.
void announce_compiled(PyCodeObject* co, CompiledFunction& fn, const std::string& listing,
                       const Settings& settings);
// Takes a function's symbol back from gdb (its code is being freed).
void unregister_from_gdb(void* registration);

}  // namespace pyston_jit
