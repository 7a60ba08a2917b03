// harness/executor.cpp: picks the executor for a benchmark kind.
#include "harness/executor.h"

#include "harness/batch_executor.h"
#include "harness/error.h"
#include "harness/process.h"
#include "harness/web_executor.h"

#include <sstream>

namespace harness {

long RunOptions::size_for(const Benchmark& benchmark) const {
  if (auto it = sizes.find(benchmark.name); it != sizes.end()) return it->second;
  return size > 0 ? size : benchmark.size;
}

void parse_size_option(const std::string& text, RunOptions& options) {
  auto number = [&](const std::string& digits) {
    size_t used = 0;
    long value = 0;
    try {
      value = std::stol(digits, &used);
    } catch (const std::exception&) {
    }
    if (digits.empty() || used != digits.size() || value <= 0)
      throw HarnessError("bad --size '" + text + "'", "give a positive number, or NAME=N,NAME=N per benchmark");
    return value;
  };
  if (text.find('=') == std::string::npos) {
    options.size = number(text);
    return;
  }
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) number("");  // throws with the hint
    options.sizes[item.substr(0, eq)] = number(item.substr(eq + 1));
  }
}

void apply_worker_settings(const RunOptions& options, ProcessOptions& process) {
  process.cpus = options.affinity;
  process.inherit_environ = options.inherit_environ;
}

std::unique_ptr<Executor> make_executor(const std::string& kind) {
  if (kind == "batch" || kind == "pyperf") return make_batch_executor();  // pyperf: pyperformance's scripts
  if (kind == "web") return make_web_executor();
  throw HarnessError("benchmark kind '" + kind + "' is not supported by this build",
                     "known kinds: batch, web, pyperf");
}

}  // namespace harness
