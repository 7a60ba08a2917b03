// The public face of the reference JIT: switch it on and off for the running interpreter, and read its
// statistics. Used by the pyston_lite module and by the pyston launcher.
#pragma once
#include "jit/python.h"
#include "jit/settings.h"

namespace pyston_jit {

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
