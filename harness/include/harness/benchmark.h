// harness/benchmark.h: the benchmark catalogue, read from macrobenchmarks/*/manifest.json.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace harness {

struct Benchmark {
  std::string name;
  std::string suite;                 // folder name: "micro", "flask", ...
  std::string kind;                  // "batch" or "web"
  std::filesystem::path file;        // absolute path of the benchmark's main file
  std::filesystem::path folder;      // the workload folder
  long size = 0;                     // work per iteration (batch) or requests (web)
  std::vector<std::string> packages; // Debian packages it needs
  std::string description;
  nlohmann::json manifest;           // the whole manifest entry, for kind-specific fields
};

// The project root holding macrobenchmarks/: $PYSTON_BENCH_HOME, else the compiled-in source dir.
std::filesystem::path project_root();

std::vector<Benchmark> load_catalogue(const std::filesystem::path& macrobenchmarks_dir);

// The project's workloads plus those in extra folders given with --benchmark-dir (same manifest layout).
std::vector<Benchmark> full_catalogue(const std::vector<std::string>& extra_dirs);

// Selection: comma-separated names and suite names ("micro", "nbody,flask"); "all" or empty = the default set
// (the micro suite). Unknown names throw HarnessError listing what exists.
std::vector<Benchmark> select_benchmarks(const std::vector<Benchmark>& catalogue, const std::string& selection);

}  // namespace harness
