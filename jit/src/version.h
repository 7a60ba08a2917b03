// version.h: the JIT's version layer. Everything the JIT knows about CPython that differs between versions
// (what f_lasti and jump arguments count, the frame's stack-top and running fields, where the eval breaker
// lives, the PEP 523 hook, tracing, co_extra's and the dict keys' private layouts, the block stack) is here,
// compiled against the headers of the version being built. Each part is checked against that version's row of
// the version table (versions/this_version.h, measured by versions/version_probe.c): porting to another
// version means giving the parts whose static_assert fails a body for it; the rest of the JIT is written
// against this. Line numbers: the JIT never reads a line table (tracebacks and tracers get them from f_lasti
// through CPython's own PyCode_Addr2Line / PyFrame_GetLineNumber), so only f_lasti's unit matters.
#pragma once

#include <cstddef>
#include <cstdint>

#include "jit/python.h"
#include "versions/this_version.h"

namespace pyston_jit::version {

// ---- code units, f_lasti and jump arguments
// ---------------------------------------------------------------- The compiler counts code units (2-byte
// instructions, including EXTENDED_ARG prefixes); f_lasti, jump arguments and a block's handler count bytes
// up to 3.9 and code units from 3.10.
constexpr bool kLastiCountsBytes = kThisVersion.lasti_unit == CodeOffsetUnit::Bytes;
constexpr int kLastiPerUnit = kLastiCountsBytes ? int(sizeof(_Py_CODEUNIT)) : 1;
static_assert(sizeof(_Py_CODEUNIT) == 2);

inline const _Py_CODEUNIT* code_units(PyCodeObject* co) {
  return reinterpret_cast<const _Py_CODEUNIT*>(PyBytes_AS_STRING(co->co_code));
}
inline int code_unit_count(PyCodeObject* co) {
  return int(PyBytes_GET_SIZE(co->co_code) / Py_ssize_t(sizeof(_Py_CODEUNIT)));
}
// What f_lasti holds while the instruction at code unit `unit` runs (also a block's handler for that target).
constexpr int lasti_of_instruction(int unit) {
  return unit * kLastiPerUnit;
}
// The code unit of the instruction f_lasti names (lasti >= 0).
constexpr int instruction_of_lasti(int lasti) {
  return lasti / kLastiPerUnit;
}
// The code unit a jump goes to: `oparg` counted from the next instruction's code unit (relative) or from 0.
constexpr int jump_target(bool relative, int next_unit, int oparg) {
  return (relative ? next_unit : 0) + oparg / kLastiPerUnit;
}
// The code unit `delta` units from the one f_lasti names (no EXTENDED_ARG skipping).
inline _Py_CODEUNIT unit_near_lasti(PyFrameObject* f, int delta) {
  return code_units(f->f_code)[instruction_of_lasti(f->f_lasti) + delta];
}

// ---- the frame --------------------------------------------------------------------------------------------
// Offsets the compiled code addresses from the frame register.
constexpr int32_t kFrameLasti = int32_t(kThisVersion.frame_lasti);
constexpr int32_t kFrameLocalsplus = int32_t(kThisVersion.frame_localsplus);
constexpr int32_t kFrameValuestack = int32_t(kThisVersion.frame_valuestack);
constexpr int32_t kFrameGlobals = int32_t(kThisVersion.frame_globals);
constexpr int32_t kFrameBuiltins = int32_t(kThisVersion.frame_builtins);
static_assert(kFrameLasti == offsetof(PyFrameObject, f_lasti) &&
              kFrameLocalsplus == offsetof(PyFrameObject, f_localsplus) &&
              kFrameValuestack == offsetof(PyFrameObject, f_valuestack) &&
              kFrameGlobals == offsetof(PyFrameObject, f_globals) &&
              kFrameBuiltins == offsetof(PyFrameObject, f_builtins));

// A frame that is not running keeps its value-stack top for whoever resumes it (a generator's next send, or
// the interpreter after a deopt); a running or finished frame keeps none. Up to 3.9 that is the f_stacktop
// pointer and f_executing says whether the frame runs; 3.10 keeps a depth (f_stackdepth) and f_state.
// Compiled code stores the stack pointer at kFrameStackTop itself (compiler.cpp's store_stack_top).
static_assert(kThisVersion.stack_top == StackTopKind::Pointer &&
                  kThisVersion.frame_stacktop == offsetof(PyFrameObject, f_stacktop),
              "this version keeps f_stackdepth: give set_stack_top, take_stack_top and the compiler's "
              "store_stack_top a body storing sp - f_valuestack");
static_assert(kThisVersion.frame_run_state == offsetof(PyFrameObject, f_executing) &&
                  kThisVersion.run_state_executing == 1 && kThisVersion.run_state_returned == 0,
              "this version has f_state: set_running must store the run_state_* values");
constexpr int32_t kFrameStackTop = int32_t(kThisVersion.frame_stacktop);

inline void set_stack_top(PyFrameObject* f, PyObject** sp) {
  f->f_stacktop = sp;
}
// The stack top of a frame about to run (null for a new frame), which the frame then no longer records.
inline PyObject** take_stack_top(PyFrameObject* f) {
  PyObject** sp = f->f_stacktop;
  f->f_stacktop = nullptr;
  return sp;
}
inline void set_running(PyFrameObject* f, bool running) {
  f->f_executing = running;
}

// The block stack (SETUP_* blocks and the handlers the unwinder enters): alike in 3.7-3.10, gone in 3.11.
static_assert(kThisVersion.frame_iblock == offsetof(PyFrameObject, f_iblock) &&
              kThisVersion.frame_blockstack == offsetof(PyFrameObject, f_blockstack) &&
              kThisVersion.try_block_size == sizeof(PyTryBlock) &&
              kThisVersion.try_block_handler == offsetof(PyTryBlock, b_handler));
inline void push_block(PyFrameObject* f, int type, int handler, int level) {
  PyFrame_BlockSetup(f, type, handler, level);
}
inline PyTryBlock* pop_block(PyFrameObject* f) {
  return PyFrame_BlockPop(f);
}
// The innermost block, removed, or nullptr when there is none (the unwinder's walk).
inline PyTryBlock* pop_block_for_unwinding(PyFrameObject* f) {
  return f->f_iblock > 0 ? &f->f_blockstack[--f->f_iblock] : nullptr;
}

// ---- the eval breaker -------------------------------------------------------------------------------------
// Set when signals, pending calls, a GIL drop request or an asynchronous exception wait. 3.7 and 3.8 keep it
// in _PyRuntime.ceval (one for the process), 3.9 and 3.10 per interpreter (interp->ceval), signals_pending
// staying in _PyRuntime.ceval. Compiled code tests eval_breaker | signals_pending at kEvalBreaker and
// kSignalsPending from ceval_state().
static_assert(kThisVersion.ceval_home == CevalHome::Runtime &&
                  kThisVersion.ceval_offset == offsetof(_PyRuntimeState, ceval),
              "the eval breaker is per interpreter here: ceval_state() and the compiled test must read "
              "interp->ceval (signals_pending stays in _PyRuntime.ceval)");
using CevalState = _ceval_runtime_state;
constexpr int32_t kEvalBreaker = int32_t(kThisVersion.ceval_eval_breaker);
constexpr int32_t kSignalsPending = int32_t(kThisVersion.runtime_signals_pending - kThisVersion.ceval_offset);
static_assert(kEvalBreaker == offsetof(CevalState, eval_breaker) &&
              kSignalsPending == offsetof(CevalState, signals_pending) &&
              kThisVersion.ceval_gil_drop_request == offsetof(CevalState, gil_drop_request) &&
              kThisVersion.ceval_pending_calls_to_do == offsetof(CevalState, pending.calls_to_do) &&
              kThisVersion.runtime_main_thread == offsetof(_PyRuntimeState, main_thread));

inline CevalState* ceval_state() {
  return &_PyRuntime.ceval;
}
inline bool eval_breaker_set() {
  return _Py_atomic_load_relaxed(&_PyRuntime.ceval.eval_breaker);
}
// eval_breaker, or a signal whose eval_breaker update was lost (CPython recomputes it non-atomically).
inline bool eval_breaker_or_signal() {
  return _Py_atomic_load_relaxed(&_PyRuntime.ceval.eval_breaker) ||
         _Py_atomic_load_relaxed(&_PyRuntime.ceval.signals_pending);
}
inline bool is_main_thread() {
  return PyThread_get_thread_ident() == _PyRuntime.main_thread;
}

// What the interpreter's eval-breaker check does between instructions: pending calls and signals, a GIL
// hand-off, an asynchronous exception (-1 with it set). 0 to continue.
inline int handle_eval_breaker(PyThreadState* ts) {
  CevalState* ceval = ceval_state();
  if (_Py_atomic_load_relaxed(&ceval->signals_pending) ||
      _Py_atomic_load_relaxed(&ceval->pending.calls_to_do)) {
    if (Py_MakePendingCalls() < 0) return -1;
  }
  if (_Py_atomic_load_relaxed(&ceval->gil_drop_request)) {
    PyEval_RestoreThread(PyEval_SaveThread());  // lets the requesting thread take the GIL
  }
  if (ts->async_exc) {
    PyObject* exc = ts->async_exc;
    ts->async_exc = nullptr;
    ceval->pending.async_exc = 0;
    bool main = is_main_thread();
    int again = _Py_atomic_load_relaxed(&ceval->gil_drop_request) ||
                (main && (_Py_atomic_load_relaxed(&ceval->signals_pending) ||
                          _Py_atomic_load_relaxed(&ceval->pending.calls_to_do)));
    _Py_atomic_store_relaxed(&ceval->eval_breaker, again);
    PyErr_SetNone(exc);
    Py_DECREF(exc);
    return -1;
  }
  return 0;
}

// ---- tracing ----------------------------------------------------------------------------------------------
static_assert(kThisVersion.tstate_use_tracing == offsetof(PyThreadState, use_tracing),
              "tracing is tstate->cframe->use_tracing here");
inline bool tracing(PyThreadState* ts) {
  return ts->use_tracing;
}
inline void set_tracing(PyThreadState* ts, int on) {
  ts->use_tracing = on;
}

// ---- the PEP 523 hook -------------------------------------------------------------------------------------
// 3.7, 3.8: PyObject *(*)(PyFrameObject *, int) stored into interp->eval_frame; 3.9+: a tstate argument
// first, installed with _PyInterpreterState_SetEvalFrameFunc. eval_hook.cpp's eval_frame has this signature.
static_assert(kThisVersion.eval_frame_hook == EvalFrameHook::InterpreterField &&
                  kThisVersion.interp_eval_frame == offsetof(PyInterpreterState, eval_frame),
              "this version installs the hook with _PyInterpreterState_SetEvalFrameFunc and passes tstate");
using EvalFrameFunction = PyObject* (*)(PyFrameObject*, int);
inline EvalFrameFunction eval_frame_hook(PyInterpreterState* interp) {
  return interp->eval_frame;
}
inline void set_eval_frame_hook(PyInterpreterState* interp, EvalFrameFunction hook) {
  interp->eval_frame = hook;
}
// The stock interpreter: a new frame from its start, or a suspended or deoptimised one after f_lasti
// (throwflag: unwind the pending exception from f_lasti).
inline PyObject* run_in_interpreter(PyFrameObject* f, int throwflag) {
  return _PyEval_EvalFrameDefault(f, throwflag);
}
// The hook to restore when ours goes and there was none before.
inline EvalFrameFunction interpreter_hook() {
  return _PyEval_EvalFrameDefault;
}

// ---- C API that moved or changed its signature ------------------------------------------------------------
// 3.9 moved the recursion limit into the interpreter (ceval.recursion_limit), gave _Py_CheckFunctionResult a
// tstate argument, made the GC-tracking macros internal and moved import_func into interp->imports (3.12).
inline bool below_recursion_limit(PyThreadState* ts) {
  return ts->recursion_depth < _Py_CheckRecursionLimit;
}
inline PyObject* check_function_result(PyObject* callable, PyObject* result) {
  return _Py_CheckFunctionResult(callable, result, nullptr);
}
// Whether a dict that gains `value` must start being tracked by the GC (as insertdict does).
inline bool gc_must_track(PyObject* dict, PyObject* value) {
  return !_PyObject_GC_IS_TRACKED(dict) && _PyObject_GC_MAY_BE_TRACKED(value);
}
// The interpreter's own __import__ (IMPORT_NAME takes a shortcut when builtins.__import__ is still it).
inline PyObject* builtin_import_function(PyThreadState* ts) {
  return ts->interp->import_func;
}

// ---- co_extra ---------------------------------------------------------------------------------------------
// codeobject.c's private _PyCodeObjectExtra (what co_extra points to), read directly on the hot path.
struct CodeExtraLayout {
  Py_ssize_t ce_size;
  void* ce_extras[1];
};
static_assert(kThisVersion.code_extra == offsetof(PyCodeObject, co_extra) &&
              kThisVersion.code_extra_count == offsetof(CodeExtraLayout, ce_size) &&
              kThisVersion.code_extra_slots == offsetof(CodeExtraLayout, ce_extras) &&
              kThisVersion.interp_co_extra_user_count == offsetof(PyInterpreterState, co_extra_user_count));
inline CodeExtraLayout* code_extra(PyCodeObject* co) {
  return static_cast<CodeExtraLayout*>(co->co_extra);
}
// How many co_extra indices were handed out (a new co_extra array gets one slot per index).
inline Py_ssize_t& co_extra_users(PyInterpreterState* interp) {
  return interp->co_extra_user_count;
}

// ---- dict internals ---------------------------------------------------------------------------------------
// dictobject.c's private keys layout (Objects/dict-common.h), to find a key's slot in a split table; checked
// here against the probe's measurement and at run time by split_dict_layout_ok on a real split dict.
struct DictKeysHeader {
  Py_ssize_t dk_refcnt;
  Py_ssize_t dk_size;
  void* dk_lookup;
  Py_ssize_t dk_usable;
  Py_ssize_t dk_nentries;
  char dk_indices[1];
};
struct DictKeyEntry {
  Py_hash_t me_hash;
  PyObject* me_key;
  PyObject* me_value;
};
static_assert(kThisVersion.keys_size == offsetof(DictKeysHeader, dk_size) &&
              kThisVersion.keys_nentries == offsetof(DictKeysHeader, dk_nentries) &&
              kThisVersion.keys_indices == offsetof(DictKeysHeader, dk_indices) &&
              kThisVersion.keys_entry_size == sizeof(DictKeyEntry) &&
              kThisVersion.entry_hash == offsetof(DictKeyEntry, me_hash) &&
              kThisVersion.entry_key == offsetof(DictKeyEntry, me_key) &&
              kThisVersion.entry_value == offsetof(DictKeyEntry, me_value) &&
              kThisVersion.dict_version_tag == offsetof(PyDictObject, ma_version_tag));

}  // namespace pyston_jit::version
