// Google Benchmark microbenchmarks of the baseline compiler: compile time per bytecode instruction for
// typical small functions and for one large function.
#include <benchmark/benchmark.h>

#include <string>

#include "jit/code_memory.h"
#include "jit/compiler.h"
#include "jit/python.h"

namespace {

PyCodeObject* compile_source(const std::string& source, const char* function) {
  PyObject* globals = PyDict_New();
  PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
  PyObject* r = PyRun_String(source.c_str(), Py_file_input, globals, globals);
  Py_XDECREF(r);
  PyObject* fn = PyDict_GetItemString(globals, function);
  if (!fn) {
    PyErr_Print();
    abort();
  }
  auto* co = (PyCodeObject*)PyFunction_GET_CODE(fn);
  Py_INCREF(co);
  Py_DECREF(globals);
  return co;
}

const char* kSmall = R"(
def f(items, n):
    total = 0
    for i, x in enumerate(items):
        if x % 3 == 0 and i < n:
            total += x * 2
        elif x in (1, 2, 5):
            total -= len(str(x))
        else:
            try:
                total += items[i + 1]
            except IndexError:
                break
    with open('/dev/null') as fp:
        fp.write(f'{total}')
    return [y for y in items if y > total]
)";

std::string large_function(int statements) {
  std::string s = "def big(a, b, c):\n    x = 0\n";
  for (int i = 0; i < statements; i++) {
    s += "    x = x + a[" + std::to_string(i % 7) + "] * b.attr" + std::to_string(i % 5) + " - c(x, " +
         std::to_string(i) + ")\n";
    if (i % 10 == 0) s += "    if x > " + std::to_string(i) + ":\n        x = -x\n";
  }
  s += "    return x\n";
  return s;
}

void run(benchmark::State& state, PyCodeObject* co) {
  pyston_jit::CodeMemory memory(size_t(1) << 30);
  size_t units = size_t(PyBytes_GET_SIZE(co->co_code) / 2);
  for (auto _ : state) {
    pyston_jit::CompileOutcome out = pyston_jit::compile_code(co, memory, {});
    if (!out.function) state.SkipWithError(out.failure.c_str());
    benchmark::DoNotOptimize(out.function->entry);
  }
  state.counters["bytecodes"] = double(units);
  state.counters["per_bytecode"] = benchmark::Counter(
      double(units), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_CompileSmallFunction(benchmark::State& state) {
  static PyCodeObject* co = compile_source(kSmall, "f");
  run(state, co);
}
BENCHMARK(BM_CompileSmallFunction);

void BM_CompileLargeFunction(benchmark::State& state) {
  static PyCodeObject* co = compile_source(large_function(int(state.range(0))), "big");
  run(state, co);
}
BENCHMARK(BM_CompileLargeFunction)->Arg(2000);

}  // namespace

int main(int argc, char** argv) {
  Py_InitializeEx(0);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
