// harness/environment_hook.cpp: chooses the process environment for a benchmark under an interpreter.
#include "harness/environment_hook.h"

#include "harness/environment.h"

namespace harness {

// Benchmarks that declare Debian packages get a provisioned environment (environment.h); others get none.
Environment prepare_environment(const Benchmark& benchmark, const Interpreter& interpreter, const RunOptions&) {
  return provision_for_benchmark(benchmark, interpreter);
}

}  // namespace harness
