// Calls made by compiled code (CALL_FUNCTION, CALL_FUNCTION_KW, CALL_METHOD): Python functions run directly
// in their machine code, and guarded fast paths for a few builtins (len, isinstance, type).
#pragma once
#include "jit/python.h"
#include "jit/settings.h"  // g_direct_calls, g_fast_builtins

namespace pyston_jit {

// Same contract as _PyObject_Vectorcall; the caller must pass PY_VECTORCALL_ARGUMENTS_OFFSET only when
// args[-1] may be overwritten for the duration of the call.
PyObject* call_from_compiled(PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames);

// Same contract as _PyFunction_Vectorcall; runs the callee's machine code directly when it can
// (eval_hook.cpp).
PyObject* call_python_function(PyObject* func, PyObject* const* args, size_t nargsf, PyObject* kwnames);

// Remembers the builtins the fast paths recognise by identity (called once when the JIT is first enabled).
void init_call_fast_paths();

}  // namespace pyston_jit
