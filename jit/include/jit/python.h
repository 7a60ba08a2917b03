// The one place that includes CPython's headers (3.8 to 3.10, the version being built for), including the
// internal ones the JIT needs (interpreter state for the PEP 523 hook, the eval breaker).
#pragma once
#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>
// pycore_atomic.h uses C11 <stdatomic.h> when this is set, which g++ cannot compile; the GCC builtins it
// falls back to give the same layout.
#undef HAVE_STD_ATOMIC
#include <frameobject.h>
#include <internal/pycore_pystate.h>
#if PY_VERSION_HEX >= 0x03090000
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"  // in 3.9's pycore_object.h, not our code
#include <internal/pycore_interp.h>  // PyInterpreterState's fields (ceval, eval_frame) moved here in 3.9
#include <internal/pycore_object.h>  // the GC-tracking macros became internal in 3.9
#pragma GCC diagnostic pop
#endif
#include <opcode.h>
