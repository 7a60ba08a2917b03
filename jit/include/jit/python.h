// The one place that includes CPython 3.8's headers, including the internal ones the JIT needs
// (interpreter state for the PEP 523 hook, the eval breaker in _PyRuntime).
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
#include <opcode.h>
