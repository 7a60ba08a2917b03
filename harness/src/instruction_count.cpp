// harness/instruction_count.cpp: exact per-iteration instruction counts from two cachegrind runs of a worker.
#include "harness/instruction_count.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include "harness/error.h"

namespace harness {
namespace fs = std::filesystem;

namespace {

// Valgrind is ~50x slower than the interpreter alone.
constexpr double kValgrindSlowdown = 10;

Interpreter under_cachegrind(const Interpreter& interpreter, const fs::path& out_prefix) {
  Interpreter wrapped = interpreter;
  wrapped.argv = {"setarch",
                  "-R",
                  resolve_executable("valgrind").string(),
                  "-q",
                  "--tool=cachegrind",
                  "--cache-sim=no",
                  "--branch-sim=no",
                  "--trace-children=yes",
                  "--smc-check=all-non-file",  // JITs (pyston) write and patch code in anonymous memory
                  "--cachegrind-out-file=" + out_prefix.string() + ".%p"};
  wrapped.argv.insert(wrapped.argv.end(), interpreter.argv.begin(), interpreter.argv.end());
  wrapped.argv.push_back((project_root() / "harness" / "python" / "pb_deterministic.py").string());
  return wrapped;
}

fs::path fresh_directory(int process_index) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() /
                 ("pb-instructions-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
                  std::to_string(process_index));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

std::optional<double> sum_cachegrind_files(const fs::path& dir, const std::string& prefix) {
  double total = 0;
  bool any = false;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);)
      if (line.rfind("summary:", 0) == 0) {
        total += std::stod(line.substr(8));
        any = true;
      }
  }
  return any ? std::optional<double>(total) : std::nullopt;
}

WorkerResult count_instructions(Executor& batch, const Benchmark& benchmark, const Interpreter& interpreter,
                                const Environment& environment, const RunOptions& options, int process_index) {
  RunOptions inner = options;
  inner.instructions = false;
  inner.events.clear();
  inner.timeout_seconds = options.timeout_seconds * kValgrindSlowdown;
  Environment env = environment;
  env["PYTHONHASHSEED"] = "0";
  // Both counted runs must import the same way: a .pyc written (or made stale) between them would count.
  env["PYTHONDONTWRITEBYTECODE"] = "1";
  fs::path dir = fresh_directory(process_index);

  // A native run first writes any missing or stale .pyc, so both counted runs import the same way (they write
  // none themselves: a .pyc compiled in one of them would be counted as work).
  RunOptions prime = inner;
  prime.warmups = prime.iterations = 0;
  batch.run_worker(benchmark, interpreter, environment, prime, process_index);

  std::optional<double> counts[2];
  WorkerResult result;
  for (int extra = 1; extra <= 2; ++extra) {
    inner.iterations = extra;
    std::string prefix = "run" + std::to_string(extra);
    result = batch.run_worker(benchmark, under_cachegrind(interpreter, dir / prefix), env, inner, process_index);
    if (!result.ok) break;
    counts[extra - 1] = sum_cachegrind_files(dir, prefix);
    if (!counts[extra - 1]) {
      result.ok = false;
      result.error = "cachegrind wrote no counts to " + dir.string();
    }
  }
  std::error_code ignored;
  if (result.ok) fs::remove_all(dir, ignored);
  if (!result.ok) return result;
  Metric m{"instructions", *counts[1] - *counts[0], "instructions/iteration", std::nullopt, std::nullopt,
           "exact: cachegrind, iteration " + std::to_string(options.warmups + 2) + " (" +
               std::to_string(options.warmups + 2) + " minus " + std::to_string(options.warmups + 1) +
               " iterations)"};
  result.metrics.push_back(m);
  return result;
}

}  // namespace harness
