// Calls made by compiled code (CALL_FUNCTION, CALL_FUNCTION_KW, CALL_METHOD): Python functions run directly
// in their machine code, and guarded fast paths for a few builtins (len, isinstance, type).
#pragma once
#include "jit/python.h"
#include "jit/settings.h"  // g_direct_calls, g_fast_builtins

namespace pyston_jit {

// Same contract as _PyObject_Vectorcall; the caller must pass PY_VECTORCALL_ARGUMENTS_OFFSET only when
// args[-1] may be overwritten for the duration of the call.
PyObject* call_from_compiled(PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames);

// `obj.method(...)` (CALL_METHOD) where the method is a builtin type's method descriptor (list.append,
// dict.get, set.add, str.join, ...): args[0] is the receiver, args[1..nargs-1] the arguments. Calls its C
// function as CPython's method_vectorcall_* does (receiver type check, recursion level, result check), minus
// the dispatch. False, with nothing done, for calling conventions not handled here or a receiver of another
// type (the generic call then raises what CPython raises); else *result is the result or nullptr with the
// exception set.
bool call_method_descriptor(PyObject* descr, PyObject* const* args, Py_ssize_t nargs, PyObject** result);
extern long g_builtin_method_calls;  // calls call_method_descriptor made (stats(): builtin_method_calls)

// Same contract as _PyFunction_Vectorcall; runs the callee's machine code directly when it can
// (eval_hook.cpp).
PyObject* call_python_function(PyObject* func, PyObject* const* args, size_t nargsf, PyObject* kwnames);

// How resume_generator left a generator.
enum class Resumed { kNotHere, kYielded, kReturned, kRaised };

// Resumes the exact generator `gen` (sending `arg`; nullptr for next()) in its machine code, doing what
// CPython's gen_send_ex does around the evaluation, without its dispatch (eval_hook.cpp). kNotHere: not
// resumable this way (running, finished, a value sent to a new generator, not compiled, tracing, a pending
// signal): nothing was done, the caller takes CPython's path. Else *result is the yielded value (kYielded) or
// the returned value (kReturned; the frame released, no StopIteration made), or nullptr with the exception
// set (kRaised; a StopIteration from the generator's code became RuntimeError, as CPython does).
Resumed resume_generator(PyGenObject* gen, PyObject* arg, PyObject** result);

// Remembers the builtins the fast paths recognise by identity (called once when the JIT is first enabled).
void init_call_fast_paths();

}  // namespace pyston_jit
