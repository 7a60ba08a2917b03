// harness/environment_hook.cpp: chooses the process environment for a benchmark under an interpreter.
#include "harness/environment_hook.h"

#include "harness/error.h"

namespace harness {

Environment prepare_environment(const Benchmark& benchmark, const Interpreter& interpreter, const RunOptions&) {
  Environment environment;
  if (!benchmark.packages.empty())
    throw HarnessError("benchmark '" + benchmark.name + "' needs a provisioned environment under " +
                           interpreter.label + ", which this build cannot make yet",
                       "run the micro suite (-b micro) instead");
  return environment;
}

}  // namespace harness
