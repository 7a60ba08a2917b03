// harness/pyperformance.h: pyperformance's benchmark layout (a folder of bm_*/ with run_benchmark.py and
// pyproject.toml metadata) as benchmarks of kind "pyperf": finding them, checking their dependencies under an
// interpreter, and the command line of one worker (the script, unchanged, with our pyperf stand-in).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/benchmark.h"
#include "harness/executor.h"
#include "harness/interpreter.h"

namespace harness {

// Benchmark names get this prefix (pp_nbody): pyperformance reuses names of the micro suite (nbody, go, ...)
// and the store keys benchmarks by name, so the two must not share a history.
inline constexpr const char* kPyperformancePrefix = "pp_";

// True when `dir` holds at least one bm_*/run_benchmark.py.
bool is_pyperformance_folder(const std::filesystem::path& dir);

// One benchmark per bm_*/*.toml with a [tool.pyperformance] name (pyproject.toml and variants such as
// bm_pickle/bm_pickle_dict.toml); suite "pyperformance". manifest: extra_opts, dependencies, requires_python,
// tags. Throws HarnessError naming the file for unreadable TOML.
std::vector<Benchmark> load_pyperformance_folder(const std::filesystem::path& dir);

// Why the benchmark cannot run under this interpreter ("needs Chameleon (module chameleon), not importable"
// or "requires Python >=3.10"), or "" when it can. Runs the interpreter once to look the modules up.
std::string pyperformance_unmet_requirements(const Benchmark& benchmark, const Interpreter& interpreter);

// The worker's arguments after the interpreter's: run_benchmark.py, the pyperf flags for warmups, values,
// --min-time and the report fd, then the benchmark's extra_opts. A script with several bench_* calls
// (bm_deepcopy, bm_base64) is measured on its first.
std::vector<std::string> pyperformance_worker_args(const Benchmark& benchmark, const RunOptions& options);

// PYTHONPATH entry that provides our `pyperf` module.
std::filesystem::path pyperf_compat_dir();

}  // namespace harness
