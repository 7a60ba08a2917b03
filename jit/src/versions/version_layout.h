// version_layout.h: what the JIT needs to know about one CPython version (3.7-3.10), as data. The build
// compiles version_probe.c against each installed version's headers and runs it; the compiler reads these
// fields instead of `#if PY_MINOR_VERSION` or offsetof() on one version's structs.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace pyston_jit {

// What f_lasti and jump arguments count (and so what a code-unit index is multiplied by).
enum class CodeOffsetUnit {
  Bytes,      // 3.7-3.9: f_lasti = byte offset of the last instruction; jump arguments in bytes
  CodeUnits,  // 3.10: both count 2-byte code units (PyCode_Addr2Line still takes bytes)
};

enum class LineTableKind {
  Lnotab,     // 3.7-3.9: co_lnotab
  Linetable,  // 3.10: co_linetable (PEP 626)
};

// How a PEP 523 frame evaluator is installed, and its signature.
enum class EvalFrameHook {
  InterpreterField,  // 3.7, 3.8: store PyObject *(*)(PyFrameObject *, int) into interp->eval_frame
  Setter,            // 3.9+: _PyInterpreterState_SetEvalFrameFunc(interp, PyObject *(*)(tstate, frame, int))
};

// Whose struct holds eval_breaker, gil_drop_request and the pending calls (`ceval_*` below).
enum class CevalHome {
  Runtime,      // 3.7, 3.8: _PyRuntime.ceval (one for the process)
  Interpreter,  // 3.9+: interp->ceval (per interpreter; signals_pending stays in _PyRuntime.ceval)
};

// How a suspended frame keeps its value stack.
enum class StackTopKind {
  Pointer,  // 3.7-3.9: f_stacktop, NULL while the frame runs or once it finished
  Depth,    // 3.10: f_stackdepth (an int), suspension told by f_state
};

// Offsets are in bytes from the start of the named struct; -1 means the field does not exist in this
// version. Field order is the probe's output order (designated initializers).
struct VersionLayout {
  std::int64_t major, minor;
  CodeOffsetUnit lasti_unit;  // measured by the probe: f_lasti of a running frame, and a jump's argument
  LineTableKind line_table;
  EvalFrameHook eval_frame_hook;

  // PyInterpreterState
  std::int64_t interp_eval_frame, interp_co_extra_user_count;

  // Eval breaker: &ceval = (base of ceval_home) + ceval_offset; the ceval_* fields are offsets from &ceval.
  CevalHome ceval_home;
  std::int64_t ceval_offset;
  std::int64_t ceval_eval_breaker, ceval_gil_drop_request, ceval_pending_calls_to_do, ceval_pending_async_exc;
  std::int64_t runtime_signals_pending;  // from &_PyRuntime; -1 in 3.7 (signals arrive as pending calls)
  std::int64_t runtime_main_thread;      // from &_PyRuntime

  // PyThreadState; tracing is tstate->use_tracing up to 3.9 and tstate->cframe->use_tracing in 3.10.
  std::int64_t tstate_interp, tstate_frame, tstate_recursion_depth, tstate_use_tracing, tstate_cframe,
      cframe_use_tracing, tstate_async_exc, tstate_exc_info, tstate_c_tracefunc, tstate_c_profilefunc;

  // PyFrameObject
  std::int64_t frame_size;  // sizeof(PyFrameObject), up to and including one f_localsplus slot
  std::int64_t frame_back, frame_code, frame_builtins, frame_globals, frame_locals, frame_valuestack,
      frame_trace, frame_lasti, frame_lineno, frame_iblock, frame_blockstack, frame_localsplus;
  StackTopKind stack_top;
  std::int64_t frame_stacktop, frame_stackdepth;
  // f_executing (3.7-3.9) or f_state (3.10): one byte. The value to store on entry and on each way out;
  // with f_executing the three ways out all store 0. These are values, not offsets: 3.10's FRAME_SUSPENDED
  // is -1.
  std::int64_t frame_run_state, run_state_executing, run_state_suspended, run_state_returned,
      run_state_raised;

  // PyTryBlock and the block stack
  std::int64_t try_block_size, try_block_type, try_block_handler, try_block_level, max_blocks,
      block_except_handler;

  // PyCodeObject
  std::int64_t code_argcount, code_posonlyargcount, code_kwonlyargcount, code_nlocals, code_flags, code_code,
      code_consts, code_names, code_varnames, code_freevars, code_cellvars, code_filename, code_name,
      code_firstlineno, code_line_table, code_extra;
  // codeobject.c's private _PyCodeObjectExtra (what co_extra points to); checked by the probe against a real
  // code object after _PyCode_SetExtra.
  std::int64_t code_extra_count, code_extra_slots;

  // PyTypeObject: a version tag is valid only with Py_TPFLAGS_VALID_VERSION_TAG set.
  std::int64_t type_flags, type_version_tag, tpflags_valid_version_tag;

  // PyDictObject, and dictobject.c's private keys header and entry (checked by the probe on a split dict).
  std::int64_t dict_used, dict_version_tag, dict_keys, dict_values;
  std::int64_t keys_size, keys_nentries, keys_indices, keys_entry_size, entry_hash, entry_key, entry_value;

  // COMPARE_OP arguments past the six rich comparisons; -1 from 3.9 (IS_OP, CONTAINS_OP,
  // JUMP_IF_NOT_EXC_MATCH took them over).
  std::int64_t compare_in, compare_not_in, compare_is, compare_is_not, compare_exc_match;

  // Opcodes: name of each number (nullptr: unused in this version), from the version's opcode.h.
  std::int64_t have_argument;
  std::array<const char*, 256> opcode_names;

  // The number of opcode `name` in this version, or -1.
  int opcode(const char* name) const;
};

// Layouts generated at build time, one per CPython version found (see PB_JIT_PYTHON_VERSIONS); 3.8 is
// always there.
std::span<const VersionLayout> version_layouts();
// The layout of major.minor, or nullptr if that version was not built.
const VersionLayout* version_layout(int major, int minor);

}  // namespace pyston_jit
