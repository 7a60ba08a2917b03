// Calls made by compiled code (CALL_FUNCTION, CALL_FUNCTION_KW, CALL_METHOD): Python functions run directly
// in their machine code, and guarded fast paths for a few builtins (len, isinstance, type).
#pragma once
#include "jit/python.h"

namespace pyston_jit {

// PYSTON_JIT_DIRECT_CALLS: a call of a plain Python function whose code is compiled creates the frame and
// enters the machine code itself (no _PyFunction_Vectorcall, eval-frame hook or co_extra lookup chain).
extern bool g_direct_calls;
// PYSTON_JIT_FAST_BUILTINS: len(), isinstance() and type(x) answered without a call when the callee is the
// real builtin and the answer is cheap.
extern bool g_fast_builtins;

// Same contract as _PyObject_Vectorcall; the caller must pass PY_VECTORCALL_ARGUMENTS_OFFSET only when
// args[-1] may be overwritten for the duration of the call.
PyObject* call_from_compiled(PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames);

// Same contract as _PyFunction_Vectorcall; runs the callee's machine code directly when it can
// (eval_hook.cpp).
PyObject* call_python_function(PyObject* func, PyObject* const* args, size_t nargsf, PyObject* kwnames);

// Remembers the builtins the fast paths recognise by identity (called once when the JIT is first enabled).
void init_call_fast_paths();

}  // namespace pyston_jit
