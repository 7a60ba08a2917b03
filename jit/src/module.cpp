// The pyston_lite Python module: enable(), disable(), is_enabled(), stats().
#include "jit/jit.h"

namespace pyston_jit {
namespace {

PyObject* py_enable(PyObject*, PyObject*) {
  if (!enable()) return nullptr;
  Py_RETURN_NONE;
}
PyObject* py_disable(PyObject*, PyObject*) {
  disable();
  Py_RETURN_NONE;
}
PyObject* py_is_enabled(PyObject*, PyObject*) {
  return PyBool_FromLong(is_enabled());
}
PyObject* py_stats(PyObject*, PyObject*) {
  return stats_dict();
}
PyObject* py_is_compiled(PyObject*, PyObject* obj) {
  if (PyFunction_Check(obj)) obj = PyFunction_GET_CODE(obj);
  if (!PyCode_Check(obj)) {
    PyErr_SetString(PyExc_TypeError, "is_compiled() takes a function or a code object");
    return nullptr;
  }
  return PyBool_FromLong(is_compiled((PyCodeObject*)obj));
}

PyMethodDef g_methods[] = {
    {"enable", py_enable, METH_NOARGS, "Compile hot Python functions to machine code from now on."},
    {"disable", py_disable, METH_NOARGS, "Run everything in the stock interpreter from now on."},
    {"is_enabled", py_is_enabled, METH_NOARGS, "Whether the JIT hook is installed."},
    {"stats", py_stats, METH_NOARGS,
     "Counters: functions compiled, code bytes, compile time, deopts, fallbacks."},
    {"is_compiled", py_is_compiled, METH_O, "Whether a function's (or code object's) machine code exists."},
    {nullptr, nullptr, 0, nullptr}};

PyModuleDef g_module = {PyModuleDef_HEAD_INIT, "pyston_lite",
                        "A baseline JIT for CPython 3.8 (pyston-bench's reference JIT).", -1, g_methods};

}  // namespace

PyObject* create_module() {
  return PyModule_Create(&g_module);
}

}  // namespace pyston_jit
