// tests/harness/test_support.h: helpers shared by the harness tests (interpreters and fixtures on this machine).
#pragma once

#include <filesystem>
#include <string>

#include "harness/benchmark.h"
#include "harness/interpreter.h"

namespace harness::testing {

inline Interpreter python38() { return probe_interpreter(parse_interpreter_spec("python3.8")); }

inline Benchmark fixture(const std::string& name) {
  for (auto& b : load_catalogue(std::filesystem::path(PB_FIXTURES_DIR) / "macrobenchmarks"))
    if (b.name == name) return b;
  throw std::runtime_error("no fixture " + name);
}

// A fresh temporary directory per test.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("pb-test-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace harness::testing
