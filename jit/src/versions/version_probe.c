/* version_probe.c: compiled at build time against one CPython version's headers (3.7-3.10) and linked with
 * its libpython; prints that version's VersionLayout (version_layout.h) as a C++ initializer. Offsets come
 * from the headers; what the headers do not say (the unit of f_lasti and jumps, the private co_extra and
 * dict-keys layouts) is measured in a running interpreter, and the probe fails the build if the JIT's copy is
 * wrong. */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <frameobject.h>
#include <opcode.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if PY_VERSION_HEX >= 0x03090000
#include <internal/pycore_interp.h>
#include <internal/pycore_runtime.h>
#elif PY_VERSION_HEX >= 0x03080000
#include <internal/pycore_pystate.h>
#else
#include <internal/pystate.h>
#endif

#if PY_VERSION_HEX < 0x03070000 || PY_VERSION_HEX >= 0x030B0000
#error "version_probe.c knows CPython 3.7 to 3.10 (3.11 replaced PyFrameObject by _PyInterpreterFrame)"
#endif

#define FIELD(name, value) printf("    .%s = %lld,\n", name, (long long)(value))
#define ENUM(name, value) printf("    .%s = %s,\n", name, value)
#define ABSENT(name) FIELD(name, -1)

static int fail(const char* what) {
  fprintf(stderr,
          "version_probe (Python %s): %s.\n"
          "  The JIT's copy of this version's private layout is wrong: fix jit/src/versions/version_probe.c "
          "(and the code that relies on it) before building for this version.\n",
          PY_VERSION, what);
  return 1;
}

/* ---- from the headers ---------------------------------------------------------------------------------- */

static void print_hook(void) {
#if PY_VERSION_HEX >= 0x03090000
  _Static_assert(
      __builtin_types_compatible_p(_PyFrameEvalFunction, PyObject * (*)(PyThreadState*, PyFrameObject*, int)),
      "3.9+: the evaluator takes the thread state first");
  ENUM("eval_frame_hook", "EvalFrameHook::Setter");
#else
  _Static_assert(__builtin_types_compatible_p(_PyFrameEvalFunction, PyObject * (*)(PyFrameObject*, int)),
                 "3.7, 3.8: the evaluator takes (frame, throwflag)");
  ENUM("eval_frame_hook", "EvalFrameHook::InterpreterField");
#endif
  FIELD("interp_eval_frame", offsetof(PyInterpreterState, eval_frame));
  FIELD("interp_co_extra_user_count", offsetof(PyInterpreterState, co_extra_user_count));
}

static void print_eval_breaker(void) {
#if PY_VERSION_HEX >= 0x03090000
  typedef struct _ceval_state Ceval;
  ENUM("ceval_home", "CevalHome::Interpreter");
  FIELD("ceval_offset", offsetof(PyInterpreterState, ceval));
#else
  typedef struct _ceval_runtime_state Ceval;
  ENUM("ceval_home", "CevalHome::Runtime");
  FIELD("ceval_offset", offsetof(_PyRuntimeState, ceval));
#endif
  FIELD("ceval_eval_breaker", offsetof(Ceval, eval_breaker));
  FIELD("ceval_gil_drop_request", offsetof(Ceval, gil_drop_request));
  FIELD("ceval_pending_calls_to_do", offsetof(Ceval, pending.calls_to_do));
  FIELD("ceval_pending_async_exc", offsetof(Ceval, pending.async_exc));
#if PY_VERSION_HEX >= 0x03080000
  FIELD("runtime_signals_pending", offsetof(_PyRuntimeState, ceval.signals_pending));
  FIELD("runtime_main_thread", offsetof(_PyRuntimeState, main_thread));
#else
  ABSENT("runtime_signals_pending");
  FIELD("runtime_main_thread", offsetof(_PyRuntimeState, ceval.pending.main_thread));
#endif
}

static void print_thread_state(void) {
  FIELD("tstate_interp", offsetof(PyThreadState, interp));
  FIELD("tstate_frame", offsetof(PyThreadState, frame));
  FIELD("tstate_recursion_depth", offsetof(PyThreadState, recursion_depth));
#if PY_VERSION_HEX >= 0x030A0000
  ABSENT("tstate_use_tracing");
  FIELD("tstate_cframe", offsetof(PyThreadState, cframe));
  FIELD("cframe_use_tracing", offsetof(CFrame, use_tracing));
#else
  FIELD("tstate_use_tracing", offsetof(PyThreadState, use_tracing));
  ABSENT("tstate_cframe");
  ABSENT("cframe_use_tracing");
#endif
  FIELD("tstate_async_exc", offsetof(PyThreadState, async_exc));
  FIELD("tstate_exc_info", offsetof(PyThreadState, exc_info));
  FIELD("tstate_c_tracefunc", offsetof(PyThreadState, c_tracefunc));
  FIELD("tstate_c_profilefunc", offsetof(PyThreadState, c_profilefunc));
}

static void print_frame(void) {
  FIELD("frame_size", sizeof(PyFrameObject));
  FIELD("frame_back", offsetof(PyFrameObject, f_back));
  FIELD("frame_code", offsetof(PyFrameObject, f_code));
  FIELD("frame_builtins", offsetof(PyFrameObject, f_builtins));
  FIELD("frame_globals", offsetof(PyFrameObject, f_globals));
  FIELD("frame_locals", offsetof(PyFrameObject, f_locals));
  FIELD("frame_valuestack", offsetof(PyFrameObject, f_valuestack));
  FIELD("frame_trace", offsetof(PyFrameObject, f_trace));
  FIELD("frame_lasti", offsetof(PyFrameObject, f_lasti));
  FIELD("frame_lineno", offsetof(PyFrameObject, f_lineno));
  FIELD("frame_iblock", offsetof(PyFrameObject, f_iblock));
  FIELD("frame_blockstack", offsetof(PyFrameObject, f_blockstack));
  FIELD("frame_localsplus", offsetof(PyFrameObject, f_localsplus));
#if PY_VERSION_HEX >= 0x030A0000
  _Static_assert(sizeof(((PyFrameObject*)0)->f_state) == 1, "f_state is one byte");
  ENUM("stack_top", "StackTopKind::Depth");
  ABSENT("frame_stacktop");
  FIELD("frame_stackdepth", offsetof(PyFrameObject, f_stackdepth));
  FIELD("frame_run_state", offsetof(PyFrameObject, f_state));
  FIELD("run_state_executing", FRAME_EXECUTING);
  FIELD("run_state_suspended", FRAME_SUSPENDED);
  FIELD("run_state_returned", FRAME_RETURNED);
  FIELD("run_state_raised", FRAME_RAISED);
#else
  _Static_assert(sizeof(((PyFrameObject*)0)->f_executing) == 1, "f_executing is one byte");
  ENUM("stack_top", "StackTopKind::Pointer");
  FIELD("frame_stacktop", offsetof(PyFrameObject, f_stacktop));
  ABSENT("frame_stackdepth");
  FIELD("frame_run_state", offsetof(PyFrameObject, f_executing));
  FIELD("run_state_executing", 1);
  FIELD("run_state_suspended", 0);
  FIELD("run_state_returned", 0);
  FIELD("run_state_raised", 0);
#endif
  FIELD("try_block_size", sizeof(PyTryBlock));
  FIELD("try_block_type", offsetof(PyTryBlock, b_type));
  FIELD("try_block_handler", offsetof(PyTryBlock, b_handler));
  FIELD("try_block_level", offsetof(PyTryBlock, b_level));
  FIELD("max_blocks", CO_MAXBLOCKS);
  FIELD("block_except_handler", EXCEPT_HANDLER);
}

static void print_code(void) {
  FIELD("code_argcount", offsetof(PyCodeObject, co_argcount));
#if PY_VERSION_HEX >= 0x03080000
  FIELD("code_posonlyargcount", offsetof(PyCodeObject, co_posonlyargcount));
#else
  ABSENT("code_posonlyargcount");
#endif
  FIELD("code_kwonlyargcount", offsetof(PyCodeObject, co_kwonlyargcount));
  FIELD("code_nlocals", offsetof(PyCodeObject, co_nlocals));
  FIELD("code_flags", offsetof(PyCodeObject, co_flags));
  FIELD("code_code", offsetof(PyCodeObject, co_code));
  FIELD("code_consts", offsetof(PyCodeObject, co_consts));
  FIELD("code_names", offsetof(PyCodeObject, co_names));
  FIELD("code_varnames", offsetof(PyCodeObject, co_varnames));
  FIELD("code_freevars", offsetof(PyCodeObject, co_freevars));
  FIELD("code_cellvars", offsetof(PyCodeObject, co_cellvars));
  FIELD("code_filename", offsetof(PyCodeObject, co_filename));
  FIELD("code_name", offsetof(PyCodeObject, co_name));
  FIELD("code_firstlineno", offsetof(PyCodeObject, co_firstlineno));
#if PY_VERSION_HEX >= 0x030A0000
  FIELD("code_line_table", offsetof(PyCodeObject, co_linetable));
#else
  FIELD("code_line_table", offsetof(PyCodeObject, co_lnotab));
#endif
  FIELD("code_extra", offsetof(PyCodeObject, co_extra));
}

/* ---- measured in a running interpreter ----------------------------------------------------------------- */

/* The JIT's copies of private layouts (codeobject.c's _PyCodeObjectExtra, dictobject.c's keys object),
 * unchanged from 3.7 to 3.10; main() checks them on real objects. */
typedef struct {
  Py_ssize_t ce_size;
  void* ce_extras[1];
} CodeExtra;
typedef struct {
  Py_ssize_t dk_refcnt;
  Py_ssize_t dk_size;
  void* dk_lookup;
  Py_ssize_t dk_usable;
  Py_ssize_t dk_nentries;
  char dk_indices[8];
} KeysHeader;
typedef struct {
  Py_hash_t me_hash;
  PyObject* me_key;
  PyObject* me_value;
} KeyEntry;

static PyObject* raw_lasti(PyObject* self, PyObject* unused) {
  (void)self;
  (void)unused;
  return PyLong_FromLong(PyEval_GetFrame()->f_lasti);
}
static PyMethodDef kRawLasti = {"raw_lasti", raw_lasti, METH_NOARGS, NULL};

/* Sets `lasti` (the raw f_lasti of a frame calling raw_lasti), `call` (that call's byte offset per dis),
 * `jump_arg` and `jump_target` (an absolute jump's argument and its byte target per dis), and `split` (an
 * instance dict sharing its keys with its class, holding alpha=1, beta=2). */
static const char kScript[] =
    "import dis\n"
    "def probe():\n"
    "    a = 1\n"
    "    b = a\n"
    "    return raw_lasti()\n"
    "lasti = probe()\n"
    "call = [i.offset for i in dis.get_instructions(probe) if i.opname.startswith('CALL')][0]\n"
    "loop = compile('while x:\\n    x -= 1\\n', '<probe>', 'exec')\n"
    "jump_arg, jump_target = [(i.arg, i.argval) for i in dis.get_instructions(loop)\n"
    "                         if i.opcode in dis.hasjabs][0]\n"
    "class Split: pass\n"
    "s = Split(); s.alpha = 1; s.beta = 2\n"
    "split = s.__dict__\n";

static long get_long(PyObject* globals, const char* name) {
  PyObject* v = PyDict_GetItemString(globals, name);
  return v ? PyLong_AsLong(v) : -1;
}

static int print_units(PyObject* globals) {
  long lasti = get_long(globals, "lasti"), call = get_long(globals, "call");
  long jump_arg = get_long(globals, "jump_arg"), jump_target = get_long(globals, "jump_target");
  const char* unit;
  if (call <= 0 || jump_target <= 0) return fail("dis found no call or no absolute jump in the probe's code");
  if (lasti == call && jump_arg == jump_target) {
    unit = "CodeOffsetUnit::Bytes";
  } else if (lasti * 2 == call && jump_arg * 2 == jump_target) {
    unit = "CodeOffsetUnit::CodeUnits";
  } else {
    return fail("f_lasti and jump arguments are neither both bytes nor both code units");
  }
  ENUM("lasti_unit", unit);
#if PY_VERSION_HEX >= 0x030A0000
  ENUM("line_table", "LineTableKind::Linetable");
#else
  ENUM("line_table", "LineTableKind::Lnotab");
#endif
  return 0;
}

static int print_code_extra(PyObject* globals) {
  PyObject* probe = PyDict_GetItemString(globals, "probe");
  PyCodeObject* code = probe ? (PyCodeObject*)PyFunction_GetCode(probe) : NULL;
  Py_ssize_t index = _PyEval_RequestCodeExtraIndex(NULL);
  static int marker;
  if (!code || index < 0 || _PyCode_SetExtra((PyObject*)code, index, &marker) < 0)
    return fail("could not set a co_extra slot");
  CodeExtra* extra = (CodeExtra*)code->co_extra;
  if (!extra || extra->ce_size <= index || extra->ce_extras[index] != &marker)
    return fail("co_extra does not point to {Py_ssize_t ce_size; void *ce_extras[]}");
  FIELD("code_extra_count", offsetof(CodeExtra, ce_size));
  FIELD("code_extra_slots", offsetof(CodeExtra, ce_extras));
  return 0;
}

static void print_type(void) {
  FIELD("type_flags", offsetof(PyTypeObject, tp_flags));
  FIELD("type_version_tag", offsetof(PyTypeObject, tp_version_tag));
  FIELD("tpflags_valid_version_tag", Py_TPFLAGS_VALID_VERSION_TAG);
}

static int print_dict(PyObject* globals) {
  PyDictObject* split = (PyDictObject*)PyDict_GetItemString(globals, "split");
  if (!split || !split->ma_values) return fail("instances of a plain class do not get split dicts");
  KeysHeader* keys = (KeysHeader*)split->ma_keys;
  Py_ssize_t size = keys->dk_size;
  int width = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffLL ? 4 : 8;
  if (keys->dk_nentries != 2 || size < 2 || (size & (size - 1)) != 0 || keys->dk_refcnt < 2)
    return fail("the dict keys header is not {refcnt, size, lookup, usable, nentries, indices}");
  KeyEntry* entries = (KeyEntry*)(keys->dk_indices + size * width);
  PyObject* beta = entries[1].me_key;
  if (!beta || !PyUnicode_Check(beta) || PyUnicode_CompareWithASCIIString(beta, "beta") != 0 ||
      entries[1].me_hash != PyObject_Hash(beta) || PyLong_AsLong(split->ma_values[1]) != 2)
    return fail("split-dict entries are not {hash, key, value} after the indices");
  FIELD("dict_used", offsetof(PyDictObject, ma_used));
  FIELD("dict_version_tag", offsetof(PyDictObject, ma_version_tag));
  FIELD("dict_keys", offsetof(PyDictObject, ma_keys));
  FIELD("dict_values", offsetof(PyDictObject, ma_values));
  FIELD("keys_size", offsetof(KeysHeader, dk_size));
  FIELD("keys_nentries", offsetof(KeysHeader, dk_nentries));
  FIELD("keys_indices", offsetof(KeysHeader, dk_indices));
  FIELD("keys_entry_size", sizeof(KeyEntry));
  FIELD("entry_hash", offsetof(KeyEntry, me_hash));
  FIELD("entry_key", offsetof(KeyEntry, me_key));
  FIELD("entry_value", offsetof(KeyEntry, me_value));
  return 0;
}

/* ---- opcodes ------------------------------------------------------------------------------------------- */

static int print_compare_args(void) {
#if PY_VERSION_HEX >= 0x03090000
  ABSENT("compare_in");
  ABSENT("compare_not_in");
  ABSENT("compare_is");
  ABSENT("compare_is_not");
  ABSENT("compare_exc_match");
#else
  FIELD("compare_in", PyCmp_IN);
  FIELD("compare_not_in", PyCmp_NOT_IN);
  FIELD("compare_is", PyCmp_IS);
  FIELD("compare_is_not", PyCmp_IS_NOT);
  FIELD("compare_exc_match", PyCmp_EXC_MATCH);
#endif
  return 0;
}

/* Every opcode name of 3.7-3.10. A name this version's opcode.h defines expands to its number; one it does
 * not define stays a name, which is how the probe tells them apart. tests/jit/version_layout_test.cpp checks
 * the result against each version's Lib/opcode.py, so a name missing here fails that test. */
#define SPELL_(x) #x
#define SPELL(x) SPELL_(x)
#define OP(name) {#name, SPELL(name)},
/* clang-format off */
static const struct {
  const char* name;
  const char* value;
} kOpcodeNames[] = {
    OP(POP_TOP) OP(ROT_TWO) OP(ROT_THREE) OP(DUP_TOP) OP(DUP_TOP_TWO) OP(ROT_FOUR) OP(NOP) OP(UNARY_POSITIVE)
    OP(UNARY_NEGATIVE) OP(UNARY_NOT) OP(UNARY_INVERT) OP(BINARY_MATRIX_MULTIPLY) OP(INPLACE_MATRIX_MULTIPLY)
    OP(BINARY_POWER) OP(BINARY_MULTIPLY) OP(BINARY_MODULO) OP(BINARY_ADD) OP(BINARY_SUBTRACT)
    OP(BINARY_SUBSCR) OP(BINARY_FLOOR_DIVIDE) OP(BINARY_TRUE_DIVIDE) OP(INPLACE_FLOOR_DIVIDE)
    OP(INPLACE_TRUE_DIVIDE) OP(GET_LEN) OP(MATCH_MAPPING) OP(MATCH_SEQUENCE) OP(MATCH_KEYS)
    OP(COPY_DICT_WITHOUT_KEYS) OP(RERAISE) OP(WITH_EXCEPT_START) OP(GET_AITER) OP(GET_ANEXT)
    OP(BEFORE_ASYNC_WITH) OP(BEGIN_FINALLY) OP(END_ASYNC_FOR) OP(INPLACE_ADD) OP(INPLACE_SUBTRACT)
    OP(INPLACE_MULTIPLY) OP(INPLACE_MODULO) OP(STORE_SUBSCR) OP(DELETE_SUBSCR) OP(BINARY_LSHIFT)
    OP(BINARY_RSHIFT) OP(BINARY_AND) OP(BINARY_XOR) OP(BINARY_OR) OP(INPLACE_POWER) OP(GET_ITER)
    OP(GET_YIELD_FROM_ITER) OP(PRINT_EXPR) OP(LOAD_BUILD_CLASS) OP(YIELD_FROM) OP(GET_AWAITABLE)
    OP(LOAD_ASSERTION_ERROR) OP(INPLACE_LSHIFT) OP(INPLACE_RSHIFT) OP(INPLACE_AND) OP(INPLACE_XOR)
    OP(INPLACE_OR) OP(BREAK_LOOP) OP(WITH_CLEANUP_START) OP(WITH_CLEANUP_FINISH) OP(LIST_TO_TUPLE)
    OP(RETURN_VALUE) OP(IMPORT_STAR) OP(SETUP_ANNOTATIONS) OP(YIELD_VALUE) OP(POP_BLOCK) OP(END_FINALLY)
    OP(POP_EXCEPT) OP(STORE_NAME) OP(DELETE_NAME) OP(UNPACK_SEQUENCE) OP(FOR_ITER) OP(UNPACK_EX)
    OP(STORE_ATTR) OP(DELETE_ATTR) OP(STORE_GLOBAL) OP(DELETE_GLOBAL) OP(ROT_N) OP(LOAD_CONST) OP(LOAD_NAME)
    OP(BUILD_TUPLE) OP(BUILD_LIST) OP(BUILD_SET) OP(BUILD_MAP) OP(LOAD_ATTR) OP(COMPARE_OP) OP(IMPORT_NAME)
    OP(IMPORT_FROM) OP(JUMP_FORWARD) OP(JUMP_IF_FALSE_OR_POP) OP(JUMP_IF_TRUE_OR_POP) OP(JUMP_ABSOLUTE)
    OP(POP_JUMP_IF_FALSE) OP(POP_JUMP_IF_TRUE) OP(LOAD_GLOBAL) OP(IS_OP) OP(CONTAINS_OP) OP(CONTINUE_LOOP)
    OP(SETUP_LOOP) OP(SETUP_EXCEPT) OP(JUMP_IF_NOT_EXC_MATCH) OP(SETUP_FINALLY) OP(LOAD_FAST) OP(STORE_FAST)
    OP(DELETE_FAST) OP(GEN_START) OP(RAISE_VARARGS) OP(CALL_FUNCTION) OP(MAKE_FUNCTION) OP(BUILD_SLICE)
    OP(LOAD_CLOSURE) OP(LOAD_DEREF) OP(STORE_DEREF) OP(DELETE_DEREF) OP(CALL_FUNCTION_KW) OP(CALL_FUNCTION_EX)
    OP(SETUP_WITH) OP(EXTENDED_ARG) OP(LIST_APPEND) OP(SET_ADD) OP(MAP_ADD) OP(LOAD_CLASSDEREF)
    OP(BUILD_LIST_UNPACK) OP(BUILD_MAP_UNPACK) OP(BUILD_MAP_UNPACK_WITH_CALL) OP(MATCH_CLASS)
    OP(BUILD_TUPLE_UNPACK) OP(BUILD_SET_UNPACK) OP(SETUP_ASYNC_WITH) OP(FORMAT_VALUE) OP(BUILD_CONST_KEY_MAP)
    OP(BUILD_STRING) OP(BUILD_TUPLE_UNPACK_WITH_CALL) OP(LOAD_METHOD) OP(CALL_METHOD) OP(CALL_FINALLY)
    OP(LIST_EXTEND) OP(POP_FINALLY) OP(SET_UPDATE) OP(DICT_MERGE) OP(DICT_UPDATE)};
/* clang-format on */

static int print_opcodes(void) {
  const char* names[256] = {0};
  FIELD("have_argument", HAVE_ARGUMENT);
  for (size_t i = 0; i < sizeof kOpcodeNames / sizeof kOpcodeNames[0]; i++) {
    if (strcmp(kOpcodeNames[i].name, kOpcodeNames[i].value) == 0) continue; /* not in this version */
    int number = atoi(kOpcodeNames[i].value);
    if (number <= 0 || number > 255 || names[number])
      return fail("an opcode number is out of range or taken twice");
    names[number] = kOpcodeNames[i].name;
  }
  printf("    .opcode_names = {");
  for (int op = 0; op < 256; op++) {
    if (op % 4 == 0) printf("\n       ");
    if (names[op])
      printf(" \"%s\",", names[op]);
    else
      printf(" nullptr,");
  }
  printf("\n    },\n");
  return 0;
}

/* Writes to argv[1] only when every check passed, so a failed probe leaves no table for the build to use. */
int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OUTPUT.inc\n", argv[0]);
    return 2;
  }
  char partial[4096];
  snprintf(partial, sizeof partial, "%s.partial", argv[1]);
  if (!freopen(partial, "w", stdout)) {
    perror(partial);
    return 1;
  }
  Py_IgnoreEnvironmentFlag = 1;
  Py_NoUserSiteDirectory = 1;
  Py_InitializeEx(0);
  PyObject* globals = PyModule_GetDict(PyImport_AddModule("__main__"));
  PyObject* fn = PyCFunction_New(&kRawLasti, NULL);
  if (!fn || PyDict_SetItemString(globals, "raw_lasti", fn) < 0) return fail("could not define raw_lasti");
  PyObject* result = PyRun_String(kScript, Py_file_input, globals, globals);
  if (!result) {
    PyErr_Print();
    return fail("the probe's Python code failed");
  }
  printf("// Generated by version_probe.c against Python %s; do not edit.\n{\n", PY_VERSION);
  FIELD("major", PY_MAJOR_VERSION);
  FIELD("minor", PY_MINOR_VERSION);
  int failed = print_units(globals);
  if (!failed) {
    print_hook();
    print_eval_breaker();
    print_thread_state();
    print_frame();
    print_code();
    failed = print_code_extra(globals);
  }
  if (!failed) {
    print_type();
    failed = print_dict(globals) || print_compare_args() || print_opcodes();
  }
  printf("}\n");
  if (fclose(stdout) != 0 || failed) {
    remove(partial);
    return 1;
  }
  return rename(partial, argv[1]) == 0 ? 0 : fail("could not rename the table into place");
}
