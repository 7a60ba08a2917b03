// Out-of-line opcode semantics for compiled code: one function per CPython 3.8 opcode that is not emitted
// inline. Each keeps the frame's value stack exactly as the interpreter would, so a deopt resumes correctly.
#include "jit/runtime_helpers.h"

#include <structmember.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "jit/calls.h"
#include "opcode_table.h"
#include "version.h"

// Exported by libpython 3.8 but not declared in its headers.
extern "C" int _PyObject_GetMethod(PyObject* obj, PyObject* name, PyObject** method);

namespace pyston_jit {

long g_handlers_entered = 0;
long g_attr_misses = 0;
size_t g_cache_bytes = 0;

namespace {

#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define THIRD() (sp[-3])
#define PEEK(n) (sp[-(n)])
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define OK             \
  return StackResult { \
    sp, kOk            \
  }
#define FAIL           \
  return StackResult { \
    sp, kError         \
  }
// Re-run this instruction in the interpreter: only used before any side effect.
#define RETRY          \
  return StackResult { \
    sp, kResumeBefore  \
  }

constexpr const char* kNameErrorMsg = "name '%.200s' is not defined";
constexpr const char* kUnboundLocalMsg = "local variable '%.200s' referenced before assignment";
constexpr const char* kUnboundFreeMsg =
    "free variable '%.200s' referenced before assignment in enclosing scope";
constexpr const char* kCannotCatchMsg =
    "catching classes that do not inherit from BaseException is not allowed";

PyObject* name_at(PyFrameObject* f, int oparg) {
  return PyTuple_GET_ITEM(f->f_code->co_names, oparg);
}
PyObject** freevars(PyFrameObject* f) {
  return f->f_localsplus + f->f_code->co_nlocals;
}

void format_name_error(PyObject* exc, const char* fmt, PyObject* name) {
  const char* s = PyUnicode_AsUTF8(name);
  if (!s) return;
  PyErr_Format(exc, fmt, s);
  if (exc == PyExc_NameError) version::set_name_error_name(name);
}

void format_unbound_cell(PyCodeObject* co, int oparg) {
  if (PyErr_Occurred()) return;
  Py_ssize_t ncells = PyTuple_GET_SIZE(co->co_cellvars);
  if (oparg < ncells)
    format_name_error(PyExc_UnboundLocalError, kUnboundLocalMsg, PyTuple_GET_ITEM(co->co_cellvars, oparg));
  else
    format_name_error(PyExc_NameError, kUnboundFreeMsg, PyTuple_GET_ITEM(co->co_freevars, oparg - ncells));
}

// After a call returns. The interpreter looks at the eval breaker before every instruction, so a signal
// raised by the callee (os.kill, interrupt_main) is handled right after the call, inside the same try block;
// like the interpreter, skip that when the next instruction starts a try/with block. Then, if a tracer or
// profiler was installed meanwhile, the rest of the frame runs in the interpreter so it sees line and c_call
// events.
StackResult after_call(PyFrameObject* f, PyObject** sp) {
  // signals_pending too: CPython recomputes eval_breaker non-atomically (COMPUTE_EVAL_BREAKER), so a signal
  // arriving in that window leaves it 0 with a signal pending; the interpreter gets away with it because
  // its blocking calls check signals on EINTR, but test_signal's stress tests then lose a signal.
  PyThreadState* ts = _PyThreadState_GET();
  if (version::eval_breaker_or_signal(ts)) {
    int next = _Py_OPCODE(version::unit_near_lasti(f, 1));
    if (next != SETUP_FINALLY && next != SETUP_WITH && next != BEFORE_ASYNC_WITH && next != YIELD_FROM &&
        pyston_jit_eval_breaker(f) < 0)
      return StackResult{sp, kError};
  }
  return StackResult{sp, version::tracing(ts) ? kResumeAfter : kOk};
}

// ---- unary and binary operators -------------------------------------------------------------------------

template <PyObject* (*Fn)(PyObject*)>
StackResult unary(PyFrameObject*, PyObject** sp, int) {
  PyObject* v = TOP();
  PyObject* res = Fn(v);
  Py_DECREF(v);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

StackResult op_unary_not(PyFrameObject*, PyObject** sp, int) {
  PyObject* v = POP();
  int err = PyObject_IsTrue(v);
  Py_DECREF(v);
  if (err < 0) FAIL;
  PyObject* res = err ? Py_False : Py_True;
  Py_INCREF(res);
  PUSH(res);
  OK;
}

// ---- fast paths for small ints and floats (PYSTON_JIT_FAST_ARITH) ---------------------------------------

// The value of an exact int of at most one 30-bit digit.
inline bool small_int(PyObject* o, long* v) {
  if (Py_TYPE(o) != &PyLong_Type) return false;
  Py_ssize_t size = Py_SIZE(o);
  if (size < -1 || size > 1) return false;
  *v = size == 0 ? 0 : size * long(((PyLongObject*)o)->ob_digit[0]);
  return true;
}

enum class Arith { kAdd, kSub, kMul, kFloorDiv, kMod, kTrueDiv, kSubscr, kAnd, kOr, kXor, kLshift, kRshift, kOther };

bool as_double(PyObject* o, double* d) {
  long x;
  if (Py_TYPE(o) == &PyFloat_Type) {
    *d = PyFloat_AS_DOUBLE(o);
    return true;
  }
  if (small_int(o, &x)) {
    *d = double(x);
    return true;
  }
  return false;
}

// list[i] / tuple[i] with a small int index in range (new reference), else nullptr.
PyObject* fast_subscr(PyObject* container, PyObject* key) {
  long i;
  if (!small_int(key, &i)) return nullptr;
  PyObject* v = nullptr;
  if (PyList_CheckExact(container)) {
    Py_ssize_t n = PyList_GET_SIZE(container);
    if (i < 0) i += n;
    if (i >= 0 && i < n) v = PyList_GET_ITEM(container, i);
  } else if (PyTuple_CheckExact(container)) {
    Py_ssize_t n = PyTuple_GET_SIZE(container);
    if (i < 0) i += n;
    if (i >= 0 && i < n) v = PyTuple_GET_ITEM(container, i);
  }
  Py_XINCREF(v);
  return v;
}

// A new reference to `a op b` when both are small ints or both exact floats and the answer is easy; else
// nullptr with no exception (the caller takes the generic path).
PyObject* fast_arith(Arith op, PyObject* a, PyObject* b) {
  if (op == Arith::kSubscr) return fast_subscr(a, b);
  long x, y;
  if (small_int(a, &x) && small_int(b, &y)) {
    switch (op) {
      case Arith::kTrueDiv:  // both exactly representable: CPython's own fast path divides the doubles
        return y == 0 ? nullptr : PyFloat_FromDouble(double(x) / double(y));
      case Arith::kAdd:
        return PyLong_FromLong(x + y);
      case Arith::kSub:
        return PyLong_FromLong(x - y);
      case Arith::kMul:
        return PyLong_FromLong(x * y);  // 30 + 30 bits fit
      case Arith::kFloorDiv:
      case Arith::kMod: {
        if (y == 0) return nullptr;
        long q = x / y, r = x % y;
        if (r != 0 && ((r < 0) != (y < 0))) {
          q -= 1;
          r += y;
        }
        return PyLong_FromLong(op == Arith::kMod ? r : q);
      }
      case Arith::kAnd:  // two's complement on longs is what Python's infinite-precision ints do
        return PyLong_FromLong(x & y);
      case Arith::kOr:
        return PyLong_FromLong(x | y);
      case Arith::kXor:
        return PyLong_FromLong(x ^ y);
      case Arith::kLshift:  // |x| < 2**30, so up to 32 places fits in a long
        return y < 0 || y > 32 ? nullptr : PyLong_FromLong(x * (1L << y));
      case Arith::kRshift:  // arithmetic shift rounds towards -inf, as Python's does
        return y < 0 ? nullptr : PyLong_FromLong(x >> (y > 63 ? 63 : y));
      default:
        return nullptr;
    }
  }
  // A float with a float or a small int (exactly representable as a double, as CPython converts it).
  double u, v;
  if ((Py_TYPE(a) == &PyFloat_Type || Py_TYPE(b) == &PyFloat_Type) && as_double(a, &u) && as_double(b, &v)) {
    switch (op) {
      case Arith::kAdd:
        return PyFloat_FromDouble(u + v);
      case Arith::kSub:
        return PyFloat_FromDouble(u - v);
      case Arith::kMul:
        return PyFloat_FromDouble(u * v);
      case Arith::kTrueDiv:
        return v == 0.0 ? nullptr : PyFloat_FromDouble(u / v);
      default:
        return nullptr;
    }
  }
  return nullptr;
}

// Py_True/Py_False (new reference) for a rich comparison of two small ints or two exact floats, else nullptr.
PyObject* fast_compare(int op, PyObject* a, PyObject* b) {
  long x, y;
  double u, v;
  int r;
  if (small_int(a, &x) && small_int(b, &y)) {
    r = op == Py_LT   ? x < y
        : op == Py_LE ? x <= y
        : op == Py_EQ ? x == y
        : op == Py_NE ? x != y
        : op == Py_GT ? x > y
                      : x >= y;
  } else if ((Py_TYPE(a) == &PyFloat_Type || Py_TYPE(b) == &PyFloat_Type) && as_double(a, &u) &&
             as_double(b, &v)) {
    r = op == Py_LT   ? u < v
        : op == Py_LE ? u <= v
        : op == Py_EQ ? u == v
        : op == Py_NE ? u != v
        : op == Py_GT ? u > v
                      : u >= v;
  } else {
    return nullptr;
  }
  PyObject* res = r ? Py_True : Py_False;
  Py_INCREF(res);
  return res;
}

// ---- float results written into a dying operand (PYSTON_JIT_INPLACE_FLOAT) --------------------------------

// Whether nothing but the value stack can see `o`: its one reference is the stack's, or its two are the
// stack's and the local that the next instruction (STORE_FAST) overwrites with the result anyway.
bool only_stack_holds(PyFrameObject* f, PyObject* o) {
  if (Py_REFCNT(o) == 1) return true;
  if (Py_REFCNT(o) != 2) return false;
  _Py_CODEUNIT next = version::unit_near_lasti(f, 1);
  return _Py_OPCODE(next) == STORE_FAST && f->f_localsplus[_Py_OPARG(next)] == o;
}

// `a op b` for + - * / of an exact float with an exact float or small int, stored into `a` (or else `b`, the
// popped right operand) when no one else can observe that float: saves an allocation and a free per
// operation. Returns a new reference to the reused operand, or nullptr (no exception) to take another path.
inline PyObject* inplace_float_arith(PyFrameObject* f, Arith op, PyObject* a, PyObject* b) {
  if (op != Arith::kAdd && op != Arith::kSub && op != Arith::kMul && op != Arith::kTrueDiv) return nullptr;
  PyObject* target;
  if (Py_TYPE(a) == &PyFloat_Type && only_stack_holds(f, a))
    target = a;
  else if (Py_TYPE(b) == &PyFloat_Type && Py_REFCNT(b) == 1)
    target = b;
  else
    return nullptr;
  double u, v, r;
  if (!as_double(a, &u) || !as_double(b, &v)) return nullptr;
  if (op == Arith::kAdd)
    r = u + v;
  else if (op == Arith::kSub)
    r = u - v;
  else if (op == Arith::kMul)
    r = u * v;
  else if (v != 0.0)
    r = u / v;
  else
    return nullptr;  // ZeroDivisionError: the generic path raises it
  ((PyFloatObject*)target)->ob_fval = r;
  Py_INCREF(target);
  return target;
}

template <PyObject* (*Fn)(PyObject*, PyObject*), Arith Op = Arith::kOther>
StackResult binary(PyFrameObject* f, PyObject** sp, int) {
  PyObject* right = POP();
  PyObject* left = TOP();
  PyObject* res = g_inplace_float ? inplace_float_arith(f, Op, left, right) : nullptr;
  if (!res) res = Op != Arith::kOther && g_fast_arith ? fast_arith(Op, left, right) : nullptr;
  if (!res) res = Fn(left, right);
  Py_DECREF(left);
  Py_DECREF(right);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

PyObject* power(PyObject* a, PyObject* b) {
  return PyNumber_Power(a, b, Py_None);
}
PyObject* inplace_power(PyObject* a, PyObject* b) {
  return PyNumber_InPlacePower(a, b, Py_None);
}

// `s = s + t` / `s += t` on str: when the only other reference is the variable about to be overwritten,
// drop it first so PyUnicode_Append can resize in place (keeps string-building loops linear, as in CPython).
PyObject* concat_unicode(PyFrameObject* f, PyObject* v, PyObject* w) {
  if (Py_REFCNT(v) == 2) {
    _Py_CODEUNIT next = version::unit_near_lasti(f, 1);
    int oparg = _Py_OPARG(next);
    switch (_Py_OPCODE(next)) {
      case STORE_FAST: {
        PyObject** local = &f->f_localsplus[oparg];
        if (*local == v) {
          *local = nullptr;
          Py_DECREF(v);
        }
        break;
      }
      case STORE_DEREF: {
        PyObject* cell = freevars(f)[oparg];
        if (PyCell_GET(cell) == v) {
          PyCell_SET(cell, nullptr);
          Py_DECREF(v);
        }
        break;
      }
      case STORE_NAME: {
        PyObject* locals = f->f_locals;
        if (locals && PyDict_CheckExact(locals)) {
          PyObject* name = name_at(f, oparg);
          PyObject* w2 = PyDict_GetItemWithError(locals, name);
          if (w2 == v && PyDict_DelItem(locals, name) != 0) PyErr_Clear();
        }
        break;
      }
      default:
        break;
    }
  }
  PyObject* res = v;  // PyUnicode_Append steals v's reference and takes its own of w
  PyUnicode_Append(&res, w);
  return res;
}

template <bool Inplace>
StackResult op_add(PyFrameObject* f, PyObject** sp, int) {
  PyObject* right = POP();
  PyObject* left = TOP();
  PyObject* res = g_inplace_float ? inplace_float_arith(f, Arith::kAdd, left, right) : nullptr;
  if (!res && g_fast_arith) res = fast_arith(Arith::kAdd, left, right);
  if (res) {
    Py_DECREF(left);
  } else if (PyUnicode_CheckExact(left) && PyUnicode_CheckExact(right)) {
    res = concat_unicode(f, left, right);  // consumes left
  } else {
    res = Inplace ? PyNumber_InPlaceAdd(left, right) : PyNumber_Add(left, right);
    Py_DECREF(left);
  }
  Py_DECREF(right);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

StackResult op_store_subscr(PyFrameObject*, PyObject** sp, int) {
  PyObject *sub = TOP(), *container = SECOND(), *v = THIRD();
  sp -= 3;
  int err = PyObject_SetItem(container, sub, v);
  Py_DECREF(v);
  Py_DECREF(container);
  Py_DECREF(sub);
  if (err) FAIL;
  OK;
}

StackResult op_delete_subscr(PyFrameObject*, PyObject** sp, int) {
  PyObject *sub = TOP(), *container = SECOND();
  sp -= 2;
  int err = PyObject_DelItem(container, sub);
  Py_DECREF(container);
  Py_DECREF(sub);
  if (err) FAIL;
  OK;
}

// ---- comparisons ----------------------------------------------------------------------------------------

PyObject* exception_match(PyObject* v, PyObject* w) {
  if (PyTuple_Check(w)) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(w); i++) {
      if (!PyExceptionClass_Check(PyTuple_GET_ITEM(w, i))) {
        PyErr_SetString(PyExc_TypeError, kCannotCatchMsg);
        return nullptr;
      }
    }
  } else if (!PyExceptionClass_Check(w)) {
    PyErr_SetString(PyExc_TypeError, kCannotCatchMsg);
    return nullptr;
  }
  PyObject* res = PyErr_GivenExceptionMatches(v, w) ? Py_True : Py_False;
  Py_INCREF(res);
  return res;
}

PyObject* compare(int op, PyObject* v, PyObject* w) {
  PyObject* res;
  if (op <= Py_GE && g_fast_arith && (res = fast_compare(op, v, w))) return res;
  switch (op) {
#if PY_VERSION_HEX < 0x03090000  // 3.9 gave these their own opcodes (IS_OP, CONTAINS_OP, JUMP_IF_NOT_EXC_MATCH)
    case PyCmp_IS:
      res = v == w ? Py_True : Py_False;
      break;
    case PyCmp_IS_NOT:
      res = v != w ? Py_True : Py_False;
      break;
    case PyCmp_IN:
    case PyCmp_NOT_IN: {
      int r = PySequence_Contains(w, v);
      if (r < 0) return nullptr;
      res = (r != 0) == (op == PyCmp_IN) ? Py_True : Py_False;
      break;
    }
    case PyCmp_EXC_MATCH:
      return exception_match(v, w);
#endif
    default:
      return PyObject_RichCompare(v, w, op);
  }
  Py_INCREF(res);
  return res;
}

StackResult op_compare_op(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* right = POP();
  PyObject* left = TOP();
  PyObject* res = compare(oparg, left, right);
  Py_DECREF(left);
  Py_DECREF(right);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

// ---- names, globals, cells ------------------------------------------------------------------------------

StackResult op_store_name(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* name = name_at(f, oparg);
  PyObject* v = POP();
  PyObject* ns = f->f_locals;
  if (!ns) {
    PyErr_Format(PyExc_SystemError, "no locals found when storing %R", name);
    Py_DECREF(v);
    FAIL;
  }
  int err = PyDict_CheckExact(ns) ? PyDict_SetItem(ns, name, v) : PyObject_SetItem(ns, name, v);
  Py_DECREF(v);
  if (err) FAIL;
  OK;
}

StackResult op_delete_name(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* name = name_at(f, oparg);
  PyObject* ns = f->f_locals;
  if (!ns) {
    PyErr_Format(PyExc_SystemError, "no locals when deleting %R", name);
    FAIL;
  }
  if (PyObject_DelItem(ns, name) != 0) {
    format_name_error(PyExc_NameError, kNameErrorMsg, name);
    FAIL;
  }
  OK;
}

// Looks `name` up in a mapping: new reference, or nullptr with no exception when missing.
PyObject* mapping_lookup(PyObject* mapping, PyObject* name) {
  if (PyDict_CheckExact(mapping)) {
    PyObject* v = PyDict_GetItemWithError(mapping, name);
    Py_XINCREF(v);
    return v;
  }
  PyObject* v = PyObject_GetItem(mapping, name);
  if (!v && PyErr_ExceptionMatches(PyExc_KeyError)) PyErr_Clear();
  return v;
}

PyObject* load_global_or_builtin(PyFrameObject* f, PyObject* name) {
  PyObject* v;
  if (PyDict_CheckExact(f->f_globals) && PyDict_CheckExact(f->f_builtins)) {
    v = version::load_global(f->f_globals, f->f_builtins, name);
    if (!v) {
      if (!PyErr_Occurred()) format_name_error(PyExc_NameError, kNameErrorMsg, name);
      return nullptr;
    }
    Py_INCREF(v);
    return v;
  }
  v = mapping_lookup(f->f_globals, name);
  if (v || PyErr_Occurred()) return v;
  v = mapping_lookup(f->f_builtins, name);
  if (!v && !PyErr_Occurred()) format_name_error(PyExc_NameError, kNameErrorMsg, name);
  return v;
}

StackResult op_load_name(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* name = name_at(f, oparg);
  PyObject* locals = f->f_locals;
  if (!locals) {
    PyErr_Format(PyExc_SystemError, "no locals when loading %R", name);
    FAIL;
  }
  PyObject* v = mapping_lookup(locals, name);
  if (!v) {
    if (PyErr_Occurred()) FAIL;
    v = PyDict_GetItemWithError(f->f_globals, name);
    if (v) {
      Py_INCREF(v);
    } else {
      if (PyErr_Occurred()) FAIL;
      v = mapping_lookup(f->f_builtins, name);
      if (!v) {
        if (!PyErr_Occurred()) format_name_error(PyExc_NameError, kNameErrorMsg, name);
        FAIL;
      }
    }
  }
  PUSH(v);
  OK;
}

StackResult op_load_global(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* v = load_global_or_builtin(f, name_at(f, oparg));
  if (!v) FAIL;
  PUSH(v);
  OK;
}

}  // namespace

// The slow path of a LOAD_GLOBAL site: looks the name up and, when globals and builtins are exact dicts,
// remembers the value with both dicts' version tags (a dict's version changes on every mutation, and tags
// are unique across dicts, so matching tags mean the cached borrowed value is still the dict's).
extern "C" StackResult pyston_jit_load_global_cached(PyFrameObject* f, PyObject** sp, int oparg,
                                                     GlobalCache* cache) {
  PyObject* v = load_global_or_builtin(f, name_at(f, oparg));
  if (!v) FAIL;
  if (PyDict_CheckExact(f->f_globals) && PyDict_CheckExact(f->f_builtins)) {
    cache->globals_version = ((PyDictObject*)f->f_globals)->ma_version_tag;
    cache->builtins_version = ((PyDictObject*)f->f_builtins)->ma_version_tag;
    cache->value = v;
  }
  PUSH(v);
  OK;
}

AttrCache::~AttrCache() {
  if (more) g_cache_bytes -= sizeof(Overflow);
  delete more;
}

namespace {

StackResult op_store_global(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* v = POP();
  int err = PyDict_SetItem(f->f_globals, name_at(f, oparg), v);
  Py_DECREF(v);
  if (err) FAIL;
  OK;
}

StackResult op_delete_global(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* name = name_at(f, oparg);
  if (PyDict_DelItem(f->f_globals, name) != 0) {
    if (PyErr_ExceptionMatches(PyExc_KeyError)) format_name_error(PyExc_NameError, kNameErrorMsg, name);
    FAIL;
  }
  OK;
}

StackResult op_delete_fast(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* v = f->f_localsplus[oparg];
  if (!v) {
    format_name_error(PyExc_UnboundLocalError, kUnboundLocalMsg,
                      PyTuple_GetItem(f->f_code->co_varnames, oparg));
    FAIL;
  }
  f->f_localsplus[oparg] = nullptr;
  Py_DECREF(v);
  OK;
}

StackResult op_load_closure(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* cell = freevars(f)[oparg];
  Py_INCREF(cell);
  PUSH(cell);
  OK;
}

StackResult op_load_deref(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* v = PyCell_GET(freevars(f)[oparg]);
  if (!v) {
    format_unbound_cell(f->f_code, oparg);
    FAIL;
  }
  Py_INCREF(v);
  PUSH(v);
  OK;
}

StackResult op_store_deref(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* v = POP();
  PyObject* cell = freevars(f)[oparg];
  PyObject* old = PyCell_GET(cell);
  PyCell_SET(cell, v);
  Py_XDECREF(old);
  OK;
}

StackResult op_delete_deref(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* cell = freevars(f)[oparg];
  PyObject* old = PyCell_GET(cell);
  if (!old) {
    format_unbound_cell(f->f_code, oparg);
    FAIL;
  }
  PyCell_SET(cell, nullptr);
  Py_DECREF(old);
  OK;
}

StackResult op_load_classderef(PyFrameObject* f, PyObject** sp, int oparg) {
  PyCodeObject* co = f->f_code;
  PyObject* name = PyTuple_GET_ITEM(co->co_freevars, oparg - PyTuple_GET_SIZE(co->co_cellvars));
  PyObject* v = mapping_lookup(f->f_locals, name);
  if (!v) {
    if (PyErr_Occurred()) FAIL;
    v = PyCell_GET(freevars(f)[oparg]);
    if (!v) {
      format_unbound_cell(co, oparg);
      FAIL;
    }
    Py_INCREF(v);
  }
  PUSH(v);
  OK;
}

// ---- attributes -----------------------------------------------------------------------------------------

StackResult op_load_attr(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* owner = TOP();
  PyObject* res = PyObject_GetAttr(owner, name_at(f, oparg));
  Py_DECREF(owner);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

StackResult op_store_attr(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject *owner = TOP(), *v = SECOND();
  sp -= 2;
  int err = PyObject_SetAttr(owner, name_at(f, oparg), v);
  Py_DECREF(v);
  Py_DECREF(owner);
  if (err) FAIL;
  OK;
}

StackResult op_delete_attr(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* owner = POP();
  int err = PyObject_SetAttr(owner, name_at(f, oparg), nullptr);
  Py_DECREF(owner);
  if (err) FAIL;
  OK;
}

// ---- attribute caches (PYSTON_JIT_CACHE_ATTRS) --------------------------------------------------------

using Entry = AttrCacheEntry;

bool tag_is(PyTypeObject* tp, unsigned int version) {
  return PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG) && tp->tp_version_tag == version;
}

bool type_guard(const Entry& e, PyTypeObject* tp) { return e.type == tp && tag_is(tp, e.version); }

PyObject* module_dict_of(PyObject* module) {
  return *(PyObject**)((char*)module + PyModule_Type.tp_dictoffset);
}

// Whether entry `e` decides the lookup for `owner`: 1 it applies, -1 it is the receiver's but stale (a miss,
// and what the refill replaces), 0 it is another receiver's.
inline int entry_verdict(const Entry& e, PyObject* owner, PyTypeObject* tp) {
  if (e.type != tp) return 0;
  if (e.kind == Entry::kModule)
    return module_dict_of(owner) == e.module_dict && ((PyDictObject*)e.module_dict)->ma_version_tag == e.dict_version
               ? 1
               : -1;
  if (e.kind == Entry::kTypeAttr) {
    if ((PyObject*)e.owner != owner) return 0;  // one entry per class object seen
    return tag_is(e.owner, e.version) && (tp == &PyType_Type || tag_is(tp, unsigned(e.meta_version))) ? 1 : -1;
  }
  return type_guard(e, tp) ? 1 : -1;
}

__attribute__((noinline)) Entry* find_in_overflow(AttrCache* c, PyObject* owner, PyTypeObject* tp) {
  for (Entry& e : c->more->entries) {
    if (int v = entry_verdict(e, owner, tp)) return v > 0 ? &e : nullptr;
  }
  return nullptr;
}

// The entry that applies to `owner`, or nullptr: the first one for its receiver decides. The first entry is
// checked inline (most sites see one receiver type); polymorphic sites go on to the overflow entries.
inline Entry* find_entry(AttrCache* c, PyObject* owner) {
  PyTypeObject* tp = Py_TYPE(owner);
  if (int v = entry_verdict(c->first, owner, tp)) return v > 0 ? &c->first : nullptr;
  return c->more ? find_in_overflow(c, owner, tp) : nullptr;
}

// Where a refill for `tp` goes: the type's own (stale) entry, else a free one (the overflow entries are
// allocated when a second type turns up), else each in turn.
Entry* entry_to_fill(AttrCache* c, PyTypeObject* tp, PyObject* owner = nullptr) {  // nullptr: do not fill
  for (int i = 0, n = c->size(); i < n; i++) {
    Entry& e = c->at(i);
    if (e.type == tp && (e.kind != Entry::kTypeAttr || (PyObject*)e.owner == owner)) return &e;
  }
  if (!c->first.type) return &c->first;
  if (!c->more) {
    c->more = new (std::nothrow) AttrCache::Overflow;
    if (!c->more) return &c->first;
    g_cache_bytes += sizeof(AttrCache::Overflow);
  }
  for (int i = 1; i < AttrCache::kEntries; i++)
    if (!c->at(i).type) return &c->at(i);
  // A site that keeps replacing entries sees more receivers than it holds: refilling costs more than it
  // saves, so after kReplacementsBeforeGivingUp it stays as it is (misses take the generic route).
  if (c->more->replacements >= AttrCache::kReplacementsBeforeGivingUp) return nullptr;
  return &c->at(c->more->replacements++ % AttrCache::kEntries);
}

using version::DictKeyEntry;  // dictobject.c's private keys layout, to find a key's slot in a split table;
using version::DictKeysHeader;  // split_dict_layout_ok() verifies it against a real split dict before use.

DictKeysHeader* keys_of(PyDictObject* d) { return (DictKeysHeader*)d->ma_keys; }

DictKeyEntry* entries_of(DictKeysHeader* dk) {
  Py_ssize_t size = dk->dk_size;
  int width = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffLL ? 4 : 8;
  return (DictKeyEntry*)(dk->dk_indices + size * width);
}

// The entry index of `name` in split keys, or -1.
Py_ssize_t split_index_of(DictKeysHeader* dk, PyObject* name) {
  DictKeyEntry* entries = entries_of(dk);
  Py_hash_t hash = ((PyASCIIObject*)name)->hash;
  for (Py_ssize_t i = 0; i < dk->dk_nentries; i++) {
    PyObject* key = entries[i].me_key;
    if (key == name || (key && entries[i].me_hash == hash && PyUnicode_CheckExact(key) &&
                        PyUnicode_Compare(key, name) == 0))
      return i;
  }
  return -1;
}

bool g_split_ok = false;

PyDictObject* instance_dict_of(PyObject* owner) {
  return *(PyDictObject**)((char*)owner + Py_TYPE(owner)->tp_dictoffset);
}

// The slot of `name` in a split instance dict, if the entry's remembered shared keys are this dict's. The
// keys object seen last may have been freed and another allocated at its address (a class's shared keys
// are replaced when instances insert attributes in another order), so its size and the slot's key are
// checked too (entries past dk_nentries have no key). The compiler emits the same test inline
// (emit_instance_attr_hit).
PyObject** split_slot(PyDictObject* dict, PyObject* name, const Entry& e) {
  if (!dict->ma_values || dict->ma_keys != e.split_keys || !e.split_keys_size ||
      keys_of(dict)->dk_size != e.split_keys_size || *e.split_key_slot != name)
    return nullptr;
  return &dict->ma_values[e.split_index];
}

void remember_split_slot(PyDictObject* dict, PyObject* name, Entry* e) {
  if (dict && dict->ma_values && g_split_ok) {
    DictKeysHeader* dk = keys_of(dict);
    Py_ssize_t ix = split_index_of(dk, name);
    bool found = ix >= 0 && dk->dk_size <= 0xffff;
    e->split_keys = dict->ma_keys;
    e->split_index = ix;
    e->split_keys_size = found ? uint16_t(dk->dk_size) : 0;
    e->split_key_slot = found ? &entries_of(dk)[ix].me_key : nullptr;
  }
}

// The instance __dict__'s entry for `name` (borrowed), or nullptr (an exception may be set). Uses and
// refreshes the entry's split-dict slot.
PyObject* instance_dict_get(PyObject* owner, PyObject* name, bool* error, Entry* e) {
  PyDictObject* dict = instance_dict_of(owner);
  *error = false;
  if (!dict) return nullptr;
  if (PyObject** slot = split_slot(dict, name, *e)) {
    if (*slot) return *slot;
  }
  PyObject* v = _PyDict_GetItem_KnownHash((PyObject*)dict, name, ((PyASCIIObject*)name)->hash);
  if (!v && PyErr_Occurred()) *error = true;
  if (v) remember_split_slot(dict, name, e);
  return v;
}

// Whether the instance __dict__ has `name`. No shortcut through the shared keys here: without a keys
// version, "same address, same size" does not prove it is the same keys object (see split_slot).
bool instance_dict_has(PyObject* owner, PyObject* name, bool* error) {
  PyDictObject* dict = instance_dict_of(owner);
  *error = false;
  if (!dict) return false;
  PyObject* v = _PyDict_GetItem_KnownHash((PyObject*)dict, name, ((PyASCIIObject*)name)->hash);
  if (!v && PyErr_Occurred()) *error = true;
  return v != nullptr;
}

bool cacheable_name(PyObject* name) {
  return PyUnicode_CheckExact(name) && ((PyASCIIObject*)name)->hash != -1;
}

// After a generic lookup of a module attribute: remember the value while the module's dict is unchanged.
// The module type has no data descriptors by that name (checked), and it is immutable.
void fill_module_entry(AttrCache* c, PyObject* module, PyObject* name) {
  PyObject* dict = module_dict_of(module);
  if (!dict || !PyDict_CheckExact(dict) || !cacheable_name(name) || _PyType_Lookup(&PyModule_Type, name))
    return;
  PyObject* v = _PyDict_GetItem_KnownHash(dict, name, ((PyASCIIObject*)name)->hash);
  if (!v) {
    PyErr_Clear();
    return;
  }
  Entry* e = entry_to_fill(c, &PyModule_Type);
  if (!e) return;
  *e = Entry{};
  e->type = &PyModule_Type;
  e->kind = Entry::kModule;
  e->module_dict = dict;
  e->dict_version = ((PyDictObject*)dict)->ma_version_tag;
  e->value = v;
}

// After a generic lookup of an attribute of a class object whose metatype looks attributes up as `type`
// does (type_getattro: `type` itself, ABCMeta, Django's ModelBase, ...): remember it while the class's
// version tag holds, and the metatype's unless it is `type` (immutable). The metatype must have nothing by
// that name, so the class's MRO alone decides.
void fill_type_attr(AttrCache* c, PyObject* owner, PyObject* name) {
  auto* cls = (PyTypeObject*)owner;
  PyTypeObject* meta = Py_TYPE(owner);
  if (!cacheable_name(name) || meta->tp_getattro != PyType_Type.tp_getattro || _PyType_Lookup(meta, name)) return;
  if (!PyType_HasFeature(meta, Py_TPFLAGS_VALID_VERSION_TAG)) return;
  PyObject* attr = _PyType_Lookup(cls, name);
  if (!attr || !PyType_HasFeature(cls, Py_TPFLAGS_VALID_VERSION_TAG)) return;
  Entry* e = entry_to_fill(c, meta, owner);
  if (!e) return;
  *e = Entry{};
  e->type = meta;
  e->kind = Entry::kTypeAttr;
  e->owner = cls;
  e->version = cls->tp_version_tag;
  e->meta_version = meta->tp_version_tag;
  e->method = attr;
}

// Classes with a Python __getattr__ (and object's __getattribute__) look attributes up generically and call
// __getattr__ only when that fails: a cache hit is the generic lookup's answer. typeobject.c's
// slot_tp_getattr_hook is static, so it is learnt from a probe class (split_dict_layout_ok).
getattrofunc g_getattr_hook = nullptr;
PyObject* g_object_getattribute = nullptr;  // object.__getattribute__'s slot wrapper
PyObject* g_getattribute_name = nullptr;

// Whether owner's type has a plain function by that name (a method once bound).
bool is_plain_function(PyObject* owner, PyObject* name) {
  PyObject* descr = _PyType_Lookup(Py_TYPE(owner), name);
  return descr && PyFunction_Check(descr);
}

bool generic_lookup_first(PyTypeObject* tp) {
  if (tp->tp_getattro == PyObject_GenericGetAttr) return true;
  return tp->tp_getattro == g_getattr_hook && g_getattr_hook &&
         _PyType_Lookup(tp, g_getattribute_name) == g_object_getattribute;
}

// After a generic lookup on a type with generic attribute access: remember how to find `name` next time.
void fill_attr_cache(AttrCache* c, PyObject* owner, PyObject* name, bool for_method) {
  PyTypeObject* tp = Py_TYPE(owner);
  if (tp == &PyModule_Type) return fill_module_entry(c, owner, name);
  if (PyType_Check(owner)) return fill_type_attr(c, owner, name);
  if (!cacheable_name(name) || !generic_lookup_first(tp)) return;
  PyObject* descr = _PyType_Lookup(tp, name);  // also assigns the version tag
  if (!PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)) return;
  bool hook = tp->tp_getattro != PyObject_GenericGetAttr;
  // With a __getattr__ hook, an AttributeError from a descriptor's __get__ must reach __getattr__: only
  // member descriptors (an empty slot is a miss here) and the builtin descriptor types (functions,
  // classmethod, ...: their __get__ does not raise it) are cached.
  if (hook && descr && Py_TYPE(descr)->tp_descr_get && Py_TYPE(descr) != &PyMemberDescr_Type &&
      (Py_TYPE(descr)->tp_descr_set || PyType_HasFeature(Py_TYPE(descr), Py_TPFLAGS_HEAPTYPE)))
    return;
  Entry* e = entry_to_fill(c, tp);
  if (!e) return;
  *e = Entry{};
  e->type = tp;
  e->version = tp->tp_version_tag;
  if (for_method) {
    // (With a __getattr__ hook, _PyObject_GetMethod binds; only plain functions are checked against that.)
    if (descr &&
        (PyFunction_Check(descr) || (!hook && PyType_HasFeature(Py_TYPE(descr), Py_TPFLAGS_METHOD_DESCRIPTOR))) &&
        tp->tp_dictoffset >= 0) {
      e->kind = Entry::kMethod;
      e->method = descr;
    }
    return;
  }
  if (!descr) {
    if (tp->tp_dictoffset > 0) {
      e->kind = Entry::kInstanceDict;
      remember_split_slot(instance_dict_of(owner), name, e);
    }
    return;
  }
  PyTypeObject* dt = Py_TYPE(descr);
  if (PyType_HasFeature(dt, Py_TPFLAGS_HEAPTYPE)) {
    // Guarded on the descriptor's class too (attr_from_entry); looking a name up gives it a version tag.
    (void)_PyType_Lookup(dt, name);
    if (!PyType_HasFeature(dt, Py_TPFLAGS_VALID_VERSION_TAG)) {
      e->kind = Entry::kEmpty;
      return;
    }
    e->meta_version = dt->tp_version_tag;
  }
  if (dt == &PyMemberDescr_Type && ((PyMemberDescrObject*)descr)->d_member->type == T_OBJECT_EX &&
      ((PyMemberDescrObject*)descr)->d_member->flags == 0) {
    e->kind = Entry::kSlot;
    e->slot_offset = ((PyMemberDescrObject*)descr)->d_member->offset;
  } else if (dt->tp_descr_get && dt->tp_descr_set) {
    e->kind = Entry::kDataDescr;
  } else if (tp->tp_dictoffset >= 0) {  // (a negative offset needs _PyObject_GetDictPtr's arithmetic)
    e->kind = dt->tp_descr_get ? Entry::kNonDataDescr : Entry::kClassAttr;
  }
  e->method = descr;
}

// After a generic store: an existing split-dict slot or a __slots__ member can be assigned directly next
// time. Only when the type has nothing by that name (no descriptor to call) or a plain writable member.
void fill_store_cache(AttrCache* c, PyObject* owner, PyObject* name) {
  PyTypeObject* tp = Py_TYPE(owner);
  if (tp->tp_setattro != PyObject_GenericSetAttr || !cacheable_name(name)) return;
  PyObject* descr = _PyType_Lookup(tp, name);
  if (!PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)) return;
  // Nothing on the type intercepts the store: no descriptor, or a plain class attribute of an immutable type
  // (a heap type could gain __set__ without the owner's tag changing).
  bool plain = !descr || (!PyType_HasFeature(Py_TYPE(descr), Py_TPFLAGS_HEAPTYPE) && !Py_TYPE(descr)->tp_descr_set);
  if (plain && tp->tp_dictoffset > 0) {
    Entry* e = entry_to_fill(c, tp);
    if (!e) return;
    *e = Entry{};
    e->type = tp;
    e->version = tp->tp_version_tag;
    e->kind = Entry::kInstanceDict;
    PyDictObject* dict = instance_dict_of(owner);
    if (dict && dict->ma_values) remember_split_slot(dict, name, e);
  } else if (descr && Py_TYPE(descr) == &PyMemberDescr_Type) {
    PyMemberDef* m = ((PyMemberDescrObject*)descr)->d_member;
    if (m->type != T_OBJECT_EX || m->flags != 0) return;
    Entry* e = entry_to_fill(c, tp);
    if (!e) return;
    *e = Entry{};
    e->type = tp;
    e->version = tp->tp_version_tag;
    e->kind = Entry::kSlot;
    e->slot_offset = m->offset;
  }
}

// A dict modified behind dictobject.c's back still needs a new version tag, or a LOAD_GLOBAL cache guarding
// on it (a split dict can be an exec() namespace) would not notice. CPython's counter is private; ours
// counts down from the top of the range, which CPython's (counting up from 0) never reaches.
uint64_t g_next_dict_version = ~uint64_t(0);

}  // namespace

// Debugging aid: check every attribute/method cache hit against the generic lookup. Read once: getenv on
// the hot path cost richards a fifth of its time.
extern const bool kVerifyCaches = getenv("PYSTON_JIT_VERIFY_CACHES") != nullptr;

bool split_dict_layout_ok() {
  static int checked = -1;
  if (checked >= 0) return checked;
  checked = 0;
  PyObject* ns = PyDict_New();
  PyObject* r = ns ? PyRun_String(
                         "class _P:\n def __init__(s): s.alpha = 1; s.beta = 2\n_p = _P()\n_q = _P()\n"
                         "class _G:\n def __getattr__(s, n): return n\n",
                         Py_file_input, ns, ns)
                   : nullptr;
  PyObject* hooked = r ? PyDict_GetItemString(ns, "_G") : nullptr;
  if (hooked && PyType_Check(hooked)) {
    g_getattr_hook = ((PyTypeObject*)hooked)->tp_getattro;
    g_getattribute_name = PyUnicode_InternFromString("__getattribute__");  // kept: compared by identity
    g_object_getattribute = g_getattribute_name ? _PyType_Lookup(&PyBaseObject_Type, g_getattribute_name) : nullptr;
    if (!g_object_getattribute) g_getattr_hook = nullptr;
  }
  PyObject* p = r ? PyDict_GetItemString(ns, "_p") : nullptr;
  PyObject** dictptr = p ? _PyObject_GetDictPtr(p) : nullptr;
  if (dictptr && *dictptr && ((PyDictObject*)*dictptr)->ma_values) {
    auto* d = (PyDictObject*)*dictptr;
    PyObject* beta = PyUnicode_InternFromString("beta");
    DictKeysHeader* dk = keys_of(d);
    Py_ssize_t ix = beta ? split_index_of(dk, beta) : -1;
    checked = dk->dk_nentries == 2 && dk->dk_size >= 2 && dk->dk_size <= 64 && ix == 1 &&
              PyLong_Check(d->ma_values[1]) && PyLong_AsLong(d->ma_values[1]) == 2;
    Py_XDECREF(beta);
  }
  Py_XDECREF(r);
  Py_XDECREF(ns);
  PyErr_Clear();
  g_split_ok = checked;
  return checked;
}

static void verify_attr_hit(PyObject* owner, PyObject* name, PyObject* res) {
  PyObject* check = PyObject_GetAttr(owner, name);
  // A getter may make a new object per call (a property returning a generator): then the types must agree.
  bool made_fresh = check && Py_TYPE(check) == Py_TYPE(res) && (PyGen_Check(res) || Py_REFCNT(check) == 1);
  if (check != res && !made_fresh && (!check || PyObject_RichCompareBool(check, res, Py_EQ) != 1)) {
    fprintf(stderr, "attr cache mismatch: %s.%s\n", Py_TYPE(owner)->tp_name, PyUnicode_AsUTF8(name));
    abort();
  }
  Py_XDECREF(check);
}

// Calls a descriptor's __get__ the way the generic lookup does: holding a reference, since __get__ may
// change the class and drop the type's own.
static PyObject* call_descr_get(PyObject* descr, PyObject* obj, PyTypeObject* tp) {
  Py_INCREF(descr);
  PyObject* res = Py_TYPE(descr)->tp_descr_get(descr, obj, (PyObject*)tp);
  Py_DECREF(descr);
  return res;
}

// The instance __dict__'s value for a name the type has a non-data attribute for (new reference), or null.
static PyObject* shadowing_value(PyObject* owner, PyObject* name, bool* error) {
  if (Py_TYPE(owner)->tp_dictoffset <= 0) return nullptr;
  PyDictObject* dict = instance_dict_of(owner);
  if (!dict) return nullptr;
  PyObject* v = _PyDict_GetItem_KnownHash((PyObject*)dict, name, ((PyASCIIObject*)name)->hash);
  if (!v && PyErr_Occurred()) *error = true;
  Py_XINCREF(v);
  return v;
}

// owner.name through the entry that applies to owner (a new reference), or nullptr: a miss, or an
// exception if *error.
static PyObject* attr_from_entry(Entry* e, PyObject* owner, PyObject* name, bool* error) {
  *error = false;
  PyObject* res = nullptr;
  // A class attribute whose own class is mutable: that class may since have gained (or lost) __get__ or
  // __set__, which changes how the attribute is found (test_opcache's descriptor added after optimization):
  // a miss. Checked here, where only these kinds pay for it.
  auto descriptor_class_changed = [e] {
    return e->meta_version && !tag_is(Py_TYPE(e->method), unsigned(e->meta_version));
  };
  switch (e->kind) {
    case Entry::kInstanceDict:
      res = instance_dict_get(owner, name, error, e);
      Py_XINCREF(res);
      return res;
    case Entry::kSlot:
      res = *(PyObject**)((char*)owner + e->slot_offset);
      Py_XINCREF(res);
      return res;
    case Entry::kModule:
      Py_INCREF(e->value);
      return e->value;
    case Entry::kDataDescr:
      if (descriptor_class_changed()) return nullptr;
      res = call_descr_get(e->method, owner, Py_TYPE(owner));
      *error = !res;
      return res;
    case Entry::kClassAttr:
    case Entry::kNonDataDescr:
      if (descriptor_class_changed()) return nullptr;
      if ((res = shadowing_value(owner, name, error)) || *error) return res;
      if (e->kind == Entry::kClassAttr) {
        Py_INCREF(e->method);
        return e->method;
      }
      res = call_descr_get(e->method, owner, Py_TYPE(owner));
      *error = !res;
      return res;
    case Entry::kTypeAttr:
      if (!Py_TYPE(e->method)->tp_descr_get) {
        Py_INCREF(e->method);
        return e->method;
      }
      res = call_descr_get(e->method, nullptr, e->owner);
      *error = !res;
      return res;
    default:
      return nullptr;
  }
}

static PyObject* cached_attr(AttrCache* c, PyObject* owner, PyObject* name, bool* error) {
  *error = false;
  Entry* e = find_entry(c, owner);
  return e ? attr_from_entry(e, owner, name, error) : nullptr;
}

namespace {

// LOAD_ATTR through the site's cache. kOfLocal: the owner is a local's value, borrowed (the deferred value
// stack), and the result is pushed; else the owner is the top of the stack and the result replaces it.
template <bool kOfLocal>
inline StackResult load_attr_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* c, PyObject* local) {
  PyObject* owner = kOfLocal ? local : TOP();
  PyObject* name = name_at(f, oparg);
  bool error;
  PyObject* res = cached_attr(c, owner, name, &error);
  if (error) FAIL;
  if (!res) {
    g_attr_misses++;
    res = PyObject_GetAttr(owner, name);
    if (res) fill_attr_cache(c, owner, name, false);
  } else if (kVerifyCaches) {
    verify_attr_hit(owner, name, res);
  }
  if (kOfLocal) {
    if (!res) FAIL;
    PUSH(res);
    OK;
  }
  Py_DECREF(owner);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

// LOAD_METHOD through the site's cache: pushes (method, self) or (NULL, attribute). kOfLocal as above: the
// local's value is borrowed, and becomes `self` with a new reference.
template <bool kOfLocal>
inline StackResult load_method_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* c, PyObject* local) {
  if (kOfLocal) {
    Py_INCREF(local);  // from here on it is an ordinary LOAD_METHOD of the stack's top
    PUSH(local);
  }
  PyObject* obj = TOP();
  PyObject* name = name_at(f, oparg);
  if (Entry* e = find_entry(c, obj)) {
    if (e->kind != Entry::kMethod) {  // not a method: NULL, then the attribute
      bool error;
      PyObject* attr = attr_from_entry(e, obj, name, &error);
      if (error) FAIL;
      if (attr) {
        TOP() = nullptr;
        Py_DECREF(obj);
        PUSH(attr);
        OK;
      }
    }
    if (e->kind == Entry::kMethod) {
      bool error = false, shadowed = false;
      if (Py_TYPE(obj)->tp_dictoffset > 0) shadowed = instance_dict_has(obj, name, &error);
      if (error) FAIL;
      if (!shadowed && kVerifyCaches) {
        PyObject* meth = nullptr;
        int found = _PyObject_GetMethod(obj, name, &meth);
        bool same = found ? meth == e->method : meth && PyMethod_Check(meth) && PyMethod_GET_FUNCTION(meth) == e->method;
        if (!same) {
          fprintf(stderr, "method cache mismatch: %s.%s\n", Py_TYPE(obj)->tp_name, PyUnicode_AsUTF8(name));
          abort();
        }
        Py_XDECREF(meth);
      }
      if (!shadowed) {
        Py_INCREF(e->method);
        TOP() = e->method;
        PUSH(obj);
        OK;
      }
    }
  }
  PyObject* meth = nullptr;
  g_attr_misses++;
  int found = _PyObject_GetMethod(obj, name, &meth);
  if (!meth) FAIL;
  if (found) {
    fill_attr_cache(c, obj, name, true);
    TOP() = meth;
    PUSH(obj);
  } else {
    if (Py_TYPE(obj) == &PyModule_Type)
      fill_module_entry(c, obj, name);
    else if (PyType_Check(obj))
      fill_type_attr(c, obj, name);
    else if (generic_lookup_first(Py_TYPE(obj)))  // not a method, shadowed, or bound by a __getattr__ hook
      fill_attr_cache(c, obj, name, Py_TYPE(obj)->tp_getattro != PyObject_GenericGetAttr && is_plain_function(obj, name));
    TOP() = nullptr;
    Py_DECREF(obj);
    PUSH(meth);
  }
  OK;
}

}  // namespace

extern "C" StackResult pyston_jit_load_attr_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* c) {
  return load_attr_cached<false>(f, sp, oparg, c, nullptr);
}

extern "C" StackResult pyston_jit_load_attr_of_local(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* c,
                                                     PyObject* owner) {
  return load_attr_cached<true>(f, sp, oparg, c, owner);
}

extern "C" StackResult pyston_jit_load_method_cached(PyFrameObject* f, PyObject** sp, int oparg,
                                                     AttrCache* c) {
  return load_method_cached<false>(f, sp, oparg, c, nullptr);
}

extern "C" StackResult pyston_jit_load_method_of_local(PyFrameObject* f, PyObject** sp, int oparg,
                                                       AttrCache* c, PyObject* owner) {
  return load_method_cached<true>(f, sp, oparg, c, owner);
}

// A split instance dict whose keys are not the ones `e` remembers: the store cache should learn them.
bool split_keys_changed(PyObject* owner, const Entry& e) {
  if (e.kind != Entry::kInstanceDict) return false;
  PyDictObject* dict = instance_dict_of(owner);
  return dict && dict->ma_values && dict->ma_keys != e.split_keys;
}

namespace {

// STORE_ATTR through the site's cache. kOfLocal: the owner is a local's value, borrowed (the deferred value
// stack), and only the value is on the stack.
template <bool kOfLocal>
inline StackResult store_attr_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* c, PyObject* local) {
  constexpr int kPopped = kOfLocal ? 1 : 2;
  PyObject* owner = kOfLocal ? local : TOP();
  PyObject* v = kOfLocal ? TOP() : SECOND();
  PyObject* name = name_at(f, oparg);
  Entry* e = find_entry(c, owner);
  if (e) {
    PyObject** slot = nullptr;
    if (e->kind == Entry::kSlot) {
      slot = (PyObject**)((char*)owner + e->slot_offset);
    } else if (e->kind == Entry::kInstanceDict) {
      PyDictObject* dict = instance_dict_of(owner);
      slot = dict ? split_slot(dict, name, *e) : nullptr;
      // A key the shared table has but this dict has no value for yet (as in __init__) is added in place
      // when it comes next in the table's order, as insertdict does; out of order, dictobject.c un-shares.
      if (slot && !*slot && e->split_index != dict->ma_used) slot = nullptr;
      if (slot) {
        if (!*slot) {
          dict->ma_used++;
          if (version::gc_must_track((PyObject*)dict, v)) PyObject_GC_Track(dict);
        }
        dict->ma_version_tag = g_next_dict_version--;
      } else {
        // What the generic store does past its type lookup: a new dict (shared keys), a new key, a
        // combined dict.
        auto** dictptr = (PyObject**)((char*)owner + Py_TYPE(owner)->tp_dictoffset);
        int err = version::set_instance_dict_item(owner, dictptr, name, v);
        sp -= kPopped;
        Py_DECREF(v);
        // The store may have run code (an old value's __del__) that refilled this site: look again.
        Entry* now = err ? nullptr : find_entry(c, owner);
        if (now && split_keys_changed(owner, *now)) remember_split_slot(instance_dict_of(owner), name, now);
        if (!kOfLocal) Py_DECREF(owner);
        if (err) FAIL;
        OK;
      }
    }
    if (slot) {
      PyObject* old = *slot;
      *slot = v;  // the stack's reference moves into the object
      sp -= kPopped;
      Py_XDECREF(old);
      if (!kOfLocal) Py_DECREF(owner);
      OK;
    }
  }
  sp -= kPopped;
  g_attr_misses++;
  int err = PyObject_SetAttr(owner, name, v);
  // (An entry that is right but could not serve this store, e.g. a new key out of order, stays.)
  if (!err && (!e || split_keys_changed(owner, *e))) fill_store_cache(c, owner, name);
  Py_DECREF(v);
  if (!kOfLocal) Py_DECREF(owner);
  if (err) FAIL;
  OK;
}

}  // namespace

extern "C" StackResult pyston_jit_store_attr_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* c) {
  return store_attr_cached<false>(f, sp, oparg, c, nullptr);
}

extern "C" StackResult pyston_jit_store_attr_of_local(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* c,
                                                      PyObject* owner) {
  return store_attr_cached<true>(f, sp, oparg, c, owner);
}

namespace {

StackResult op_load_method(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* obj = TOP();
  PyObject* meth = nullptr;
  int found = _PyObject_GetMethod(obj, name_at(f, oparg), &meth);
  if (!meth) FAIL;
  if (found) {
    TOP() = meth;
    PUSH(obj);
  } else {
    TOP() = nullptr;
    Py_DECREF(obj);
    PUSH(meth);
  }
  OK;
}

// ---- calls ----------------------------------------------------------------------------------------------

// After a call made from the stack: pops the callable (at pfunc) and everything above it (and the NULL below it
// for a LOAD_METHOD that found no method), then pushes the result (nothing on failure).
StackResult finish_call(PyFrameObject* f, PyObject** sp, PyObject** pfunc, bool null_below, PyObject* res) {
  while (sp > pfunc) Py_DECREF(POP());
  if (null_below) --sp;
  if (!res) FAIL;
  PUSH(res);
  return after_call(f, sp);
}

// Calls the callable at sp[-nargs-1] with the nargs values above it (the last len(kwnames) by keyword),
// pops all of them (and the NULL below the callable for a LOAD_METHOD that found no method) and pushes the
// result (nothing on failure).
StackResult call_on_stack(PyFrameObject* f, PyObject** sp, Py_ssize_t nargs, PyObject* kwnames,
                          bool null_below) {
  PyObject** pfunc = sp - nargs - 1;
  PyObject* func = *pfunc;
  Py_ssize_t npos = nargs - (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
  PyObject* res = call_from_compiled(func, pfunc + 1, npos | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
  return finish_call(f, sp, pfunc, null_below, res);
}

StackResult op_call_function(PyFrameObject* f, PyObject** sp, int oparg) {
  return call_on_stack(f, sp, oparg, nullptr, false);
}

StackResult op_call_function_kw(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* names = POP();
  StackResult r = call_on_stack(f, sp, oparg, names, false);
  Py_DECREF(names);
  return r;
}

StackResult op_call_method(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* method = PEEK(oparg + 2);
  PyObject* res;
  if (method && g_builtin_methods && Py_TYPE(method) == &PyMethodDescr_Type &&
      call_method_descriptor(method, sp - oparg - 1, oparg + 1, &res))
    return finish_call(f, sp, sp - oparg - 2, false, res);
  return call_on_stack(f, sp, method ? oparg + 1 : oparg, nullptr, !method);
}

int check_args_iterable(PyObject* func, PyObject* args) {
  if (Py_TYPE(args)->tp_iter == nullptr && !PySequence_Check(args)) {
    PyErr_Clear();
    if (PyObject* desc = version::function_description(func)) {
      PyErr_Format(PyExc_TypeError, "%U argument after * must be an iterable, not %.200s", desc,
                   Py_TYPE(args)->tp_name);
      Py_DECREF(desc);
    }
    return -1;
  }
  return 0;
}

void format_kwargs_error(PyObject* func, PyObject* kwargs) {
  if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
    PyErr_Clear();
    if (PyObject* desc = version::function_description(func)) {
      PyErr_Format(PyExc_TypeError, "%U argument after ** must be a mapping, not %.200s", desc,
                   Py_TYPE(kwargs)->tp_name);
      Py_DECREF(desc);
    }
  } else if (PyErr_ExceptionMatches(PyExc_KeyError)) {
    PyObject *exc, *val, *tb;
    PyErr_Fetch(&exc, &val, &tb);
    if (val && PyTuple_Check(val) && PyTuple_GET_SIZE(val) == 1) {
      PyObject* key = PyTuple_GET_ITEM(val, 0);
      if (PyObject* desc = version::function_description(func)) {
        if (!PyUnicode_Check(key) && version::kMergeReportsNonStringKeys)
          PyErr_Format(PyExc_TypeError, "%U keywords must be strings", desc);
        else
          PyErr_Format(PyExc_TypeError, "%U got multiple values for keyword argument '%S'", desc, key);
        Py_DECREF(desc);
      }
      Py_XDECREF(exc);
      Py_XDECREF(val);
      Py_XDECREF(tb);
    } else {
      PyErr_Restore(exc, val, tb);
    }
  }
}

StackResult op_call_function_ex(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* kwargs = nullptr;
  if (oparg & 1) {
    kwargs = POP();
    if (!PyDict_CheckExact(kwargs)) {
      PyObject* d = PyDict_New();
      if (!d) {
        Py_DECREF(kwargs);
        FAIL;
      }
      if (_PyDict_MergeEx(d, kwargs, 2) < 0) {
        Py_DECREF(d);
        format_kwargs_error(SECOND(), kwargs);
        Py_DECREF(kwargs);
        FAIL;
      }
      Py_SETREF(kwargs, d);
    }
  }
  PyObject* callargs = POP();
  PyObject* func = TOP();
  if (!PyTuple_CheckExact(callargs)) {
    if (check_args_iterable(func, callargs) < 0) {
      Py_DECREF(callargs);
      Py_XDECREF(kwargs);
      FAIL;
    }
    Py_SETREF(callargs, PySequence_Tuple(callargs));
    if (!callargs) {
      Py_XDECREF(kwargs);
      FAIL;
    }
  }
  PyObject* res = PyObject_Call(func, callargs, kwargs);
  Py_DECREF(func);
  Py_DECREF(callargs);
  Py_XDECREF(kwargs);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  return after_call(f, sp);
}

StackResult op_make_function(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* qualname = POP();
  PyObject* code = POP();
  auto* func = (PyFunctionObject*)PyFunction_NewWithQualName(code, f->f_globals, qualname);
  Py_DECREF(code);
  Py_DECREF(qualname);
  if (!func) FAIL;
  if (oparg & 8) func->func_closure = POP();
  if (oparg & 4) func->func_annotations = POP();
  if (oparg & 2) func->func_kwdefaults = POP();
  if (oparg & 1) func->func_defaults = POP();
  PUSH((PyObject*)func);
  OK;
}

// ---- building containers --------------------------------------------------------------------------------

StackResult op_build_tuple(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* t = PyTuple_New(oparg);
  if (!t) FAIL;
  while (--oparg >= 0) PyTuple_SET_ITEM(t, oparg, POP());
  PUSH(t);
  OK;
}

StackResult op_build_list(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* l = PyList_New(oparg);
  if (!l) FAIL;
  while (--oparg >= 0) PyList_SET_ITEM(l, oparg, POP());
  PUSH(l);
  OK;
}

StackResult op_build_set(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* set = PySet_New(nullptr);
  int err = set ? 0 : -1;
  for (int i = oparg; i > 0; i--) {
    PyObject* item = PEEK(i);
    if (err == 0) err = PySet_Add(set, item);
    Py_DECREF(item);
  }
  sp -= oparg;
  if (err) {
    Py_XDECREF(set);
    FAIL;
  }
  PUSH(set);
  OK;
}

StackResult op_build_map(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* map = _PyDict_NewPresized(oparg);
  if (!map) FAIL;
  for (int i = oparg; i > 0; i--) {
    if (PyDict_SetItem(map, PEEK(2 * i), PEEK(2 * i - 1)) != 0) {
      Py_DECREF(map);
      FAIL;
    }
  }
  for (int i = 0; i < 2 * oparg; i++) Py_DECREF(POP());
  PUSH(map);
  OK;
}

StackResult op_build_const_key_map(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* keys = TOP();
  if (!PyTuple_CheckExact(keys) || PyTuple_GET_SIZE(keys) != oparg) {
    PyErr_SetString(PyExc_SystemError, "bad BUILD_CONST_KEY_MAP keys argument");
    FAIL;
  }
  PyObject* map = _PyDict_NewPresized(oparg);
  if (!map) FAIL;
  for (int i = 0; i < oparg; i++) {
    if (PyDict_SetItem(map, PyTuple_GET_ITEM(keys, i), PEEK(oparg + 1 - i)) != 0) {
      Py_DECREF(map);
      FAIL;
    }
  }
  Py_DECREF(POP());
  for (int i = 0; i < oparg; i++) Py_DECREF(POP());
  PUSH(map);
  OK;
}

StackResult op_build_string(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* empty = PyUnicode_New(0, 0);
  if (!empty) FAIL;
  PyObject* s = _PyUnicode_JoinArray(empty, sp - oparg, oparg);
  Py_DECREF(empty);
  for (int i = 0; i < oparg; i++) Py_DECREF(POP());
  if (!s) FAIL;
  PUSH(s);
  OK;
}

#if PY_VERSION_HEX < 0x03090000  // 3.8's BUILD_*_UNPACK; 3.9 extends (LIST_EXTEND, SET_UPDATE, DICT_UPDATE, DICT_MERGE)
template <int Opcode>
StackResult op_build_sequence_unpack(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* sum = PyList_New(0);
  if (!sum) FAIL;
  for (int i = oparg; i > 0; i--) {
    PyObject* none = _PyList_Extend((PyListObject*)sum, PEEK(i));
    if (!none) {
      if (Opcode == BUILD_TUPLE_UNPACK_WITH_CALL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        if (Py_TYPE(PEEK(i))->tp_iter == nullptr && !PySequence_Check(PEEK(i))) {
          PyErr_Clear();
          check_args_iterable(PEEK(1 + oparg), PEEK(i));
        }
      }
      Py_DECREF(sum);
      FAIL;
    }
    Py_DECREF(none);
  }
  PyObject* res = sum;
  if (Opcode != BUILD_LIST_UNPACK) {
    res = PyList_AsTuple(sum);
    Py_DECREF(sum);
    if (!res) FAIL;
  }
  for (int i = 0; i < oparg; i++) Py_DECREF(POP());
  PUSH(res);
  OK;
}

StackResult op_build_set_unpack(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* sum = PySet_New(nullptr);
  if (!sum) FAIL;
  for (int i = oparg; i > 0; i--) {
    if (_PySet_Update(sum, PEEK(i)) < 0) {
      Py_DECREF(sum);
      FAIL;
    }
  }
  for (int i = 0; i < oparg; i++) Py_DECREF(POP());
  PUSH(sum);
  OK;
}

StackResult op_build_map_unpack(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* sum = PyDict_New();
  if (!sum) FAIL;
  for (int i = oparg; i > 0; i--) {
    PyObject* arg = PEEK(i);
    if (PyDict_Update(sum, arg) < 0) {
      if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not a mapping", Py_TYPE(arg)->tp_name);
      }
      Py_DECREF(sum);
      FAIL;
    }
  }
  for (int i = 0; i < oparg; i++) Py_DECREF(POP());
  PUSH(sum);
  OK;
}

StackResult op_build_map_unpack_with_call(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* sum = PyDict_New();
  if (!sum) FAIL;
  for (int i = oparg; i > 0; i--) {
    PyObject* arg = PEEK(i);
    if (_PyDict_MergeEx(sum, arg, 2) < 0) {
      format_kwargs_error(PEEK(2 + oparg), arg);
      Py_DECREF(sum);
      FAIL;
    }
  }
  for (int i = 0; i < oparg; i++) Py_DECREF(POP());
  PUSH(sum);
  OK;
}

#endif

StackResult op_build_slice(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* step = oparg == 3 ? POP() : nullptr;
  PyObject* stop = POP();
  PyObject* start = TOP();
  PyObject* slice = PySlice_New(start, stop, step);
  Py_DECREF(start);
  Py_DECREF(stop);
  Py_XDECREF(step);
  if (!slice) {
    --sp;
    FAIL;
  }
  TOP() = slice;
  OK;
}

StackResult op_list_append(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* v = POP();
  int err = PyList_Append(PEEK(oparg), v);
  Py_DECREF(v);
  if (err) FAIL;
  OK;
}

StackResult op_set_add(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* v = POP();
  int err = PySet_Add(PEEK(oparg), v);
  Py_DECREF(v);
  if (err) FAIL;
  OK;
}

StackResult op_map_add(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject *value = TOP(), *key = SECOND();
  sp -= 2;
  int err = PyDict_SetItem(PEEK(oparg), key, value);
  Py_DECREF(value);
  Py_DECREF(key);
  if (err) FAIL;
  OK;
}

StackResult op_format_value(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* spec = (oparg & FVS_MASK) == FVS_HAVE_SPEC ? POP() : nullptr;
  PyObject* value = POP();
  PyObject* (*conv)(PyObject*) = nullptr;
  switch (oparg & FVC_MASK) {
    case FVC_STR:
      conv = PyObject_Str;
      break;
    case FVC_REPR:
      conv = PyObject_Repr;
      break;
    case FVC_ASCII:
      conv = PyObject_ASCII;
      break;
    default:
      break;
  }
  if (conv) {
    PyObject* converted = conv(value);
    Py_DECREF(value);
    if (!converted) {
      Py_XDECREF(spec);
      FAIL;
    }
    value = converted;
  }
  PyObject* res = value;
  if (!PyUnicode_CheckExact(value) || spec) {
    res = PyObject_Format(value, spec);
    Py_DECREF(value);
    Py_XDECREF(spec);
    if (!res) FAIL;
  }
  PUSH(res);
  OK;
}

// ---- unpacking ------------------------------------------------------------------------------------------

// Unpacks `v` into argcnt values (plus a list and `after` values when after >= 0), stored downwards from
// `top`. Returns false with an exception set and nothing stored.
bool unpack_iterable(PyObject* v, int argcnt, int after, PyObject** top) {
  PyObject** sp = top;
  int i = 0;
  PyObject* it = PyObject_GetIter(v);
  if (!it) {
    if (PyErr_ExceptionMatches(PyExc_TypeError) && Py_TYPE(v)->tp_iter == nullptr && !PySequence_Check(v))
      PyErr_Format(PyExc_TypeError, "cannot unpack non-iterable %.200s object", Py_TYPE(v)->tp_name);
    return false;
  }
  for (; i < argcnt; i++) {
    PyObject* w = PyIter_Next(it);
    if (!w) {
      if (!PyErr_Occurred()) {
        if (after == -1)
          PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected %d, got %d)", argcnt, i);
        else
          PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected at least %d, got %d)",
                       argcnt + after, i);
      }
      goto error;
    }
    *--sp = w;
  }
  if (after == -1) {
    PyObject* w = PyIter_Next(it);
    if (!w) {
      if (PyErr_Occurred()) goto error;
      Py_DECREF(it);
      return true;
    }
    Py_DECREF(w);
    PyErr_Format(PyExc_ValueError, "too many values to unpack (expected %d)", argcnt);
    goto error;
  }
  {
    PyObject* l = PySequence_List(it);
    if (!l) goto error;
    *--sp = l;
    i++;
    Py_ssize_t ll = PyList_GET_SIZE(l);
    if (ll < after) {
      PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected at least %d, got %zd)",
                   argcnt + after, argcnt + ll);
      goto error;
    }
    for (int j = after; j > 0; j--, i++) *--sp = PyList_GET_ITEM(l, ll - j);
    Py_SIZE(l) = ll - after;
    Py_DECREF(it);
    return true;
  }
error:
  for (; i > 0; i--, sp++) Py_DECREF(*sp);
  Py_XDECREF(it);
  return false;
}

StackResult op_unpack_sequence(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* seq = POP();
  PyObject** items = nullptr;
  if (PyTuple_CheckExact(seq) && PyTuple_GET_SIZE(seq) == oparg)
    items = ((PyTupleObject*)seq)->ob_item;
  else if (PyList_CheckExact(seq) && PyList_GET_SIZE(seq) == oparg)
    items = ((PyListObject*)seq)->ob_item;
  if (items) {
    while (oparg--) {
      Py_INCREF(items[oparg]);
      PUSH(items[oparg]);
    }
  } else if (unpack_iterable(seq, oparg, -1, sp + oparg)) {
    sp += oparg;
  } else {
    Py_DECREF(seq);
    FAIL;
  }
  Py_DECREF(seq);
  OK;
}

StackResult op_unpack_ex(PyFrameObject*, PyObject** sp, int oparg) {
  int total = (oparg & 0xFF) + (oparg >> 8) + 1;
  PyObject* seq = POP();
  bool ok = unpack_iterable(seq, oparg & 0xFF, oparg >> 8, sp + total);
  Py_DECREF(seq);
  if (!ok) FAIL;
  sp += total;
  OK;
}

// ---- iteration ------------------------------------------------------------------------------------------

StackResult op_get_yield_from_iter(PyFrameObject* f, PyObject** sp, int) {
  PyObject* iterable = TOP();
  if (PyCoro_CheckExact(iterable)) {
    if (!(f->f_code->co_flags & (CO_COROUTINE | CO_ITERABLE_COROUTINE))) {
      PyErr_SetString(PyExc_TypeError, "cannot 'yield from' a coroutine object in a non-coroutine generator");
      FAIL;
    }
  } else if (!PyGen_CheckExact(iterable)) {
    PyObject* it = PyObject_GetIter(iterable);
    Py_DECREF(iterable);
    if (!it) {
      --sp;
      FAIL;
    }
    TOP() = it;
  }
  OK;
}

// Branch helper: kOk with the next value pushed, kBranch when exhausted (iterator popped), kError.
StackResult op_for_iter(PyFrameObject*, PyObject** sp, int) {
  PyObject* it = TOP();
  PyObject* next = nullptr;
  Resumed how = Resumed::kNotHere;
  if (Py_TYPE(it) == &PyGen_Type && g_resume_generators) how = resume_generator((PyGenObject*)it, nullptr, &next);
  if (how == Resumed::kNotHere) next = Py_TYPE(it)->tp_iternext(it);
  if (how == Resumed::kReturned) Py_CLEAR(next);  // what it returned is dropped, as next() drops it
  if (next) {
    PUSH(next);
    OK;
  }
  if (PyErr_Occurred()) {
    if (!PyErr_ExceptionMatches(PyExc_StopIteration)) FAIL;
    PyErr_Clear();
  }
  --sp;
  Py_DECREF(it);
  return StackResult{sp, kBranch};
}

// ---- imports --------------------------------------------------------------------------------------------

StackResult op_import_name(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* name = name_at(f, oparg);
  PyObject* fromlist = POP();
  PyObject* level = TOP();
  PyObject* res = nullptr;
  static PyObject* import_str = PyUnicode_InternFromString("__import__");
  PyObject* import_func = PyDict_GetItemWithError(f->f_builtins, import_str);
  PyObject* locals = f->f_locals ? f->f_locals : Py_None;
  if (!import_func) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_ImportError, "__import__ not found");
  } else if (import_func == version::builtin_import_function(_PyThreadState_GET())) {
    int ilevel = _PyLong_AsInt(level);
    if (ilevel != -1 || !PyErr_Occurred())
      res = PyImport_ImportModuleLevelObject(name, f->f_globals, locals, fromlist, ilevel);
  } else {
    Py_INCREF(import_func);
    PyObject* args[5] = {name, f->f_globals, locals, fromlist, level};
    res = _PyObject_Vectorcall(import_func, args, 5, nullptr);
    Py_DECREF(import_func);
  }
  Py_DECREF(level);
  Py_DECREF(fromlist);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

StackResult op_import_from(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* res = nullptr;
  int found = _PyObject_LookupAttr(TOP(), name_at(f, oparg), &res);
  if (found < 0) FAIL;
  // The circular-import fallback and its error messages are the interpreter's; let it redo the lookup.
  if (found == 0) RETRY;
  PUSH(res);
  OK;
}

// ---- exceptions and blocks ------------------------------------------------------------------------------

// Raises `exc` (a class or an instance) with an optional `cause`; steals both. Always leaves an exception.
void do_raise(PyObject* exc, PyObject* cause) {
  PyObject *type = nullptr, *value = nullptr;
  if (PyExceptionClass_Check(exc)) {
    type = exc;
    value = _PyObject_CallNoArg(exc);
    if (!value) goto fail;
    if (!PyExceptionInstance_Check(value)) {
      PyErr_Format(PyExc_TypeError, "calling %R should have returned an instance of BaseException, not %R",
                   type, Py_TYPE(value));
      goto fail;
    }
  } else if (PyExceptionInstance_Check(exc)) {
    value = exc;
    type = PyExceptionInstance_Class(exc);
    Py_INCREF(type);
  } else {
    Py_DECREF(exc);
    PyErr_SetString(PyExc_TypeError, "exceptions must derive from BaseException");
    goto fail;
  }
  if (cause) {
    PyObject* fixed;
    if (PyExceptionClass_Check(cause)) {
      fixed = _PyObject_CallNoArg(cause);
      if (!fixed) goto fail;
      Py_DECREF(cause);
    } else if (PyExceptionInstance_Check(cause)) {
      fixed = cause;
    } else if (cause == Py_None) {
      Py_DECREF(cause);
      fixed = nullptr;
    } else {
      PyErr_SetString(PyExc_TypeError, "exception causes must derive from BaseException");
      goto fail;
    }
    cause = nullptr;
    PyException_SetCause(value, fixed);  // steals
  }
  PyErr_SetObject(type, value);
  Py_DECREF(value);
  Py_DECREF(type);
  return;
fail:
  Py_XDECREF(value);
  Py_XDECREF(type);
  Py_XDECREF(cause);
}

// A bare `raise` re-raises the exception being handled without a new traceback entry (kReraise); with
// PYSTON_JIT_HANDLE_EXCEPTIONS=0 the compiler leaves it to the interpreter.
StackResult op_raise_varargs(PyFrameObject*, PyObject** sp, int oparg) {
  if (oparg == 0) {
    _PyErr_StackItem* info = _PyErr_GetTopmostException(_PyThreadState_GET());
    if (info->exc_type == nullptr || info->exc_type == Py_None) {
      PyErr_SetString(PyExc_RuntimeError, "No active exception to reraise");
      FAIL;
    }
    Py_XINCREF(info->exc_type);
    Py_XINCREF(info->exc_value);
    Py_XINCREF(info->exc_traceback);
    PyErr_Restore(info->exc_type, info->exc_value, info->exc_traceback);
    return StackResult{sp, kReraise};
  }
  PyObject* cause = oparg == 2 ? POP() : nullptr;
  PyObject* exc = POP();
  do_raise(exc, cause);
  FAIL;
}

StackResult op_setup_finally(PyFrameObject* f, PyObject** sp, int oparg) {
  // oparg here is the handler as an f_lasti value (version.h), resolved by the compiler.
  version::push_block(f, SETUP_FINALLY, oparg, (int)(sp - f->f_valuestack));
  OK;
}

StackResult op_pop_block(PyFrameObject* f, PyObject** sp, int) {
  version::pop_block(f);
  OK;
}

StackResult op_pop_except(PyFrameObject* f, PyObject** sp, int) {
  PyTryBlock* b = version::pop_block(f);
  if (b->b_type != EXCEPT_HANDLER) {
    PyErr_SetString(PyExc_SystemError, "popped block is not an except handler");
    FAIL;
  }
  _PyErr_StackItem* info = _PyThreadState_GET()->exc_info;
  PyObject *type = info->exc_type, *value = info->exc_value, *tb = info->exc_traceback;
  info->exc_type = POP();
  info->exc_value = POP();
  info->exc_traceback = POP();
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(tb);
  OK;
}

#if PY_VERSION_HEX < 0x03090000  // 3.8's finally blocks; 3.9 has RERAISE
// The end of a finally block or of an unmatched `except`: nothing pending falls through, a pending
// exception is re-raised (kReraise). A return address pushed by CALL_FINALLY is the interpreter's.
StackResult op_end_finally(PyFrameObject*, PyObject** sp, int) {
  PyObject* exc = TOP();
  if (exc == nullptr) {
    --sp;
    OK;
  }
  if (PyLong_CheckExact(exc) || !g_handle_exceptions) RETRY;
  --sp;
  PyObject* value = POP();
  PyObject* tb = POP();
  PyErr_Restore(exc, value, tb);  // steals the stack's references
  return StackResult{sp, kReraise};
}

StackResult op_pop_finally(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* exc = oparg ? SECOND() : TOP();
  if (exc != nullptr && !PyLong_CheckExact(exc)) RETRY;
  PyObject* res = oparg ? POP() : nullptr;
  Py_XDECREF(POP());
  if (oparg) PUSH(res);
  OK;
}

#endif

PyObject* special_lookup(PyObject* o, _Py_Identifier* id) {
  PyObject* res = _PyObject_LookupSpecial(o, id);
  if (!res && !PyErr_Occurred()) PyErr_SetObject(PyExc_AttributeError, _PyUnicode_FromId(id));
  return res;
}

StackResult op_setup_with(PyFrameObject* f, PyObject** sp, int oparg) {
  _Py_IDENTIFIER(__enter__);
  _Py_IDENTIFIER(__exit__);
  PyObject* mgr = TOP();
  PyObject* enter = special_lookup(mgr, &PyId___enter__);
  if (!enter) FAIL;
  PyObject* exit = special_lookup(mgr, &PyId___exit__);
  if (!exit) {
    Py_DECREF(enter);
    FAIL;
  }
  TOP() = exit;
  Py_DECREF(mgr);
  PyObject* res = _PyObject_CallNoArg(enter);
  Py_DECREF(enter);
  if (!res) FAIL;
  version::push_block(f, SETUP_FINALLY, oparg, (int)(sp - f->f_valuestack));
  PUSH(res);
  OK;
}

#if PY_VERSION_HEX < 0x03090000  // 3.8's with cleanup; 3.9 calls __exit__ with CALL_FUNCTION or WITH_EXCEPT_START
// Leaving a `with` block normally: exit(None, None, None). With an exception pending, the interpreter does
// it.
StackResult op_with_cleanup_start(PyFrameObject*, PyObject** sp, int) {
  if (TOP() != nullptr) RETRY;
  --sp;
  PyObject* exit = TOP();
  TOP() = nullptr;
  PyObject* args[3] = {Py_None, Py_None, Py_None};
  PyObject* res = _PyObject_Vectorcall(exit, args, 3, nullptr);
  Py_DECREF(exit);
  if (!res) FAIL;
  Py_INCREF(Py_None);
  PUSH(Py_None);
  PUSH(res);
  OK;
}

StackResult op_with_cleanup_finish(PyFrameObject*, PyObject** sp, int) {
  if (SECOND() != Py_None) RETRY;
  Py_DECREF(POP());
  Py_DECREF(POP());
  OK;
}

#endif

StackResult op_setup_async_with(PyFrameObject* f, PyObject** sp, int oparg) {
  PyObject* res = POP();
  version::push_block(f, SETUP_FINALLY, oparg, (int)(sp - f->f_valuestack));
  PUSH(res);
  OK;
}

StackResult op_before_async_with(PyFrameObject*, PyObject** sp, int) {
  _Py_IDENTIFIER(__aenter__);
  _Py_IDENTIFIER(__aexit__);
  PyObject* mgr = TOP();
  PyObject *enter, *exit;
  if (version::kAsyncWithFindsEnterFirst) {  // which missing method the AttributeError names
    enter = special_lookup(mgr, &PyId___aenter__);
    if (!enter) FAIL;
    exit = special_lookup(mgr, &PyId___aexit__);
    if (!exit) {
      Py_DECREF(enter);
      FAIL;
    }
    TOP() = exit;
    Py_DECREF(mgr);
  } else {
    exit = special_lookup(mgr, &PyId___aexit__);
    if (!exit) FAIL;
    TOP() = exit;
    enter = special_lookup(mgr, &PyId___aenter__);
    Py_DECREF(mgr);
    if (!enter) FAIL;
  }
  PyObject* res = _PyObject_CallNoArg(enter);
  Py_DECREF(enter);
  if (!res) FAIL;
  PUSH(res);
  OK;
}

// ---- generators and coroutines --------------------------------------------------------------------------

StackResult op_get_awaitable(PyFrameObject* f, PyObject** sp, int) {
  PyObject* iterable = TOP();
  PyObject* iter = version::awaitable_iter(iterable);
  if (!iter) {
    PyTypeObject* type = Py_TYPE(iterable);
    if (type->tp_as_async == nullptr || type->tp_as_async->am_await == nullptr) {
      int prev = f->f_lasti >= version::lasti_of_instruction(1) ? _Py_OPCODE(version::unit_near_lasti(f, -1))
                                                                 : 0;
      int before_prev = f->f_lasti >= version::lasti_of_instruction(2)
                            ? _Py_OPCODE(version::unit_near_lasti(f, -2))
                            : 0;
      if (prev == BEFORE_ASYNC_WITH)
        PyErr_Format(PyExc_TypeError,
                     "'async with' received an object from __aenter__ that does not implement __await__: "
                     "%.100s",
                     type->tp_name);
      else if (version::awaits_aexit(prev, before_prev))
        PyErr_Format(PyExc_TypeError,
                     "'async with' received an object from __aexit__ that does not implement __await__: "
                     "%.100s",
                     type->tp_name);
    }
  }
  Py_DECREF(iterable);
  if (iter && PyCoro_CheckExact(iter)) {
    PyObject* yf = version::yield_from_target((PyGenObject*)iter);
    if (yf) {
      Py_DECREF(yf);
      Py_CLEAR(iter);
      PyErr_SetString(PyExc_RuntimeError, "coroutine is being awaited already");
    }
  }
  if (!iter) {
    --sp;
    FAIL;
  }
  TOP() = iter;
  OK;
}

// kOk: the sub-iterator finished and its value replaced it on the stack. kBranch: yield the value left in
// sp[0] (just above the stack) and re-run this instruction on resumption. kError.
StackResult op_yield_from(PyFrameObject*, PyObject** sp, int) {
  PyObject* v = POP();
  PyObject* receiver = TOP();
  bool returned = false;
  PyObject* retval = nullptr;
  Resumed how = Resumed::kNotHere;
  if (Py_TYPE(receiver) == &PyGen_Type && g_resume_generators)
    how = resume_generator((PyGenObject*)receiver, v, &retval);
  if (how == Resumed::kNotHere)
    retval = version::send(receiver, v, &returned);
  else
    returned = how == Resumed::kReturned;
  Py_DECREF(v);
  if (retval && !returned) {
    sp[0] = retval;
    return StackResult{sp, kBranch};
  }
  PyObject* val = retval;
  if (!val && _PyGen_FetchStopIterationValue(&val) < 0) FAIL;
  Py_DECREF(receiver);
  TOP() = val;
  OK;
}

// Called for YIELD_VALUE in async generators: wraps the value as the interpreter does.
StackResult op_async_gen_wrap(PyFrameObject*, PyObject** sp, int) {
  PyObject* v = TOP();
  PyObject* w = version::async_gen_wrap(v);
  Py_DECREF(v);
  if (!w) {
    --sp;
    FAIL;
  }
  TOP() = w;
  OK;
}

// ---- module-level and interactive -----------------------------------------------------------------------

StackResult op_print_expr(PyFrameObject*, PyObject** sp, int) {
  PyObject* value = POP();
  PyObject* hook = PySys_GetObject("displayhook");
  if (!hook) {
    PyErr_SetString(PyExc_RuntimeError, "lost sys.displayhook");
    Py_DECREF(value);
    FAIL;
  }
  PyObject* res = PyObject_CallFunctionObjArgs(hook, value, NULL);
  Py_DECREF(value);
  if (!res) FAIL;
  Py_DECREF(res);
  OK;
}

StackResult op_load_build_class(PyFrameObject* f, PyObject** sp, int) {
  static PyObject* name = PyUnicode_InternFromString("__build_class__");
  PyObject* bc = mapping_lookup(f->f_builtins, name);
  if (!bc) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_NameError, "__build_class__ not found");
    FAIL;
  }
  PUSH(bc);
  OK;
}

StackResult op_setup_annotations(PyFrameObject* f, PyObject** sp, int) {
  static PyObject* name = PyUnicode_InternFromString("__annotations__");
  if (!f->f_locals) {
    PyErr_Format(PyExc_SystemError, "no locals found when setting up annotations");
    FAIL;
  }
  PyObject* ann = mapping_lookup(f->f_locals, name);
  if (ann) {
    Py_DECREF(ann);
    OK;
  }
  if (PyErr_Occurred()) FAIL;
  PyObject* d = PyDict_New();
  if (!d) FAIL;
  int err = PyObject_SetItem(f->f_locals, name, d);
  Py_DECREF(d);
  if (err) FAIL;
  OK;
}

// Branch helpers for `and`/`or`: kBranch jumps keeping the value, kOk pops it.
template <bool JumpIfTrue>
StackResult op_jump_if_or_pop(PyFrameObject*, PyObject** sp, int) {
  PyObject* v = TOP();
  int truth = v == Py_True ? 1 : v == Py_False ? 0 : PyObject_IsTrue(v);
  if (truth < 0) FAIL;
  if ((truth != 0) == JumpIfTrue) return StackResult{sp, kBranch};
  --sp;
  Py_DECREF(v);
  OK;
}

StackResult op_dispatch_missing(PyFrameObject*, PyObject** sp, int) {
  RETRY;
}

#if PY_VERSION_HEX >= 0x03090000
// ---- 3.9's opcodes --------------------------------------------------------------------------------------

// The end of an exceptional finally copy or an unmatched `except`: the exception on the stack again, without
// a new traceback entry (kReraise). 3.10's oparg 1 first points f_lasti at the innermost handler, for the
// line number. With PYSTON_JIT_HANDLE_EXCEPTIONS=0 the interpreter re-raises.
StackResult op_reraise(PyFrameObject* f, PyObject** sp, int oparg) {
  if (!g_handle_exceptions) RETRY;
  if (oparg && f->f_iblock > 0) f->f_lasti = f->f_blockstack[f->f_iblock - 1].b_handler;
  PyObject* exc = POP();
  PyObject* value = POP();
  PyObject* tb = POP();
  PyErr_Restore(exc, value, tb);  // steals the stack's references
  return StackResult{sp, kReraise};
}

// Under the exception (TOP, SECOND, THIRD) and the previous one saved by the handler block, __exit__ is
// the seventh value: push __exit__(exc, value, tb).
StackResult op_with_except_start(PyFrameObject*, PyObject** sp, int) {
  PyObject* args[4] = {nullptr, TOP(), SECOND(), THIRD()};
  PyObject* res = _PyObject_Vectorcall(PEEK(7), args + 1, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, nullptr);
  if (!res) FAIL;
  PUSH(res);
  OK;
}

StackResult op_is_op(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* right = POP();
  PyObject* left = TOP();
  PyObject* res = (left == right) != (oparg != 0) ? Py_True : Py_False;
  Py_INCREF(res);
  TOP() = res;
  Py_DECREF(left);
  Py_DECREF(right);
  OK;
}

StackResult op_contains_op(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* container = POP();
  PyObject* item = POP();
  int r = PySequence_Contains(container, item);
  Py_DECREF(item);
  Py_DECREF(container);
  if (r < 0) FAIL;
  PyObject* res = (r != 0) != (oparg != 0) ? Py_True : Py_False;
  Py_INCREF(res);
  PUSH(res);
  OK;
}

// `except E:`: kBranch (to the next clause) when the exception does not match, kOk when it does.
StackResult op_jump_if_not_exc_match(PyFrameObject*, PyObject** sp, int) {
  PyObject* pattern = POP();
  PyObject* exc = POP();
  PyObject* match = exception_match(exc, pattern);
  Py_DECREF(exc);
  Py_DECREF(pattern);
  if (!match) FAIL;
  bool matched = match == Py_True;
  Py_DECREF(match);
  return StackResult{sp, matched ? kOk : kBranch};
}

StackResult op_list_extend(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* iterable = POP();
  PyObject* none = _PyList_Extend((PyListObject*)PEEK(oparg), iterable);
  if (!none) {
    if (PyErr_ExceptionMatches(PyExc_TypeError) && Py_TYPE(iterable)->tp_iter == nullptr &&
        !PySequence_Check(iterable)) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "Value after * must be an iterable, not %.200s", Py_TYPE(iterable)->tp_name);
    }
    Py_DECREF(iterable);
    FAIL;
  }
  Py_DECREF(none);
  Py_DECREF(iterable);
  OK;
}

StackResult op_set_update(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* iterable = POP();
  int err = _PySet_Update(PEEK(oparg), iterable);
  Py_DECREF(iterable);
  if (err < 0) FAIL;
  OK;
}

StackResult op_dict_update(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* update = POP();
  if (PyDict_Update(PEEK(oparg), update) < 0) {
    if (PyErr_ExceptionMatches(PyExc_AttributeError))
      PyErr_Format(PyExc_TypeError, "'%.200s' object is not a mapping", Py_TYPE(update)->tp_name);
    Py_DECREF(update);
    FAIL;
  }
  Py_DECREF(update);
  OK;
}

// `f(**a, **b)`: the callable is below the positional arguments' tuple and the dict being built.
StackResult op_dict_merge(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* update = POP();
  if (_PyDict_MergeEx(PEEK(oparg), update, 2) < 0) {
    format_kwargs_error(PEEK(2 + oparg), update);
    Py_DECREF(update);
    FAIL;
  }
  Py_DECREF(update);
  OK;
}

StackResult op_load_assertion_error(PyFrameObject*, PyObject** sp, int) {
  Py_INCREF(PyExc_AssertionError);
  PUSH(PyExc_AssertionError);
  OK;
}
#endif

#if PY_VERSION_HEX >= 0x030A0000
// ---- 3.10's opcodes (structural pattern matching) -------------------------------------------------------

StackResult op_get_len(PyFrameObject*, PyObject** sp, int) {
  Py_ssize_t n = PyObject_Length(TOP());
  if (n < 0) FAIL;
  PyObject* len = PyLong_FromSsize_t(n);
  if (!len) FAIL;
  PUSH(len);
  OK;
}

template <unsigned long Flag>
StackResult match_type_flag(PyObject** sp) {
  PyObject* res = PyType_HasFeature(Py_TYPE(TOP()), Flag) ? Py_True : Py_False;
  Py_INCREF(res);
  PUSH(res);
  OK;
}
StackResult op_match_mapping(PyFrameObject*, PyObject** sp, int) {
  return match_type_flag<Py_TPFLAGS_MAPPING>(sp);
}
StackResult op_match_sequence(PyFrameObject*, PyObject** sp, int) {
  return match_type_flag<Py_TPFLAGS_SEQUENCE>(sp);
}

// The values of `keys` in the mapping `subject` as a tuple (new reference), Py_None (new reference) when one
// is missing, nullptr on an error. Looked up with subject.get(key, marker), so a dict subclass's
// __missing__ is not triggered; a key listed twice is a ValueError.
PyObject* match_keys(PyObject* subject, PyObject* keys) {
  Py_ssize_t n = PyTuple_GET_SIZE(keys);
  if (n == 0) return PyTuple_New(0);
  PyObject* result = nullptr;
  PyObject* get = PyObject_GetAttrString(subject, "get");
  PyObject* seen = get ? PySet_New(nullptr) : nullptr;
  PyObject* values = seen ? PyTuple_New(n) : nullptr;
  PyObject* missing = values ? PyObject_CallNoArgs((PyObject*)&PyBaseObject_Type) : nullptr;
  for (Py_ssize_t i = 0; missing && i < n; i++) {
    PyObject* key = PyTuple_GET_ITEM(keys, i);
    int seen_before = PySet_Contains(seen, key);
    if (seen_before || PySet_Add(seen, key) < 0) {
      if (seen_before > 0) PyErr_Format(PyExc_ValueError, "mapping pattern checks duplicate key (%R)", key);
      goto done;
    }
    PyObject* value = PyObject_CallFunctionObjArgs(get, key, missing, nullptr);
    if (!value) goto done;
    if (value == missing) {
      Py_DECREF(value);
      Py_INCREF(Py_None);
      result = Py_None;
      goto done;
    }
    PyTuple_SET_ITEM(values, i, value);
  }
  if (missing) {
    result = values;
    values = nullptr;
  }
done:
  Py_XDECREF(get);
  Py_XDECREF(seen);
  Py_XDECREF(values);
  Py_XDECREF(missing);
  return result;
}

// One attribute of a class pattern (`C(x=...)` or a name from __match_args__): new reference, or nullptr
// (no exception: the subject lacks it, no match); an attribute named twice is a TypeError.
PyObject* match_class_attribute(PyObject* subject, PyTypeObject* type, PyObject* name, PyObject* seen) {
  int seen_before = PySet_Contains(seen, name);
  if (seen_before || PySet_Add(seen, name) < 0) {
    if (seen_before > 0)
      PyErr_Format(PyExc_TypeError, "%s() got multiple sub-patterns for attribute %R", type->tp_name, name);
    return nullptr;
  }
  PyObject* attr = PyObject_GetAttr(subject, name);
  if (!attr && PyErr_ExceptionMatches(PyExc_AttributeError)) PyErr_Clear();
  return attr;
}

// `case C(p1, ..., k1=...)`: a tuple of the `positional` attributes named by C.__match_args__ (or the subject
// itself for the builtin types that match themselves) and those named in `keywords`, or nullptr: no match
// (no exception), or an error.
PyObject* match_class(PyObject* subject, PyObject* cls, Py_ssize_t positional, PyObject* keywords) {
  if (!PyType_Check(cls)) {
    PyErr_SetString(PyExc_TypeError, "called match pattern must be a type");
    return nullptr;
  }
  auto* type = (PyTypeObject*)cls;
  if (PyObject_IsInstance(subject, cls) <= 0) return nullptr;
  Py_ssize_t n = positional + PyTuple_GET_SIZE(keywords);
  PyObject* seen = PySet_New(nullptr);
  PyObject* attrs = seen ? PyTuple_New(n) : nullptr;
  PyObject* match_args = nullptr;
  Py_ssize_t filled = 0;
  if (!attrs) goto fail;
  if (positional) {
    bool match_self = false;
    match_args = PyObject_GetAttrString(cls, "__match_args__");
    if (match_args && !PyTuple_CheckExact(match_args)) {
      PyErr_Format(PyExc_TypeError, "%s.__match_args__ must be a tuple (got %s)", type->tp_name,
                   Py_TYPE(match_args)->tp_name);
      goto fail;
    }
    if (!match_args) {
      if (!PyErr_ExceptionMatches(PyExc_AttributeError)) goto fail;
      PyErr_Clear();
      match_self = PyType_HasFeature(type, _Py_TPFLAGS_MATCH_SELF);  // int(x), str(x), ...
    }
    Py_ssize_t allowed = match_self ? 1 : match_args ? PyTuple_GET_SIZE(match_args) : 0;
    if (allowed < positional) {
      PyErr_Format(PyExc_TypeError, "%s() accepts %zd positional sub-pattern%s (%zd given)", type->tp_name,
                   allowed, allowed == 1 ? "" : "s", positional);
      goto fail;
    }
    for (Py_ssize_t i = 0; i < positional; i++) {
      PyObject* attr;
      if (match_self) {
        Py_INCREF(subject);
        attr = subject;
      } else {
        PyObject* name = PyTuple_GET_ITEM(match_args, i);
        if (!PyUnicode_CheckExact(name)) {
          PyErr_Format(PyExc_TypeError, "__match_args__ elements must be strings (got %s)", Py_TYPE(name)->tp_name);
          goto fail;
        }
        attr = match_class_attribute(subject, type, name, seen);
        if (!attr) goto fail;
      }
      PyTuple_SET_ITEM(attrs, filled++, attr);
    }
  }
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(keywords); i++) {
    PyObject* attr = match_class_attribute(subject, type, PyTuple_GET_ITEM(keywords, i), seen);
    if (!attr) goto fail;
    PyTuple_SET_ITEM(attrs, filled++, attr);
  }
  Py_XDECREF(match_args);
  Py_DECREF(seen);
  return attrs;
fail:
  Py_XDECREF(match_args);
  Py_XDECREF(seen);
  Py_XDECREF(attrs);  // the unfilled slots are NULL, which tuple deallocation skips
  return nullptr;
}

// Pops the keyword names; on a match the subject (below the class) becomes the tuple of attributes and the
// class True, else the class becomes False (an exception: an error).
StackResult op_match_class(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* keywords = POP();
  PyObject* cls = TOP();
  PyObject* subject = SECOND();
  PyObject* attrs = match_class(subject, cls, oparg, keywords);
  Py_DECREF(keywords);
  if (attrs) {
    Py_DECREF(subject);
    SECOND() = attrs;
  } else if (PyErr_Occurred()) {
    FAIL;
  }
  Py_DECREF(cls);
  TOP() = PyBool_FromLong(attrs != nullptr);
  OK;
}

// Pushes the values (a tuple) and True when every key is in the mapping below the keys, else None and False.
StackResult op_match_keys(PyFrameObject*, PyObject** sp, int) {
  PyObject* values = match_keys(SECOND(), TOP());
  if (!values) FAIL;
  PUSH(values);
  PyObject* matched = values == Py_None ? Py_False : Py_True;
  Py_INCREF(matched);
  PUSH(matched);
  OK;
}

// `{**rest}` in a mapping pattern: a dict of the subject without the keys already matched, replacing them.
StackResult op_copy_dict_without_keys(PyFrameObject*, PyObject** sp, int) {
  PyObject* keys = TOP();
  PyObject* rest = PyDict_New();
  if (!rest || PyDict_Update(rest, SECOND()) < 0) {
    Py_XDECREF(rest);
    FAIL;
  }
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(keys); i++) {
    if (PyDict_DelItem(rest, PyTuple_GET_ITEM(keys, i)) < 0) {
      Py_DECREF(rest);
      FAIL;
    }
  }
  Py_DECREF(keys);
  TOP() = rest;
  OK;
}
#endif

}  // namespace

extern "C" void pyston_jit_clear_stack(PyFrameObject* f, PyObject** sp) {
  while (sp > f->f_valuestack) Py_XDECREF(*--sp);
}

// The interpreter's `error:` and `exception_unwind:` for a compiled frame. Blocks are popped down to the
// first SETUP_FINALLY (an except, finally or with handler), releasing the values above each block's level;
// an EXCEPT_HANDLER block on the way gives back the exception it saved. The handler then finds the previous
// exc_info and the caught exception (normalised, its traceback attached) on the stack, as in ceval.c.
extern "C" UnwindResult pyston_jit_unwind(PyFrameObject* f, PyObject** sp, const int64_t* handlers,
                                          int new_traceback) {
  PyThreadState* ts = _PyThreadState_GET();
  if (new_traceback) {
    // the interpreter reports the exception to the tracer (call_exc_trace)
    if (version::tracing(ts)) return {sp, (const void*)kUnwindDeopt};
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "error return without exception set");
    PyTraceBack_Here(f);
  }
  PyObject** base = f->f_valuestack;
  while (PyTryBlock* b = version::pop_block_for_unwinding(f)) {
    if (b->b_type == EXCEPT_HANDLER) {
      while (sp - base > b->b_level + 3) Py_XDECREF(*--sp);
      _PyErr_StackItem* info = ts->exc_info;
      PyObject *type = info->exc_type, *value = info->exc_value, *tb = info->exc_traceback;
      info->exc_type = *--sp;
      info->exc_value = *--sp;
      info->exc_traceback = *--sp;
      Py_XDECREF(type);
      Py_XDECREF(value);
      Py_XDECREF(tb);
      continue;
    }
    while (sp - base > b->b_level) Py_XDECREF(*--sp);
    if (b->b_type != SETUP_FINALLY) continue;
    const void* target = nullptr;
    for (int64_t i = 0, n = handlers ? handlers[0] : 0; i < n; i++)
      if (handlers[1 + 2 * i] == b->b_handler) target = (const void*)handlers[2 + 2 * i];
    if (!target) Py_FatalError("pyston_jit: a handler offset that is no SETUP_* target");
    _PyErr_StackItem* info = ts->exc_info;
    version::push_block(f, EXCEPT_HANDLER, version::except_handler_value(f), int(sp - base));  // (b invalid now)
    *sp++ = info->exc_traceback;  // the stack takes over exc_info's references
    *sp++ = info->exc_value;
    if (info->exc_type) {
      *sp++ = info->exc_type;
    } else {
      Py_INCREF(Py_None);
      *sp++ = Py_None;
    }
    PyObject *exc, *value, *tb;
    PyErr_Fetch(&exc, &value, &tb);
    PyErr_NormalizeException(&exc, &value, &tb);
    PyException_SetTraceback(value, tb ? tb : Py_None);
    Py_INCREF(exc);
    info->exc_type = exc;
    Py_INCREF(value);
    info->exc_value = value;
    info->exc_traceback = tb;
    if (!tb) tb = Py_None;
    Py_INCREF(tb);
    *sp++ = tb;
    *sp++ = value;
    *sp++ = exc;
    g_handlers_entered++;
    return {sp, target};
  }
  while (sp > base) Py_XDECREF(*--sp);
  return {sp, (const void*)kUnwindPropagate};
}

// The status exit of a compiled function (status: kError, kReraise or kResumeAfter): {new sp, handler} to
// jump to a handler, or {the function's result, 0}: NULL (the exception propagates, the stack is empty) or a
// deopt marker (the stack top kept for the interpreter).
extern "C" UnwindResult pyston_jit_status_exit(PyFrameObject* f, PyObject** sp, intptr_t status,
                                               const int64_t* handlers) {
  if (status == kError || status == kReraise) {
    UnwindResult r = pyston_jit_unwind(f, sp, handlers, status == kError);
    if ((uintptr_t)r.target > kUnwindDeopt) return r;
    if ((uintptr_t)r.target == kUnwindPropagate) return {nullptr, nullptr};  // no stack top kept
    version::set_stack_top(f, r.sp);
    return {(PyObject**)kDeoptThrowMarker, nullptr};
  }
  if (status == kResumeBefore) {
    // Compiled code checks for kResumeBefore only where the opcode's row says kRetries (opcodes.def);
    // resuming after the instruction would silently skip it.
    int op = _Py_OPCODE(version::unit_near_lasti(f, 0));
    fprintf(stderr, "pyston_jit: the helper for %s asked to re-run it in the interpreter; its row lacks %s\n",
            kOpcodes[op].name ? kOpcodes[op].name : "?", "kRetries");
    Py_FatalError("pyston_jit: opcode table out of step with a runtime helper");
  }
  version::set_stack_top(f, sp);  // kResumeAfter
  return {(PyObject**)kDeoptResumeMarker, nullptr};
}

extern "C" int pyston_jit_truth_decref(PyObject* v) {
  int r = PyObject_IsTrue(v);
  Py_DECREF(v);
  return r;
}

extern "C" int pyston_jit_eval_breaker(PyFrameObject*) {
  return version::handle_eval_breaker(_PyThreadState_GET());
}

OpcodeHelper helper_for(int opcode) {
  static constexpr std::array<OpcodeHelper, 256> helpers = [] {
    std::array<OpcodeHelper, 256> table{};
#define OPCODE(op, emitter, helper, jump, flags, cache) table[op] = helper;
#include PYSTON_JIT_OPCODES
#undef OPCODE
    return table;
  }();
  return opcode >= 0 && opcode < 256 ? helpers[opcode] : nullptr;
}

// ---- slices without slice objects (PYSTON_JIT_FUSE_SLICES) ----------------------------------------------

// The slice's bounds as PySlice_Unpack would give them, when every part is None or a small int.
static bool small_slice(PyObject* start, PyObject* stop, PyObject* step, Py_ssize_t* b, Py_ssize_t* e,
                        Py_ssize_t* s) {
  long v;
  if (!step || step == Py_None)
    *s = 1;
  else if (small_int(step, &v) && v != 0)
    *s = v;
  else
    return false;
  if (start == Py_None)
    *b = *s < 0 ? PY_SSIZE_T_MAX : 0;
  else if (small_int(start, &v))
    *b = v;
  else
    return false;
  if (stop == Py_None)
    *e = *s < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX;
  else if (small_int(stop, &v))
    *e = v;
  else
    return false;
  return true;
}

// container[b:e:s] for exact lists, tuples and strs (new reference), or nullptr for "take the generic way"
// (never with an exception set, except for a failed allocation, signalled by *error).
static PyObject* fast_slice(PyObject* container, Py_ssize_t b, Py_ssize_t e, Py_ssize_t s, bool* error) {
  *error = false;
  PyObject* res = nullptr;
  if (PyList_CheckExact(container)) {
    Py_ssize_t n = PySlice_AdjustIndices(PyList_GET_SIZE(container), &b, &e, s);
    if (s == 1) {
      res = PyList_GetSlice(container, b, b + n);
    } else if ((res = PyList_New(n))) {
      for (Py_ssize_t i = 0; i < n; i++) {
        PyObject* item = PyList_GET_ITEM(container, b + i * s);
        Py_INCREF(item);
        PyList_SET_ITEM(res, i, item);
      }
    }
  } else if (PyTuple_CheckExact(container) && s == 1) {
    Py_ssize_t n = PySlice_AdjustIndices(PyTuple_GET_SIZE(container), &b, &e, s);
    res = PyTuple_GetSlice(container, b, b + n);
  } else if (PyUnicode_CheckExact(container) && s == 1 && PyUnicode_IS_READY(container)) {
    Py_ssize_t n = PySlice_AdjustIndices(PyUnicode_GET_LENGTH(container), &b, &e, s);
    res = PyUnicode_Substring(container, b, b + n);
  } else {
    return nullptr;
  }
  *error = !res;
  return res;
}

extern "C" StackResult pyston_jit_slice_subscr(PyFrameObject*, PyObject** sp, int oparg) {
  PyObject* step = oparg == 3 ? POP() : nullptr;
  PyObject* stop = POP();
  PyObject* start = POP();
  PyObject* container = TOP();
  Py_ssize_t b, e, s;
  bool error = false;
  PyObject* res = small_slice(start, stop, step, &b, &e, &s) ? fast_slice(container, b, e, s, &error) : nullptr;
  if (!res && !error) {
    PyObject* slice = PySlice_New(start, stop, step);
    res = slice ? PyObject_GetItem(container, slice) : nullptr;
    Py_XDECREF(slice);
  }
  Py_DECREF(start);
  Py_DECREF(stop);
  Py_XDECREF(step);
  Py_DECREF(container);
  if (!res) {
    --sp;
    FAIL;
  }
  TOP() = res;
  OK;
}

// container[start:stop] = v: list_ass_slice directly for exact lists (what list_ass_subscript does for a
// step of 1), else a slice object and PyObject_SetItem.
extern "C" StackResult pyston_jit_slice_store(PyFrameObject*, PyObject** sp, int) {
  PyObject* stop = POP();
  PyObject* start = POP();
  PyObject* container = POP();
  PyObject* v = POP();
  Py_ssize_t b, e, s;
  int err;
  if (PyList_CheckExact(container) && small_slice(start, stop, nullptr, &b, &e, &s)) {
    PySlice_AdjustIndices(PyList_GET_SIZE(container), &b, &e, 1);
    err = PyList_SetSlice(container, b, e, v);
  } else {
    PyObject* slice = PySlice_New(start, stop, nullptr);
    err = slice ? PyObject_SetItem(container, slice, v) : -1;
    Py_XDECREF(slice);
  }
  Py_DECREF(start);
  Py_DECREF(stop);
  Py_DECREF(container);
  Py_DECREF(v);
  if (err) FAIL;
  OK;
}

}  // namespace pyston_jit
