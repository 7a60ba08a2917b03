// `pyston`: python3.8 with the reference JIT built in and switched on (unless DISABLE_PYSTON=1). Argument
// handling, the REPL, exit codes and sys.executable are CPython's own (Py_InitializeFromConfig + Py_RunMain).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "jit/jit.h"

namespace {

PyObject* init_pyston_lite() {
  return pyston_jit::create_module();
}

bool wants_version(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) return true;
    if (argv[i][0] != '-' || !strcmp(argv[i], "-c") || !strcmp(argv[i], "-m") || !strcmp(argv[i], "-")) break;
  }
  return false;
}

bool jit_disabled_by_environment() {
  const char* v = getenv("DISABLE_PYSTON");
  return v && *v && strcmp(v, "0") != 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (wants_version(argc, argv)) {
    printf("Python %s\npyston-bench reference JIT 0.1 (pyston_lite, asmjit baseline compiler)\n", PY_VERSION);
    return 0;
  }
  PyImport_AppendInittab("pyston_lite", init_pyston_lite);
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  PyStatus status = PyConfig_SetBytesArgv(&config, argc, argv);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    if (PyStatus_IsExit(status)) return status.exitcode;
    Py_ExitStatusException(status);
  }
  if (!jit_disabled_by_environment() && !pyston_jit::enable()) {
    PyErr_Print();
    return 1;
  }
  return Py_RunMain();
}
