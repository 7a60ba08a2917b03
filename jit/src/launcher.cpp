// `pyston` (python3.8), `pyston3.9`, `pyston3.10`: that CPython with the reference JIT switched on (unless
// DISABLE_PYSTON=1). Argument handling, the
// REPL, exit codes and sys.executable are CPython's own (Py_InitializeFromConfig + Py_RunMain).
//
// The JIT itself is the pyston_lite extension module, loaded from lib/pyston_lite next to this executable's
// lib/python3.X and registered as a built-in module. Loaded like libpython (into the shared-library part of
// the address space, where the JIT's machine code is allocated too), its helpers are within a rel32 call of
// the code; linked into this position-independent executable they were terabytes away, and every helper call
// was an indirect `call [rip+table]`, which on a real CPU runs out of branch-target buffer on a large app.
#include <Python.h>
#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using ModuleInit = PyObject* (*)();

// From PB_PYSTON_LITE_RELPATH, relative to this executable's real directory, else (a copy of the launcher,
// as `venv --copies` makes) from the build tree's PB_PYSTON_LITE_PATH; nullptr (and why) on failure.
ModuleInit load_jit_module(std::string* error) {
  std::string candidates[2];
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    candidates[0] = std::string(exe);
    candidates[0] = candidates[0].substr(0, candidates[0].rfind('/') + 1) + PB_PYSTON_LITE_RELPATH;
  }
  candidates[1] = PB_PYSTON_LITE_PATH;
  void* handle = nullptr;
  for (const std::string& path : candidates) {
    if (path.empty() || access(path.c_str(), R_OK) != 0) continue;
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      *error = dlerror();
      return nullptr;
    }
    break;
  }
  if (!handle) {
    *error = "not found at " + candidates[0] + " nor at " + candidates[1];
    return nullptr;
  }
  auto init = reinterpret_cast<ModuleInit>(dlsym(handle, "PyInit_pyston_lite"));
  if (!init) *error = "the module has no PyInit_pyston_lite";
  return init;
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
  std::string error;
  ModuleInit init = load_jit_module(&error);
  if (!init) {
    fprintf(stderr, "%s: cannot load the JIT module pyston_lite: %s\n"
            "%s: it is built with the launcher (cmake --build build) into build/lib/pyston_lite\n",
            PB_LAUNCHER_NAME, error.c_str(), PB_LAUNCHER_NAME);
    return 1;
  }
  PyImport_AppendInittab("pyston_lite", init);
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  PyStatus status = PyConfig_SetBytesArgv(&config, argc, argv);
#if PY_VERSION_HEX >= 0x030A0000
  // 3.10's distutils takes srcdir from sysconfig, which resolves symbolic links, and the Makefile's folder
  // from sys.prefix, which does not: under build/ (whose lib/python3.10 is a link) the two disagree
  // (test_distutils). So 3.10's prefix is the CPython it was built against; sys.executable stays this launcher.
  if (!PyStatus_Exception(status)) status = PyConfig_SetBytesString(&config, &config.home, PB_PYTHON_HOME);
#endif
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    if (PyStatus_IsExit(status)) return status.exitcode;
    Py_ExitStatusException(status);
  }
  if (!jit_disabled_by_environment()) {
    PyObject* module = PyImport_ImportModule("pyston_lite");
    PyObject* result = module ? PyObject_CallMethod(module, "enable", nullptr) : nullptr;
    Py_XDECREF(module);
    if (!result) {
      PyErr_Print();
      return 1;
    }
    Py_DECREF(result);
  }
  return Py_RunMain();
}
