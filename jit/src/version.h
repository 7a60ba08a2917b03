// version.h: the JIT's version layer. Everything the JIT knows about CPython that differs between versions
// (what f_lasti and jump arguments count, the frame's stack-top and running fields, where the eval breaker
// lives, the PEP 523 hook, tracing, co_extra's and the dict keys' private layouts, the block stack) is here,
// compiled against the headers of the version being built. Each part is checked against that version's row of
// the version table (versions/this_version.h, measured by versions/version_probe.c): porting to another
// version means giving the parts whose static_assert fails a body for it; the rest of the JIT is written
// against this. Line numbers: tracebacks and tracers get them from f_lasti through CPython's own
// PyCode_Addr2Line / PyFrame_GetLineNumber, so only f_lasti's unit matters; the compiler reads the line table
// (unit_lines) only to store f_lasti where each line starts, for sampling profilers (exact_lines).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "jit/python.h"
#include "measure_loc/line_table.h"
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
// The line of each code unit, decoded by measure_loc's line-table reader (the one decoder of CPython's tables):
// 3.8 and 3.9 keep co_lnotab, 3.10 co_linetable.
inline std::vector<int> unit_lines(PyCodeObject* co) {
#if PY_VERSION_HEX < 0x030A0000
  PyObject* table = co->co_lnotab;
  constexpr auto format = measure_loc::LineTableFormat::Lnotab;
#else
  PyObject* table = co->co_linetable;
  constexpr auto format = measure_loc::LineTableFormat::Ranges;
#endif
  auto* bytes = reinterpret_cast<const std::uint8_t*>(PyBytes_AS_STRING(table));
  return measure_loc::unit_lines(format, {bytes, size_t(PyBytes_GET_SIZE(table))}, co->co_firstlineno,
                                 int(PyBytes_GET_SIZE(co->co_code)));
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
// pointer and f_executing says whether the frame runs; 3.10 keeps a depth (f_stackdepth, -1 while running)
// and f_state (created, suspended, executing, returned, raised). Compiled code stores the stack top at
// kFrameStackTop itself (compiler.cpp's store_stack_top): a pointer, or with kStackTopIsDepth the depth.
constexpr bool kStackTopIsDepth = kThisVersion.stack_top == StackTopKind::Depth;
constexpr int32_t kFrameStackTop =
    int32_t(kStackTopIsDepth ? kThisVersion.frame_stackdepth : kThisVersion.frame_stacktop);
#if PY_VERSION_HEX < 0x030A0000
static_assert(!kStackTopIsDepth && kThisVersion.frame_stacktop == offsetof(PyFrameObject, f_stacktop));
static_assert(kThisVersion.frame_run_state == offsetof(PyFrameObject, f_executing) &&
              kThisVersion.run_state_executing == 1 && kThisVersion.run_state_returned == 0);
inline void set_stack_top(PyFrameObject* f, PyObject** sp) {
  f->f_stacktop = sp;
}
// The stack top of a frame about to run (null for a new frame), which the frame then no longer records.
inline PyObject** take_stack_top(PyFrameObject* f) {
  PyObject** sp = f->f_stacktop;
  f->f_stacktop = nullptr;
  return sp;
}
inline void set_running(PyFrameObject* f) {
  f->f_executing = 1;
}
// After compiled code left the frame (result: what it returned, nullptr for an exception).
inline void set_stopped(PyFrameObject* f, PyObject*) {
  f->f_executing = 0;
}
#else
static_assert(kStackTopIsDepth && kThisVersion.frame_stackdepth == offsetof(PyFrameObject, f_stackdepth));
static_assert(kThisVersion.frame_run_state == offsetof(PyFrameObject, f_state) &&
              kThisVersion.run_state_executing == FRAME_EXECUTING &&
              kThisVersion.run_state_suspended == FRAME_SUSPENDED &&
              kThisVersion.run_state_returned == FRAME_RETURNED && kThisVersion.run_state_raised == FRAME_RAISED);
inline void set_stack_top(PyFrameObject* f, PyObject** sp) {
  f->f_stackdepth = int(sp - f->f_valuestack);
}
inline PyObject** take_stack_top(PyFrameObject* f) {
  PyObject** sp = f->f_valuestack + (f->f_stackdepth > 0 ? f->f_stackdepth : 0);
  f->f_stackdepth = -1;
  return sp;
}
inline void set_running(PyFrameObject* f) {
  f->f_state = FRAME_EXECUTING;
}
// A frame whose compiled code stored a stack top (a yield, or a deopt the interpreter continues) is
// suspended; else it returned (result) or raised (nullptr), with an empty stack.
inline void set_stopped(PyFrameObject* f, PyObject* result) {
  if (f->f_stackdepth >= 0) {
    f->f_state = FRAME_SUSPENDED;
    return;
  }
  f->f_stackdepth = 0;
  f->f_state = result ? FRAME_RETURNED : FRAME_RAISED;
}
#endif

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
// staying in _PyRuntime.ceval. Compiled code tests *eval_breaker_address() | *signals_pending_address().
static_assert(kThisVersion.runtime_main_thread == offsetof(_PyRuntimeState, main_thread));
#if PY_VERSION_HEX < 0x03090000
static_assert(kThisVersion.ceval_home == CevalHome::Runtime &&
              kThisVersion.ceval_offset == offsetof(_PyRuntimeState, ceval));
using CevalState = _ceval_runtime_state;  // eval_breaker, gil_drop_request, pending calls
inline CevalState* ceval_state(PyThreadState*) {
  return &_PyRuntime.ceval;
}
#else
static_assert(kThisVersion.ceval_home == CevalHome::Interpreter &&
              kThisVersion.ceval_offset == offsetof(PyInterpreterState, ceval));
using CevalState = _ceval_state;
inline CevalState* ceval_state(PyThreadState* ts) {
  return &ts->interp->ceval;
}
#endif
static_assert(kThisVersion.ceval_eval_breaker == offsetof(CevalState, eval_breaker) &&
              kThisVersion.ceval_gil_drop_request == offsetof(CevalState, gil_drop_request) &&
              kThisVersion.ceval_pending_calls_to_do == offsetof(CevalState, pending.calls_to_do) &&
              kThisVersion.runtime_signals_pending ==
                  offsetof(_PyRuntimeState, ceval) + offsetof(_ceval_runtime_state, signals_pending));

// The two words compiled code tests at loop edges (for the interpreter `ts` runs in).
inline const void* eval_breaker_address(PyThreadState* ts) {
  return &ceval_state(ts)->eval_breaker;
}
inline const void* signals_pending_address() {
  return &_PyRuntime.ceval.signals_pending;
}
inline bool eval_breaker_set(PyThreadState* ts) {
  return _Py_atomic_load_relaxed(&ceval_state(ts)->eval_breaker);
}
// eval_breaker, or a signal whose eval_breaker update was lost (CPython recomputes it non-atomically).
inline bool eval_breaker_or_signal(PyThreadState* ts) {
  return _Py_atomic_load_relaxed(&ceval_state(ts)->eval_breaker) ||
         _Py_atomic_load_relaxed(&_PyRuntime.ceval.signals_pending);
}
inline bool is_main_thread() {
  return PyThread_get_thread_ident() == _PyRuntime.main_thread;
}

// What the interpreter's eval-breaker check does between instructions: pending calls and signals, a GIL
// hand-off, an asynchronous exception (-1 with it set). 0 to continue.
inline int handle_eval_breaker(PyThreadState* ts) {
  CevalState* ceval = ceval_state(ts);
  if (_Py_atomic_load_relaxed(&_PyRuntime.ceval.signals_pending) ||
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
                (main && (_Py_atomic_load_relaxed(&_PyRuntime.ceval.signals_pending) ||
                          _Py_atomic_load_relaxed(&ceval->pending.calls_to_do)));
    _Py_atomic_store_relaxed(&ceval->eval_breaker, again);
    PyErr_SetNone(exc);
    Py_DECREF(exc);
    return -1;
  }
  return 0;
}

// ---- tracing ----------------------------------------------------------------------------------------------
#if PY_VERSION_HEX < 0x030A0000
static_assert(kThisVersion.tstate_use_tracing == offsetof(PyThreadState, use_tracing));
inline bool tracing(PyThreadState* ts) {
  return ts->use_tracing;
}
inline void set_tracing(PyThreadState* ts, int on) {
  ts->use_tracing = on;
}
#else
static_assert(kThisVersion.tstate_cframe == offsetof(PyThreadState, cframe) &&
              kThisVersion.cframe_use_tracing == offsetof(CFrame, use_tracing));
inline bool tracing(PyThreadState* ts) {
  return ts->cframe->use_tracing;
}
inline void set_tracing(PyThreadState* ts, int on) {
  ts->cframe->use_tracing = on;
}
#endif

// ---- the PEP 523 hook -------------------------------------------------------------------------------------
// 3.7, 3.8: PyObject *(*)(PyFrameObject *, int) stored into interp->eval_frame; 3.9+: a tstate argument
// first, installed with _PyInterpreterState_SetEvalFrameFunc. The JIT's evaluator has the 3.9 signature
// (EvalFrame); hook_for adapts it to this version's.
using EvalFrame = PyObject* (*)(PyThreadState*, PyFrameObject*, int);
#if PY_VERSION_HEX < 0x03090000
static_assert(kThisVersion.eval_frame_hook == EvalFrameHook::InterpreterField &&
              kThisVersion.interp_eval_frame == offsetof(PyInterpreterState, eval_frame));
using EvalFrameFunction = PyObject* (*)(PyFrameObject*, int);
template <EvalFrame Evaluator>
PyObject* hook_for(PyFrameObject* f, int throwflag) {
  return Evaluator(_PyThreadState_GET(), f, throwflag);
}
inline EvalFrameFunction eval_frame_hook(PyInterpreterState* interp) {
  return interp->eval_frame;
}
inline void set_eval_frame_hook(PyInterpreterState* interp, EvalFrameFunction hook) {
  interp->eval_frame = hook;
}
// The stock interpreter: a new frame from its start, or a suspended or deoptimised one after f_lasti
// (throwflag: unwind the pending exception from f_lasti).
inline PyObject* run_in_interpreter(PyThreadState*, PyFrameObject* f, int throwflag) {
  return _PyEval_EvalFrameDefault(f, throwflag);
}
#else
static_assert(kThisVersion.eval_frame_hook == EvalFrameHook::Setter);
using EvalFrameFunction = _PyFrameEvalFunction;
template <EvalFrame Evaluator>
PyObject* hook_for(PyThreadState* ts, PyFrameObject* f, int throwflag) {
  return Evaluator(ts, f, throwflag);
}
inline EvalFrameFunction eval_frame_hook(PyInterpreterState* interp) {
  return _PyInterpreterState_GetEvalFrameFunc(interp);
}
inline void set_eval_frame_hook(PyInterpreterState* interp, EvalFrameFunction hook) {
  _PyInterpreterState_SetEvalFrameFunc(interp, hook);
}
inline PyObject* run_in_interpreter(PyThreadState* ts, PyFrameObject* f, int throwflag) {
  return _PyEval_EvalFrameDefault(ts, f, throwflag);
}
#endif
// The hook to restore when ours goes and there was none before.
inline EvalFrameFunction interpreter_hook() {
  return _PyEval_EvalFrameDefault;
}

// ---- C API that moved or changed its signature ------------------------------------------------------------
// 3.9 moved the recursion limit into the interpreter (ceval.recursion_limit), gave _Py_CheckFunctionResult a
// tstate argument, made the GC-tracking macros internal and moved import_func into interp->imports (3.12).
#if PY_VERSION_HEX < 0x03090000
inline bool below_recursion_limit(PyThreadState* ts) {
  return ts->recursion_depth < _Py_CheckRecursionLimit;
}
inline PyObject* check_function_result(PyObject* callable, PyObject* result) {
  return _Py_CheckFunctionResult(callable, result, nullptr);
}
#else
inline bool below_recursion_limit(PyThreadState* ts) {
  return ts->recursion_depth < ts->interp->ceval.recursion_limit;
}
inline PyObject* check_function_result(PyObject* callable, PyObject* result) {
  return _Py_CheckFunctionResult(_PyThreadState_GET(), callable, result, nullptr);
}
#endif
// Whether a dict that gains `value` must start being tracked by the GC (as insertdict does).
inline bool gc_must_track(PyObject* dict, PyObject* value) {
  return !_PyObject_GC_IS_TRACKED(dict) && _PyObject_GC_MAY_BE_TRACKED(value);
}
// The interpreter's own __import__ (IMPORT_NAME takes a shortcut when builtins.__import__ is still it).
inline PyObject* builtin_import_function(PyThreadState* ts) {
  return ts->interp->import_func;
}

// Error messages: how they name a function ("f()", "C.m()"): PyEval_GetFuncName + PyEval_GetFuncDesc up to
// 3.8, _PyObject_FunctionStr from 3.9 (a new reference, or nullptr with an exception); 3.8's **-merge error
// also told a non-string key apart; and which of __aenter__/__aexit__ a missing-method error names.
#if PY_VERSION_HEX < 0x03090000
inline PyObject* function_description(PyObject* func) {
  return PyUnicode_FromFormat("%.200s%.200s", PyEval_GetFuncName(func), PyEval_GetFuncDesc(func));
}
constexpr bool kMergeReportsNonStringKeys = true;
constexpr bool kAsyncWithFindsEnterFirst = false;  // BEFORE_ASYNC_WITH looks __aexit__ up first
#else
inline PyObject* function_description(PyObject* func) {
  return _PyObject_FunctionStr(func);
}
constexpr bool kMergeReportsNonStringKeys = false;
constexpr bool kAsyncWithFindsEnterFirst = true;
#endif

// Whether GET_AWAITABLE awaits what __aexit__ returned, from the two opcodes before it (for its error
// message): 3.8 called it in WITH_CLEANUP_START; 3.9 in WITH_EXCEPT_START, or with CALL_FUNCTION after
// DUP_TOP on the normal path.
#if PY_VERSION_HEX < 0x03090000
constexpr bool awaits_aexit(int prev, int) {
  return prev == WITH_CLEANUP_START;
}
#else
constexpr bool awaits_aexit(int prev, int before_prev) {
  return prev == WITH_EXCEPT_START || (prev == CALL_FUNCTION && before_prev == DUP_TOP);
}
#endif

// What YIELD_FROM sends into its receiver: the value it yielded (*returned false), or with *returned the value
// it returned (3.10's PyIter_Send); nullptr: it stopped (up to 3.9: take the value from StopIteration) or
// raised. 3.10 dropped _PyGen_Send.
#if PY_VERSION_HEX < 0x030A0000
inline PyObject* send(PyObject* receiver, PyObject* value, bool*) {
  if (PyGen_CheckExact(receiver) || PyCoro_CheckExact(receiver)) return _PyGen_Send((PyGenObject*)receiver, value);
  _Py_IDENTIFIER(send);
  if (value == Py_None) return Py_TYPE(receiver)->tp_iternext(receiver);
  return _PyObject_CallMethodIdObjArgs(receiver, &PyId_send, value, NULL);
}
#else
inline PyObject* send(PyObject* receiver, PyObject* value, bool* returned) {
  PyObject* result = nullptr;
  PySendResult status = PyIter_Send(receiver, value, &result);
  *returned = status == PYGEN_RETURN;
  return status == PYGEN_ERROR ? nullptr : result;
}
#endif

// A generator resumed by compiled code itself (FOR_ITER, YIELD_FROM; eval_hook.cpp's resume_generator) does
// what CPython's gen_send_ex (3.10: gen_send_ex2) does around the evaluation. Up to 3.9 a suspended or new
// generator frame keeps its stack top (f_stacktop), the sent value is pushed there unless the frame is new,
// gi_running says it runs, and a frame that returned keeps no stack top. 3.10 keeps f_state (created,
// suspended, executing, then returned or raised; running is "executing") and pushes the sent value for a new
// frame too (GEN_START pops it).
#if PY_VERSION_HEX < 0x030A0000
inline bool generator_frame_suspended(PyFrameObject* f) {
  return f->f_stacktop != nullptr;
}
inline void push_sent_value(PyFrameObject* f, PyObject* arg) {
  if (f->f_lasti == -1) return;
  PyObject* sent = arg ? arg : Py_None;
  Py_INCREF(sent);
  *(f->f_stacktop++) = sent;
}
inline bool generator_frame_returned(PyFrameObject* f) {
  return f->f_stacktop == nullptr;
}
inline bool generator_running(PyGenObject* gen) {
  return gen->gi_running;
}
inline void set_generator_running(PyGenObject* gen, bool running) {
  gen->gi_running = running;
}
#else
inline bool generator_frame_suspended(PyFrameObject* f) {
  return f->f_state == FRAME_CREATED || f->f_state == FRAME_SUSPENDED;
}
inline void push_sent_value(PyFrameObject* f, PyObject* arg) {
  PyObject* sent = arg ? arg : Py_None;
  Py_INCREF(sent);
  f->f_valuestack[f->f_stackdepth++] = sent;
}
inline bool generator_frame_returned(PyFrameObject* f) {
  return _PyFrameHasCompleted(f);
}
inline bool generator_running(PyGenObject*) {
  return false;  // an executing frame is not suspended (generator_frame_suspended)
}
inline void set_generator_running(PyGenObject*, bool) {}  // f_state says it (set_running, set_stopped)
#endif

// A new frame for a call of the Python function `func` (code `co`), not GC-tracked, for the direct-call path.
// nullptr with an error set: the call fails; nullptr without one: no cheap frame, take CPython's own path.
// Up to 3.8 libpython exports _PyFrame_New_NoTrack. From 3.9 it is hidden, and PyFrame_New (tracked, then
// untracked; on 3.10 with a lookup of __builtins__) cost more than the direct call saves (pyston3.10, exact
// instructions per iteration with direct calls on / off: richards 271M / 250M, chaos 476M / 463M). So from
// 3.9 the frame is the one CPython parks on the code object when a call of it returns (co_zombieframe: its
// locals already cleared, its size the code's), set up as CPython's frame constructor does; with none parked
// (the first call, or a recursive one while the parked frame is in use) CPython's path makes one.
#if PY_VERSION_HEX < 0x03090000
inline PyFrameObject* new_function_frame(PyThreadState* ts, PyObject* func, PyCodeObject* co) {
  return _PyFrame_New_NoTrack(ts, co, PyFunction_GET_GLOBALS(func), nullptr);
}
#else
inline PyFrameObject* new_function_frame(PyThreadState* ts, PyObject* func, PyCodeObject* co) {
  auto* f = static_cast<PyFrameObject*>(co->co_zombieframe);
  if (!f) return nullptr;
  PyObject* globals = PyFunction_GET_GLOBALS(func);
  PyFrameObject* back = ts->frame;
#if PY_VERSION_HEX < 0x030A0000
  PyObject* builtins;
  if (back && back->f_globals == globals) {
    builtins = back->f_builtins;
  } else {
    _Py_IDENTIFIER(__builtins__);
    builtins = _PyDict_GetItemIdWithError(globals, &PyId___builtins__);
    if (builtins && PyModule_Check(builtins)) builtins = PyModule_GetDict(builtins);
    if (!builtins) {  // unusual globals: CPython's path deals with them (and reports the error again)
      PyErr_Clear();
      return nullptr;
    }
  }
#else
  PyObject* builtins = ((PyFunctionObject*)func)->func_builtins;
#endif
  co->co_zombieframe = nullptr;
  _Py_NewReference((PyObject*)f);
  Py_XINCREF(back);
  f->f_back = back;
  Py_INCREF(co);  // f_code is already co
  Py_INCREF(builtins);
  f->f_builtins = builtins;
  Py_INCREF(globals);
  f->f_globals = globals;
  f->f_locals = nullptr;
  f->f_trace = nullptr;
  f->f_trace_lines = 1;
  f->f_trace_opcodes = 0;
  f->f_gen = nullptr;
  f->f_lasti = -1;
  f->f_iblock = 0;
#if PY_VERSION_HEX < 0x030A0000
  f->f_stacktop = f->f_valuestack;
  f->f_lineno = co->co_firstlineno;
  f->f_executing = 0;
#else
  f->f_stackdepth = 0;
  f->f_lineno = 0;
  f->f_state = FRAME_CREATED;
#endif
  return f;
}
#endif

// ---- C API 3.9 stopped exporting ---------------------------------------------------------------------------
// Up to 3.8 libpython exports these private functions; from 3.9 they are internal (hidden), so the JIT does
// their work with what is exported.
#if PY_VERSION_HEX < 0x03090000
// `await x`: x's iterator (a new reference), or nullptr with TypeError.
inline PyObject* awaitable_iter(PyObject* o) {
  return _PyCoro_GetAwaitableIter(o);
}
// The value an async generator yields, wrapped (new reference) so the caller can tell it from an await.
inline PyObject* async_gen_wrap(PyObject* v) {
  return _PyAsyncGenValueWrapperNew(v);
}
// globals[name] or builtins[name] (both exact dicts), borrowed; nullptr: missing, or an exception.
inline PyObject* load_global(PyObject* globals, PyObject* builtins, PyObject* name) {
  return _PyDict_LoadGlobal((PyDictObject*)globals, (PyDictObject*)builtins, name);
}
// owner.__dict__[name] = v (the dict at *dictptr, created with shared keys if needed), as the generic store
// does once it found no descriptor.
inline int set_instance_dict_item(PyObject* owner, PyObject** dictptr, PyObject* name, PyObject* v) {
  return _PyObjectDict_SetItem(Py_TYPE(owner), dictptr, name, v);
}
#else
inline bool is_coroutine(PyObject* o) {
  return PyCoro_CheckExact(o) ||
         (PyGen_CheckExact(o) && (((PyCodeObject*)((PyGenObject*)o)->gi_code)->co_flags & CO_ITERABLE_COROUTINE));
}
inline PyObject* awaitable_iter(PyObject* o) {
  if (is_coroutine(o)) {
    Py_INCREF(o);
    return o;
  }
  PyTypeObject* type = Py_TYPE(o);
  unaryfunc await = type->tp_as_async ? type->tp_as_async->am_await : nullptr;
  if (!await) {
    PyErr_Format(PyExc_TypeError, "object %.100s can't be used in 'await' expression", type->tp_name);
    return nullptr;
  }
  PyObject* iter = await(o);
  if (iter && is_coroutine(iter)) {
    PyErr_SetString(PyExc_TypeError, "__await__() returned a coroutine");
    Py_CLEAR(iter);
  } else if (iter && !PyIter_Check(iter)) {
    PyErr_Format(PyExc_TypeError, "__await__() returned non-iterator of type '%.100s'", Py_TYPE(iter)->tp_name);
    Py_CLEAR(iter);
  }
  return iter;
}
// genobject.c's private wrapper: an object header and the value (its type is exported, and its deallocator
// frees what PyObject_GC_New allocated).
struct AsyncGenWrappedValue {
  PyObject_HEAD
  PyObject* value;
};
inline PyObject* async_gen_wrap(PyObject* v) {
  if (_PyAsyncGenWrappedValue_Type.tp_basicsize != Py_ssize_t(sizeof(AsyncGenWrappedValue))) {
    PyErr_SetString(PyExc_SystemError, "pyston_lite: unexpected async generator value wrapper layout");
    return nullptr;
  }
  auto* w = PyObject_GC_New(AsyncGenWrappedValue, &_PyAsyncGenWrappedValue_Type);
  if (!w) return nullptr;
  Py_INCREF(v);
  w->value = v;
  PyObject_GC_Track(w);
  return (PyObject*)w;
}
inline PyObject* load_global(PyObject* globals, PyObject* builtins, PyObject* name) {
  PyObject* v = PyDict_GetItemWithError(globals, name);
  if (v || PyErr_Occurred()) return v;
  return PyDict_GetItemWithError(builtins, name);
}
inline int set_instance_dict_item(PyObject* owner, PyObject**, PyObject* name, PyObject* v) {
  return _PyObject_GenericSetAttrWithDict(owner, name, v, nullptr);
}
#endif

// The sub-iterator a suspended generator or coroutine delegates to with YIELD_FROM (a new reference), or
// nullptr: it is not suspended at one.
inline PyObject* yield_from_target(PyGenObject* gen) {
  PyFrameObject* f = gen->gi_frame;
  if (!f || f->f_lasti < 0 || _Py_OPCODE(unit_near_lasti(f, 1)) != YIELD_FROM) return nullptr;
#if PY_VERSION_HEX < 0x030A0000
  PyObject* target = f->f_stacktop[-1];
#else
  PyObject* target = f->f_valuestack[f->f_stackdepth - 1];
#endif
  Py_INCREF(target);
  return target;
}

// ---- 3.10's line numbers and NameError (PEP 626, PEP 657's precursor) ----------------------------------------
// A finished frame's f_lineno is its last instruction's line (test_compile checks the line of an implicit
// return), so a return must store f_lasti even where nothing after it calls out; 3.8 and 3.9 make no such
// promise, and there it stays a store saved.
constexpr bool kFinishedFrameKeepsLine = PY_VERSION_HEX >= 0x030A0000;
// The handler value of the EXCEPT_HANDLER block the unwinder pushes: 3.10 records the raising instruction
// (RERAISE 1 puts it back into f_lasti, so a re-raised exception keeps its line); earlier versions -1.
inline int except_handler_value(PyFrameObject* f) {
  return PY_VERSION_HEX >= 0x030A0000 ? f->f_lasti : -1;
}
// 3.10's NameError carries the missing name (for "Did you mean ...?" suggestions): set it on the NameError
// just raised.
inline void set_name_error_name(PyObject* name) {
#if PY_VERSION_HEX >= 0x030A0000
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  if (value && PyErr_GivenExceptionMatches(value, PyExc_NameError) &&
      ((PyNameErrorObject*)value)->name == nullptr && PyObject_SetAttrString(value, "name", name) < 0)
    PyErr_Clear();
  PyErr_Restore(type, value, tb);
#else
  (void)name;
#endif
}

// ---- `is`, `is not`, `in` and `not in` -----------------------------------------------------------------------
// COMPARE_OP with PyCmp_IS / PyCmp_IS_NOT and PyCmp_IN / PyCmp_NOT_IN up to 3.8; IS_OP and CONTAINS_OP
// (oparg 1: `is not`, `not in`) from 3.9.
#if PY_VERSION_HEX < 0x03090000
constexpr bool is_identity_test(int opcode, int oparg) {
  return opcode == COMPARE_OP && (oparg == PyCmp_IS || oparg == PyCmp_IS_NOT);
}
constexpr bool identity_negated(int oparg) {
  return oparg == PyCmp_IS_NOT;
}
constexpr bool is_containment_test(int opcode, int oparg) {
  return opcode == COMPARE_OP && (oparg == PyCmp_IN || oparg == PyCmp_NOT_IN);
}
constexpr bool containment_negated(int oparg) {
  return oparg == PyCmp_NOT_IN;
}
#else
constexpr bool is_identity_test(int opcode, int) {
  return opcode == IS_OP;
}
constexpr bool identity_negated(int oparg) {
  return oparg != 0;
}
constexpr bool is_containment_test(int opcode, int) {
  return opcode == CONTAINS_OP;
}
constexpr bool containment_negated(int oparg) {
  return oparg != 0;
}
#endif

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
