// Calls from compiled code: picks the direct route for plain Python functions (bound methods of them, and
// classes with a Python __init__), and answers len(), isinstance() and type(x) without a call when the
// callee is the real builtin and the answer is cheap. Anything else is _PyObject_Vectorcall.
#include "jit/calls.h"

#include "version.h"

namespace pyston_jit {

namespace {

// The builtins recognised by identity: a replaced or shadowed `len` is another object and takes the
// generic route.
PyObject* g_len = nullptr;
PyObject* g_isinstance = nullptr;
// typeobject.c's slot_tp_init (static there): the tp_init of every class whose __init__ is Python code,
// learnt from a probe class.
initproc g_slot_tp_init = nullptr;
PyObject* g_init_name = nullptr;

// Builtin calls enter a recursion level; a fast path that skips the call must raise RecursionError exactly
// when the call would, so it only runs when that level is available.
bool recursion_level_free() {
  return version::below_recursion_limit(_PyThreadState_GET());
}

// len() of the exact builtin containers (a new reference), else nullptr.
PyObject* fast_len(PyObject* o) {
  PyTypeObject* tp = Py_TYPE(o);
  Py_ssize_t n;
  if (tp == &PyList_Type || tp == &PyTuple_Type)
    n = Py_SIZE(o);
  else if (tp == &PyDict_Type)
    n = PyDict_GET_SIZE(o);
  else if (tp == &PyUnicode_Type && PyUnicode_IS_READY(o))
    n = PyUnicode_GET_LENGTH(o);
  else if (tp == &PySet_Type || tp == &PyFrozenSet_Type)
    n = PySet_GET_SIZE(o);
  else if (tp == &PyBytes_Type)
    n = PyBytes_GET_SIZE(o);
  else
    return nullptr;
  return PyLong_FromSsize_t(n);
}

// isinstance(inst, cls) when the answer is True through the exact type or the MRO of a plain `type`
// (False would need the __class__ lookup, and metaclasses may define __instancecheck__): Py_True, else
// nullptr.
PyObject* fast_isinstance(PyObject* inst, PyObject* cls) {
  if ((PyObject*)Py_TYPE(inst) != cls &&
      !(PyType_CheckExact(cls) && PyType_IsSubtype(Py_TYPE(inst), (PyTypeObject*)cls)))
    return nullptr;
  Py_INCREF(Py_True);
  return Py_True;
}

PyObject* builtin_fast_path(PyObject* callable, PyObject* const* args, Py_ssize_t nargs) {
  if (callable == g_len && nargs == 1) return recursion_level_free() ? fast_len(args[0]) : nullptr;
  if (callable == g_isinstance && nargs == 2)
    return recursion_level_free() ? fast_isinstance(args[0], args[1]) : nullptr;
  if (callable == (PyObject*)&PyType_Type && nargs == 1 && recursion_level_free()) {
    PyObject* tp = (PyObject*)Py_TYPE(args[0]);
    Py_INCREF(tp);
    return tp;
  }
  return nullptr;
}

// The paths below are kept out of line so the dispatcher (call_from_compiled) needs no stack frame: every
// call pays for it. Other builtin functions and method descriptors go the generic way: CPython 3.8.18
// already dispatches them by calling convention (cfunction_vectorcall_O, method_vectorcall_O, ...), and
// calling ml_meth from here measured no fewer instructions.
__attribute__((noinline)) PyObject* call_generic(PyObject* callable, PyObject* const* args, size_t nargsf,
                                                 PyObject* kwnames) {
  return _PyObject_Vectorcall(callable, args, nargsf, kwnames);
}

bool has_fast_path(PyObject* callable) {
  return callable == g_len || callable == g_isinstance || callable == (PyObject*)&PyType_Type;
}

__attribute__((noinline)) PyObject* call_builtin(PyObject* callable, PyObject* const* args, size_t nargsf) {
  if (PyObject* r = builtin_fast_path(callable, args, PyVectorcall_NARGS(nargsf))) return r;
  return call_generic(callable, args, nargsf, nullptr);
}

// A bound method of a plain function: `self` goes into the slot below the arguments (ours to use while the
// call lasts, as PY_VECTORCALL_ARGUMENTS_OFFSET says) so the function gets one argument array.
__attribute__((noinline)) PyObject* call_bound_method(PyObject* callable, PyObject* const* args,
                                                      size_t nargsf, PyObject* kwnames) {
  PyObject* func = PyMethod_GET_FUNCTION(callable);
  PyObject** slot = (PyObject**)args - 1;
  PyObject* saved = *slot;
  *slot = PyMethod_GET_SELF(callable);
  PyObject* r = call_python_function(func, slot, PyVectorcall_NARGS(nargsf) + 1, kwnames);
  *slot = saved;
  return r;
}

// __init__ per class, valid while the class keeps its version tag (tags are never reused; assigning any
// attribute of the class or of a base gives it a new one).
struct InitCacheEntry {
  PyTypeObject* type = nullptr;
  unsigned int version = 0;
  PyObject* init = nullptr;  // borrowed from the MRO's dicts, which the version guard keeps unchanged
};
InitCacheEntry g_init_cache[64];

PyObject* lookup_init(PyTypeObject* type) {
  InitCacheEntry& e = g_init_cache[((uintptr_t)type >> 6) & 63];
  bool tagged = PyType_HasFeature(type, Py_TPFLAGS_VALID_VERSION_TAG);
  if (tagged && e.type == type && e.version == type->tp_version_tag) return e.init;
  PyObject* init = _PyType_Lookup(type, g_init_name);  // assigns a version tag when it can
  if (PyType_HasFeature(type, Py_TPFLAGS_VALID_VERSION_TAG)) e = {type, type->tp_version_tag, init};
  return init;
}

// `Cls(args)` for a class of the metaclass `type` whose instances come from object.__new__ and whose __init__
// is a plain Python function: what type_call -> object_new -> slot_tp_init do (one recursion level for the
// type call, the allocation, __init__ with `self` in the slot below the arguments, its result must be None)
// without the argument tuple and the generic dispatch. False when the class is not of that kind.
bool construct_instance(PyTypeObject* type, PyObject* const* args, size_t nargsf, PyObject** result) {
  if (type->tp_new != PyBaseObject_Type.tp_new || type->tp_init != g_slot_tp_init || !g_slot_tp_init ||
      (type->tp_flags & Py_TPFLAGS_IS_ABSTRACT) || !(nargsf & PY_VECTORCALL_ARGUMENTS_OFFSET))
    return false;
  PyObject* init = lookup_init(type);
  if (!init || !PyFunction_Check(init)) return false;
  if (Py_EnterRecursiveCall(" while calling a Python object")) {
    *result = nullptr;
    return true;
  }
  PyObject* obj = type->tp_alloc(type, 0);
  if (obj) {
    Py_INCREF(init);  // __init__ may rebind Cls.__init__ while it runs
    PyObject** slot = (PyObject**)args - 1;
    PyObject* saved = *slot;
    *slot = obj;
    PyObject* res = call_python_function(init, slot, PyVectorcall_NARGS(nargsf) + 1, nullptr);
    *slot = saved;
    Py_DECREF(init);
    if (res != Py_None) {
      if (res)
        PyErr_Format(PyExc_TypeError, "__init__() should return None, not '%.200s'", Py_TYPE(res)->tp_name);
      Py_XDECREF(res);
      Py_CLEAR(obj);
    } else {
      Py_DECREF(res);
    }
  }
  Py_LeaveRecursiveCall();
  *result = version::check_function_result((PyObject*)type, obj);
  return true;
}

// A call of a class: constructed directly when it can be, else like any other callable.
__attribute__((noinline)) PyObject* call_class(PyObject* callable, PyObject* const* args, size_t nargsf) {
  PyObject* result;
  if (construct_instance((PyTypeObject*)callable, args, nargsf, &result)) return result;
  return g_fast_builtins ? call_builtin(callable, args, nargsf)
                         : call_generic(callable, args, nargsf, nullptr);
}

}  // namespace

PyObject* call_from_compiled(PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  PyTypeObject* tp = Py_TYPE(callable);
  if (tp == &PyFunction_Type)
    return g_direct_calls ? call_python_function(callable, args, nargsf, kwnames)
                          : _PyFunction_Vectorcall(callable, args, nargsf, kwnames);
  if (g_direct_calls && tp == &PyMethod_Type && (nargsf & PY_VECTORCALL_ARGUMENTS_OFFSET) &&
      PyFunction_Check(PyMethod_GET_FUNCTION(callable)))
    return call_bound_method(callable, args, nargsf, kwnames);
  if (g_direct_calls && tp == &PyType_Type && !kwnames) return call_class(callable, args, nargsf);
  if (g_fast_builtins && !kwnames && has_fast_path(callable)) return call_builtin(callable, args, nargsf);
  return call_generic(callable, args, nargsf, kwnames);
}

long g_builtin_method_calls = 0;

bool call_method_descriptor(PyObject* callable, PyObject* const* args, Py_ssize_t nargs, PyObject** result) {
  auto* descr = (PyMethodDescrObject*)callable;
  PyObject* self = args[0];
  PyTypeObject* owner = PyDescr_TYPE(descr);
  if (Py_TYPE(self) != owner && !PyType_IsSubtype(Py_TYPE(self), owner)) return false;
  PyCFunction meth = descr->d_method->ml_meth;
  const int flags = descr->d_method->ml_flags & ~METH_COEXIST;  // (METH_METHOD, 3.9+, is not handled)
  if ((flags == METH_NOARGS && nargs != 1) || (flags == METH_O && nargs != 2) ||
      (flags != METH_NOARGS && flags != METH_O && flags != METH_FASTCALL && flags != (METH_FASTCALL | METH_KEYWORDS)))
    return false;
  if (Py_EnterRecursiveCall(" while calling a Python object")) {
    *result = nullptr;
    return true;
  }
  g_builtin_method_calls++;
  PyObject* res;
  if (flags == METH_NOARGS)
    res = meth(self, nullptr);
  else if (flags == METH_O)
    res = meth(self, args[1]);
  else if (flags == METH_FASTCALL)
    res = ((_PyCFunctionFast)(void (*)(void))meth)(self, args + 1, nargs - 1);
  else
    res = ((_PyCFunctionFastWithKeywords)(void (*)(void))meth)(self, args + 1, nargs - 1, nullptr);
  Py_LeaveRecursiveCall();
  // A result with an exception set, or none without one, is the callee's bug: CPython's SystemError.
  *result = res && !PyErr_Occurred() ? res : version::check_function_result(callable, res);
  return true;
}

void init_call_fast_paths() {
  PyObject* builtins = PyImport_ImportModule("builtins");
  if (!builtins) {
    PyErr_Clear();
    return;
  }
  // Kept for the life of the process: the fast paths compare against these pointers.
  g_len = PyObject_GetAttrString(builtins, "len");
  g_isinstance = PyObject_GetAttrString(builtins, "isinstance");
  if (!g_len || !g_isinstance) PyErr_Clear();
  Py_DECREF(builtins);
  g_init_name = PyUnicode_InternFromString("__init__");
  PyObject* ns = PyDict_New();
  if (ns && PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins()) == 0) {
    PyObject* r = PyRun_String("class Probe:\n    def __init__(self): pass\n", Py_file_input, ns, ns);
    PyObject* probe = r ? PyDict_GetItemString(ns, "Probe") : nullptr;
    if (probe && PyType_Check(probe)) g_slot_tp_init = ((PyTypeObject*)probe)->tp_init;
    Py_XDECREF(r);
  }
  if (!g_slot_tp_init) PyErr_Clear();
  Py_XDECREF(ns);  // the probe class stays alive through its own cycles until a collection; harmless
}

}  // namespace pyston_jit
