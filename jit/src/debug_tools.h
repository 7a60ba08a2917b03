// Telling people's tools about compiled code: perf's /tmp/perf-PID.map, GDB's JIT interface, and
// PYSTON_JIT_DUMP listings.
#pragma once
#include <string>

#include "jit/compiler.h"
#include "jit/jit.h"

namespace pyston_jit {

// A readable name for compiled code: py::qualname:file:line.
std::string symbol_name(PyCodeObject* co);
void announce_compiled(PyCodeObject* co, const CompiledFunction& fn, const std::string& listing,
                       const Settings& settings);

}  // namespace pyston_jit
