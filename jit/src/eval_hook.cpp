// Tiering and execution: the PEP 523 frame-evaluation hook, per-code-object counters, running compiled code
// and deoptimising into the stock interpreter by resuming the frame there.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "debug_tools.h"
#include "jit/calls.h"
#include "jit/code_memory.h"
#include "jit/compiler.h"
#include "jit/jit.h"
#include "opcode_table.h"
#include "version.h"

namespace pyston_jit {
namespace {

// Our co_extra slot holds either a cold word (bit 0 set: bit 1 = has a loop, the rest = the call counter), so
// the thousands of code objects that only ever run in the interpreter cost no allocation, or a CodeState for
// code we compiled or failed to compile.
constexpr uintptr_t kColdTag = 1, kColdLoop = 2, kColdStep = 4;
bool is_cold_word(const void* p) {
  return reinterpret_cast<uintptr_t>(p) & kColdTag;
}

struct CodeState {
  bool over_memory_cap = false;  // why `compiled` is null
  std::unique_ptr<CompiledFunction> compiled;
  const void* start = nullptr;  // compiled->entry_for(-1): where a new frame begins
};

enum Fallback { kTracing, kThrow, kCompileFailed, kNoEntry, kMemoryCap, kCold, kEvalBreaker, kFallbackCount };
const char* const kFallbackNames[kFallbackCount] = {
    "tracing", "generator_throw", "compile_failed", "no_entry_point", "memory_cap", "cold", "eval_breaker"};

struct Stats {
  long functions_compiled = 0;
  long compile_failures = 0;
  long long compile_ns = 0;
  long long bytecode_bytes = 0;
  long compiled_runs = 0;
  long direct_calls = 0;
  long generator_resumes = 0;  // by compiled code itself (resume_generator)
  long deopts = 0;
  long deopts_for_exceptions = 0;
  long fallbacks[kFallbackCount] = {};
  long deopt_by_opcode[256] = {};
};

Settings g_settings;
Stats g_stats;
CodeMemory* g_memory = nullptr;
Py_ssize_t g_extra_index = -1;
bool g_enabled = false;
version::EvalFrameFunction g_previous = nullptr;

long env_long(const char* name, long fallback) {
  const char* v = getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  long r = strtol(v, &end, 10);
  return end && *end == '\0' ? r : fallback;
}

// The parsers named in settings.def.
bool env_flag(const char* name, bool fallback) {
  return env_long(name, fallback) != 0;
}
long env_threshold(const char* name, long fallback) {
  return env_long(name, env_long("JIT_MIN_RUNS", fallback));
}
size_t env_bytes(const char* name, size_t fallback) {
  long bytes = env_long(name, -1);
  return bytes >= 0 ? size_t(bytes) : fallback;
}
std::string env_text(const char* name, const std::string& fallback) {
  const char* v = getenv(name);
  return v ? std::string(v) : fallback;
}

// A setting's value for stats().
PyObject* to_python(long v) {
  return PyLong_FromLong(v);
}
PyObject* to_python(size_t v) {
  return PyLong_FromSize_t(v);
}
PyObject* to_python(bool v) {
  return PyBool_FromLong(v);
}
PyObject* to_python(const std::string& v) {
  return PyUnicode_DecodeFSDefault(v.c_str());
}

void free_code_state(void* p) {
  if (!is_cold_word(p)) delete static_cast<CodeState*>(p);
}

// Our co_extra slot of `co`, created holding a cold word on first use; nullptr if that fails.
void** slot_for(PyCodeObject* co) {
  if (auto* extra = version::code_extra(co)) {
    if (g_extra_index < extra->ce_size && extra->ce_extras[g_extra_index]) return &extra->ce_extras[g_extra_index];
  }
  void* p = nullptr;
  if (_PyCode_GetExtra((PyObject*)co, g_extra_index, &p) < 0) {
    PyErr_Clear();
    return nullptr;
  }
  if (!p) {
    auto cold = kColdTag | (has_backward_jump(co) ? kColdLoop : 0);
    // CPython 3.8 sizes a new co_extra array for every index registered so far, and code_dealloc then calls
    // every registered free function, even for slots nobody set. So that other co_extra users' free
    // functions are not called for the (many) code objects only we touched, size the array for our index
    // alone; a later _PyCode_SetExtra by them grows it as usual.
    PyInterpreterState* interp = _PyThreadState_GET()->interp;
    Py_ssize_t& registered = version::co_extra_users(interp);
    Py_ssize_t users = registered;
    if (users > g_extra_index + 1) registered = g_extra_index + 1;
    int err = _PyCode_SetExtra((PyObject*)co, g_extra_index, reinterpret_cast<void*>(cold));
    registered = users;
    if (err < 0) {
      PyErr_Clear();
      return nullptr;
    }
  }
  auto* extra = version::code_extra(co);
  return &extra->ce_extras[g_extra_index];
}

void try_compile(PyCodeObject* co, CodeState* st) {
  auto t0 = std::chrono::steady_clock::now();
  CompileOptions options;
  options.want_listing = !g_settings.dump_dir.empty();
#define JIT_SETTING(type, member, variable, fallback, parser, stats_key)
#define JIT_SWITCH(member, variable) options.member = g_settings.member;
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH
  CompileOutcome out = compile_code(co, *g_memory, options);
  g_stats.compile_ns +=
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
  if (!out.function) {
    st->over_memory_cap = out.over_memory_cap;
    if (!out.over_memory_cap) g_stats.compile_failures++;
    return;
  }
  g_stats.functions_compiled++;
  g_stats.bytecode_bytes += PyBytes_GET_SIZE(co->co_code);
  announce_compiled(co, *out.function, out.listing, g_settings);
  st->compiled = std::move(out.function);
  st->start = st->compiled->entry_for(-1);
}

// The opcode a deopt happened at, for the statistics.
int deopt_opcode(PyFrameObject* f, bool resume) {
  const _Py_CODEUNIT* code = version::code_units(f->f_code);
  Py_ssize_t n = version::code_unit_count(f->f_code);
  Py_ssize_t i = f->f_lasti < 0 ? 0 : version::instruction_of_lasti(f->f_lasti) + (resume ? 1 : 0);
  while (i < n && _Py_OPCODE(code[i]) == EXTENDED_ARG) i++;
  return i < n ? _Py_OPCODE(code[i]) : 0;
}

PyObject* interpret(PyThreadState* ts, PyFrameObject* f, int throwflag, Fallback why) {
  g_stats.fallbacks[why]++;
  return version::run_in_interpreter(ts, f, throwflag);
}

int restore_use_tracing(void*) {
  PyThreadState* ts = _PyThreadState_GET();
  version::set_tracing(ts, ts->c_tracefunc != nullptr || ts->c_profilefunc != nullptr);
  return 0;
}

// Continues a frame in the interpreter after a tracer or profiler was installed from inside it. Resuming
// would report a spurious "call" event; CPython reports none, since the frame was already running. So
// use_tracing is cleared across the interpreter's entry and restored by a pending call, which the
// interpreter runs before the frame's next instruction (pending calls run in the main thread only; other
// threads get the spurious event).
PyObject* resume_under_tracing(PyThreadState* ts, PyFrameObject* f, bool thrown) {
  if (version::is_main_thread() && Py_AddPendingCall(restore_use_tracing, nullptr) == 0)
    version::set_tracing(ts, 0);
  return version::run_in_interpreter(ts, f, thrown ? 1 : 0);
}

PyObject* run_compiled(PyThreadState* ts, PyFrameObject* f, const CompiledFunction& fn, const void* target) {
  // The same bookkeeping as the interpreter's entry and exit; a deopt undoes it first because
  // _PyEval_EvalFrameDefault redoes it.
  if (Py_EnterRecursiveCall("")) return nullptr;
  ts->frame = f;
  version::set_running(f);
  PyObject** sp = version::take_stack_top(f);
  g_stats.compiled_runs++;
  PyObject* result = fn.entry(f, sp, target);
  version::set_stopped(f, result);
  ts->frame = f->f_back;
  Py_LeaveRecursiveCall();
  auto marker = (uintptr_t)result;
  if (marker == kDeoptResume || marker == kDeoptThrow) {
    bool thrown = marker == kDeoptThrow;
    g_stats.deopts++;
    if (thrown)
      g_stats.deopts_for_exceptions++;
    else
      g_stats.deopt_by_opcode[deopt_opcode(f, true)]++;
    if (version::tracing(ts)) return resume_under_tracing(ts, f, thrown);
    return version::run_in_interpreter(ts, f, thrown ? 1 : 0);
  }
  return result;
}

// Whether `f` runs under an import (importlib's _call_with_frames_removed is on the stack): module bodies
// and the functions they call once. Loops there do not earn compilation on the first call (it cost the flask
// workload half a megabyte of code per process, run once); they compile when the call counter says they are hot.
bool under_import(PyFrameObject* f) {
  static PyObject* importlib_code = nullptr;  // the code object, once seen (code objects of frozen modules live forever)
  for (PyFrameObject* p = f->f_back; p; p = p->f_back) {
    PyCodeObject* co = p->f_code;
    if ((PyObject*)co == importlib_code) return true;
    if (!importlib_code && _PyUnicode_EqualToASCIIString(co->co_name, "_call_with_frames_removed") &&
        _PyUnicode_EqualToASCIIString(co->co_filename, "<frozen importlib._bootstrap>")) {
      importlib_code = (PyObject*)co;
      Py_INCREF(importlib_code);
      return true;
    }
  }
  return false;
}

PyObject* eval_frame(PyThreadState* ts, PyFrameObject* f, int throwflag) {
  if (version::tracing(ts)) return interpret(ts, f, throwflag, kTracing);
  void** slot = slot_for(f->f_code);
  if (!slot) return interpret(ts, f, throwflag, kCompileFailed);
  if (is_cold_word(*slot)) {
    auto word = reinterpret_cast<uintptr_t>(*slot) + 10 * kColdStep;  // +10 per call
    *slot = reinterpret_cast<void*>(word);
    long counter = long(word / kColdStep);
    bool hot = counter >= g_settings.threshold ? counter >= 5 * g_settings.threshold || !under_import(f)
                                               : (word & kColdLoop) && g_settings.loops_compile_early && !under_import(f);
    if (!hot) return interpret(ts, f, throwflag, kCold);
    if (g_memory->used() >= g_memory->cap()) return interpret(ts, f, throwflag, kMemoryCap);
    auto* fresh = new CodeState;  // compiled, or failed for good
    try_compile(f->f_code, fresh);
    // The first compile runs Python code (split_dict_layout_ok), and a co_extra array only ever grows: read
    // our slot's address again (not through slot_for, whose single call here keeps it inlined).
    slot = &version::code_extra(f->f_code)->ce_extras[g_extra_index];
    *slot = fresh;
  }
  CodeState* st = static_cast<CodeState*>(*slot);
  if (!st->compiled) return interpret(ts, f, throwflag, st->over_memory_cap ? kMemoryCap : kCompileFailed);
  // The interpreter handles signals and pending calls before a frame's first instruction (and skips that at
  // YIELD_FROM so the innermost generator sees them); running such a frame there keeps that order exact.
  if (version::eval_breaker_set(ts)) return interpret(ts, f, throwflag, kEvalBreaker);
  // throw() and close() of a generator (throwflag) enter where compiled code unwinds from the yield.
  const void* target = throwflag        ? st->compiled->throw_entry()
                       : f->f_lasti < 0 ? st->start
                                        : st->compiled->entry_for(f->f_lasti);
  if (!target) return interpret(ts, f, throwflag, throwflag ? kThrow : kNoEntry);
  return run_compiled(ts, f, *st->compiled, target);
}

// The code state of `co` if it exists (never creates one): the hot path of direct calls.
CodeState* existing_state(PyCodeObject* co) {
  auto* extra = version::code_extra(co);
  if (!extra || g_extra_index >= extra->ce_size || is_cold_word(extra->ce_extras[g_extra_index])) return nullptr;
  return static_cast<CodeState*>(extra->ce_extras[g_extra_index]);
}

// Where each parameter of a direct call comes from: the caller's argument array (positional arguments, then
// keyword values) or the function's defaults.
struct ArgumentPlan {
  static constexpr int kMaxParams = 16;
  int8_t source[kMaxParams];  // >= 0: index into the argument array; -1: from the defaults
};

// Maps positional and keyword arguments onto the parameters the way _PyEval_EvalCodeWithName does when it
// succeeds: keywords matched by identity with the parameter names (interned on both sides; anything else,
// and every error case, is left to the generic route), each parameter given at most once, the missing ones
// from the defaults. False: take the generic route.
bool plan_arguments(PyObject* func, PyCodeObject* co, Py_ssize_t nargs, PyObject* kwnames, ArgumentPlan* plan) {
  Py_ssize_t nparams = co->co_argcount, nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  if (nparams > ArgumentPlan::kMaxParams || nargs + nkw > nparams) return false;
  for (Py_ssize_t i = 0; i < nparams; i++) plan->source[i] = int8_t(i < nargs ? i : -2);
  for (Py_ssize_t k = 0; k < nkw; k++) {
    PyObject* name = PyTuple_GET_ITEM(kwnames, k);
    Py_ssize_t i = co->co_posonlyargcount;
    while (i < nparams && PyTuple_GET_ITEM(co->co_varnames, i) != name) i++;
    if (i == nparams || plan->source[i] != -2) return false;
    plan->source[i] = int8_t(nargs + k);
  }
  PyObject* defaults = PyFunction_GET_DEFAULTS(func);
  Py_ssize_t first_default = nparams - (defaults ? PyTuple_GET_SIZE(defaults) : 0);
  for (Py_ssize_t i = nargs; i < nparams; i++) {
    if (plan->source[i] != -2) continue;
    if (i < first_default) return false;
    plan->source[i] = -1;
  }
  return true;
}

// The frame's cells, as _PyEval_EvalCodeWithName makes them: a new cell per cell variable (holding the
// argument's value when the variable is an argument, whose local is then cleared), and the closure's cells
// after them.
bool make_cells(PyFrameObject* f, PyCodeObject* co, PyObject* func) {
  Py_ssize_t ncells = PyTuple_GET_SIZE(co->co_cellvars), nfree = PyTuple_GET_SIZE(co->co_freevars);
  PyObject** locals = f->f_localsplus;
  for (Py_ssize_t i = 0; i < ncells; i++) {
    Py_ssize_t arg = co->co_cell2arg ? co->co_cell2arg[i] : CO_CELL_NOT_AN_ARG;
    PyObject* cell = PyCell_New(arg != CO_CELL_NOT_AN_ARG ? locals[arg] : nullptr);
    if (!cell) return false;
    if (arg != CO_CELL_NOT_AN_ARG) Py_CLEAR(locals[arg]);
    locals[co->co_nlocals + i] = cell;
  }
  PyObject* closure = PyFunction_GET_CLOSURE(func);
  if (nfree && (!closure || PyTuple_GET_SIZE(closure) != nfree)) {
    PyErr_SetString(PyExc_SystemError, "closure does not match the code's free variables");
    return false;
  }
  for (Py_ssize_t i = 0; i < nfree; i++) {
    PyObject* cell = PyTuple_GET_ITEM(closure, i);
    Py_INCREF(cell);
    locals[co->co_nlocals + ncells + i] = cell;
  }
  return true;
}

// Machine code a call can enter directly: the condition under which _PyFunction_Vectorcall takes its fast
// path (positional arguments only, no cells, free variables, *args, **kwargs, keyword-only arguments or
// generator flags), widened to keyword arguments, to calls that leave parameters to their defaults, and to
// closures and functions with cells (for such code _PyEval_EvalCodeWithName builds the same frame: each
// parameter's value in order, then the cells), and everything eval_frame checks before running compiled code. nullptr: go the generic way, which also counts
// cold code towards the threshold.
// What eval_frame checks before it runs compiled code, for callers that enter machine code themselves (direct
// calls, generators resumed by compiled code): no tracing, our hook installed, the code compiled, no pending
// signal or request. nullptr: take CPython's path.
CodeState* enterable_state(PyThreadState* ts, PyCodeObject* co) {
  if (version::tracing(ts) || version::eval_frame_hook(ts->interp) != version::hook_for<eval_frame>) return nullptr;
  CodeState* st = existing_state(co);
  if (!st || !st->compiled || version::eval_breaker_set(ts)) return nullptr;
  return st;
}

CodeState* direct_call_state(PyThreadState* ts, PyCodeObject* co) {
  if (co->co_kwonlyargcount != 0 || (co->co_flags & ~(PyCF_MASK | CO_NOFREE | CO_NESTED)) != (CO_OPTIMIZED | CO_NEWLOCALS))
    return nullptr;
  CodeState* st = enterable_state(ts, co);
  return st && st->start ? st : nullptr;
}

}  // namespace

#define JIT_SETTING(type, member, variable, fallback, parser, stats_key)
#define JIT_SWITCH(member, variable) bool g_##member = true;
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH

Settings Settings::from_environment() {
  Settings s;
#define JIT_SETTING(type, member, variable, fallback, parser, stats_key) s.member = parser(variable, s.member);
#define JIT_SWITCH(member, variable) s.member = env_flag(variable, s.member);
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH
  return s;
}

// Does what _PyFunction_Vectorcall -> function_code_fastcall -> eval_frame would, minus the dispatch: the
// frame is made here, the machine code entered directly (run_compiled: recursion check, tstate->frame,
// f_executing, deopt), and the frame released as function_code_fastcall does (a frame something still holds,
// e.g. a traceback, becomes GC-tracked).
PyObject* call_python_function(PyObject* func, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  auto* co = (PyCodeObject*)PyFunction_GET_CODE(func);
  PyThreadState* ts = _PyThreadState_GET();
  CodeState* st = direct_call_state(ts, co);
  ArgumentPlan plan;
  bool exact = nargs == co->co_argcount && !(kwnames && PyTuple_GET_SIZE(kwnames));
  if (!st || (!exact && !plan_arguments(func, co, nargs, kwnames, &plan)))
    return _PyFunction_Vectorcall(func, args, nargsf, kwnames);
  PyFrameObject* f = version::new_function_frame(ts, func, co);
  if (!f) return PyErr_Occurred() ? nullptr : _PyFunction_Vectorcall(func, args, nargsf, kwnames);
  if (exact) {
    for (Py_ssize_t i = 0; i < nargs; i++) {
      Py_INCREF(args[i]);
      f->f_localsplus[i] = args[i];
    }
  } else {
    PyObject* defaults = PyFunction_GET_DEFAULTS(func);
    Py_ssize_t first_default = co->co_argcount - (defaults ? PyTuple_GET_SIZE(defaults) : 0);
    for (Py_ssize_t i = 0; i < co->co_argcount; i++) {
      PyObject* v = plan.source[i] >= 0 ? args[plan.source[i]] : PyTuple_GET_ITEM(defaults, i - first_default);
      Py_INCREF(v);
      f->f_localsplus[i] = v;
    }
  }
  if (!(co->co_flags & CO_NOFREE) && !make_cells(f, co, func)) {
    Py_DECREF(f);
    return nullptr;
  }
  g_stats.direct_calls++;
  PyObject* result = run_compiled(ts, f, *st->compiled, st->start);
  if (Py_REFCNT(f) > 1) {
    Py_DECREF(f);
    PyObject_GC_Track(f);
  } else {
    ++ts->recursion_depth;  // the frame's teardown may run __del__ while this C stack is still in use
    Py_DECREF(f);
    --ts->recursion_depth;
  }
  return result;
}

// What gen_send_ex does around the evaluation, in its order: the sent value pushed (None for next(); whether a
// new frame gets one is the version's, see version::push_sent_value), f_back set to the resumer's frame, gi_running, the generator's exception state made the
// thread's current one; afterwards all of it undone, and a frame that returned or raised released (its
// exception state cleared first, which may hold a cycle through a traceback). Then the frame's machine code
// runs as eval_frame would run it (run_compiled: recursion check, tstate->frame, deopt).
Resumed resume_generator(PyGenObject* gen, PyObject* arg, PyObject** result) {
  PyFrameObject* f = gen->gi_frame;
  if (version::generator_running(gen) || !f || !version::generator_frame_suspended(f)) return Resumed::kNotHere;
  if (f->f_lasti == -1 && arg && arg != Py_None) return Resumed::kNotHere;  // CPython raises the TypeError
  PyThreadState* ts = _PyThreadState_GET();
  CodeState* st = enterable_state(ts, f->f_code);
  if (!st) return Resumed::kNotHere;
  const void* target = f->f_lasti < 0 ? st->start : st->compiled->entry_for(f->f_lasti);
  if (!target) return Resumed::kNotHere;
  g_stats.generator_resumes++;
  version::push_sent_value(f, arg);
  Py_XINCREF(ts->frame);
  f->f_back = ts->frame;
  version::set_generator_running(gen, true);
  gen->gi_exc_state.previous_item = ts->exc_info;
  ts->exc_info = &gen->gi_exc_state;
  PyObject* r = run_compiled(ts, f, *st->compiled, target);
  ts->exc_info = gen->gi_exc_state.previous_item;
  gen->gi_exc_state.previous_item = nullptr;
  version::set_generator_running(gen, false);
  Py_CLEAR(f->f_back);
  bool returned = r && version::generator_frame_returned(f);
  if (!r && PyErr_ExceptionMatches(PyExc_StopIteration))
    _PyErr_FormatFromCause(PyExc_RuntimeError, "%s", "generator raised StopIteration");
  if (!r || returned) {
    _PyErr_StackItem* exc = &gen->gi_exc_state;
    PyObject *type = exc->exc_type, *value = exc->exc_value, *tb = exc->exc_traceback;
    exc->exc_type = exc->exc_value = exc->exc_traceback = nullptr;
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    f->f_gen = nullptr;
    gen->gi_frame = nullptr;
    Py_DECREF(f);
  }
  *result = r;
  return !r ? Resumed::kRaised : returned ? Resumed::kReturned : Resumed::kYielded;
}

bool enable() {
  if (g_enabled) return true;
  if (!g_memory) {
    g_settings = Settings::from_environment();
#define JIT_SETTING(type, member, variable, fallback, parser, stats_key)
#define JIT_SWITCH(member, variable) g_##member = g_settings.member;
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH
    init_call_fast_paths();
    if (g_settings.cache_attrs) split_dict_layout_ok();
    g_memory = new CodeMemory(g_settings.max_memory);  // lives as long as the process: code may still run
    g_extra_index = _PyEval_RequestCodeExtraIndex(free_code_state);
    if (g_extra_index < 0) {
      PyErr_SetString(PyExc_RuntimeError, "pyston_lite: no code-object extra slot available");
      return false;
    }
  }
  PyInterpreterState* interp = _PyThreadState_GET()->interp;
  g_previous = version::eval_frame_hook(interp);
  version::set_eval_frame_hook(interp, version::hook_for<eval_frame>);
  g_enabled = true;
  return true;
}

void disable() {
  if (!g_enabled) return;
  version::set_eval_frame_hook(_PyThreadState_GET()->interp,
                               g_previous ? g_previous : version::interpreter_hook());
  g_enabled = false;
}

bool is_enabled() {
  return g_enabled;
}

bool is_compiled(PyCodeObject* co) {
  if (g_extra_index < 0) return false;
  void* p = nullptr;
  if (_PyCode_GetExtra((PyObject*)co, g_extra_index, &p) < 0) {
    PyErr_Clear();
    return false;
  }
  return p && !is_cold_word(p) && static_cast<CodeState*>(p)->compiled;
}

PyObject* stats_dict() {
  PyObject* d = PyDict_New();
  if (!d) return nullptr;
  auto set = [d](const char* key, PyObject* v) {
    if (!v) return false;
    int r = PyDict_SetItemString(d, key, v);
    Py_DECREF(v);
    return r == 0;
  };
  auto put = [&set](const char* key, const auto& setting) { return !key || set(key, to_python(setting)); };
  PyObject *by_opcode = PyDict_New(), *fallbacks = PyDict_New();
  bool ok = by_opcode && fallbacks;
  for (int op = 0; ok && op < 256; op++) {
    if (!g_stats.deopt_by_opcode[op]) continue;
    PyObject* v = PyLong_FromLong(g_stats.deopt_by_opcode[op]);
    ok = v && PyDict_SetItemString(by_opcode, kOpcodes[op].name ? kOpcodes[op].name : "?", v) == 0;
    Py_XDECREF(v);
  }
  for (int i = 0; ok && i < kFallbackCount; i++) {
    PyObject* v = PyLong_FromLong(g_stats.fallbacks[i]);
    ok = v && PyDict_SetItemString(fallbacks, kFallbackNames[i], v) == 0;
    Py_XDECREF(v);
  }
  ok = ok && set("enabled", PyBool_FromLong(g_enabled)) &&
       set("functions_compiled", PyLong_FromLong(g_stats.functions_compiled)) &&
       set("compile_failures", PyLong_FromLong(g_stats.compile_failures)) &&
       set("code_bytes", PyLong_FromSize_t(g_memory ? g_memory->used() : 0)) &&
       set("code_bytes_cap", PyLong_FromSize_t(g_memory ? g_memory->cap() : g_settings.max_memory)) &&
       set("bytecode_bytes_compiled", PyLong_FromLongLong(g_stats.bytecode_bytes)) &&
       set("compile_time_s", PyFloat_FromDouble(g_stats.compile_ns / 1e9)) &&
       set("compiled_runs", PyLong_FromLong(g_stats.compiled_runs)) &&
       set("direct_calls", PyLong_FromLong(g_stats.direct_calls)) &&
       set("generator_resumes", PyLong_FromLong(g_stats.generator_resumes)) &&
       set("builtin_method_calls", PyLong_FromLong(g_builtin_method_calls)) &&
       set("deopts", PyLong_FromLong(g_stats.deopts)) &&
       set("deopts_for_exceptions", PyLong_FromLong(g_stats.deopts_for_exceptions)) &&
       set("exceptions_caught_compiled", PyLong_FromLong(g_handlers_entered)) &&
       set("attr_cache_misses", PyLong_FromLong(g_attr_misses)) &&
       set("cache_bytes", PyLong_FromSize_t(g_cache_bytes));
#define JIT_SETTING(type, member, variable, fallback, parser, stats_key) \
  ok = ok && put(stats_key, g_settings.member);
#define JIT_SWITCH(member, variable)
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH
  ok = ok && set("split_dict_caches", PyBool_FromLong(g_settings.cache_attrs && split_dict_layout_ok()));
  if (ok) {
    ok = PyDict_SetItemString(d, "deopts_by_opcode", by_opcode) == 0 &&
         PyDict_SetItemString(d, "fallbacks", fallbacks) == 0;
  }
  Py_XDECREF(by_opcode);
  Py_XDECREF(fallbacks);
  if (!ok) Py_CLEAR(d);
  return d;
}

}  // namespace pyston_jit
