// pyston-jit-bench: the baseline compiler's compile time per bytecode instruction, for a typical small function
// and for one large function, through the JIT's public API only (jit/include).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "jit/code_memory.h"
#include "jit/compiler.h"
#include "jit/python.h"

namespace {

// Google Benchmark 1.7 still exits 0 after SkipWithError; main returns 1 when any benchmark failed, so ctest
// (and anyone scripting these) sees the failure.
bool g_failed = false;

void fail(benchmark::State& state, const std::string& why) {
  g_failed = true;
  state.SkipWithError(why.c_str());
}

// The code object of `function` defined by `source`, or nullptr (the Python error is printed).
PyCodeObject* compile_source(const std::string& source, const char* function) {
  PyObject* globals = PyDict_New();
  PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
  PyObject* result = PyRun_String(source.c_str(), Py_file_input, globals, globals);
  PyObject* fn = result ? PyDict_GetItemString(globals, function) : nullptr;
  PyCodeObject* co = fn ? reinterpret_cast<PyCodeObject*>(PyFunction_GET_CODE(fn)) : nullptr;
  if (!co) PyErr_Print();
  Py_XINCREF(co);
  Py_XDECREF(result);
  Py_DECREF(globals);
  return co;
}

const char* const kSmall = R"(
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

// Compiles `co` once per iteration (the machine code is freed again at the end of each). Reports
// bytecodes/s (items) and the time per bytecode instruction (per_bytecode, CPU time).
void run(benchmark::State& state, PyCodeObject* co) {
  if (!co) return fail(state, "the benchmark's Python source did not compile");
  pyston_jit::CodeMemory memory(size_t(1) << 30);
  auto units = static_cast<double>(PyBytes_GET_SIZE(co->co_code) / 2);
  for (auto _ : state) {
    pyston_jit::CompileOutcome out = pyston_jit::compile_code(co, memory, {});
    if (!out.function) return fail(state, "compile_code failed: " + out.failure);
    benchmark::DoNotOptimize(out.function->entry);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(static_cast<double>(state.iterations()) * units));
  state.counters["bytecodes"] = units;
  state.counters["per_bytecode"] =
      benchmark::Counter(units, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_CompileSmallFunction(benchmark::State& state) {
  static PyCodeObject* co = compile_source(kSmall, "f");
  run(state, co);
}
BENCHMARK(BM_CompileSmallFunction);

void BM_CompileLargeFunction(benchmark::State& state) {
  static PyCodeObject* co = compile_source(large_function(static_cast<int>(state.range(0))), "big");
  run(state, co);
}
BENCHMARK(BM_CompileLargeFunction)->Arg(2000);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  Py_InitializeEx(0);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return g_failed ? 1 : 0;
}
