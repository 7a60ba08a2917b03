// harness/benchmark.cpp: reading the manifests under macrobenchmarks/ and selecting benchmarks by name or suite.
#include "harness/benchmark.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/error.h"
#include "harness/pyperformance.h"
#include "speedcenter/installation.h"

namespace harness {
namespace fs = std::filesystem;

fs::path project_root() {
  if (const char* home = std::getenv("PYSTON_BENCH_HOME"); home && *home) return home;
  if (const auto& data = speedcenter::installed_data_dir()) return *data;
  throw HarnessError("pyston-bench's data folder (share/pyston-bench with macrobenchmarks/) was not found above " +
                         speedcenter::executable_dir().string(),
                     "run the pyston-bench of a build tree or of `cmake --install`, or set PYSTON_BENCH_HOME to a "
                     "folder holding macrobenchmarks/ and harness/python/");
}

std::vector<Benchmark> load_catalogue(const fs::path& macrobenchmarks_dir) {
  std::error_code ec;
  if (!fs::is_directory(macrobenchmarks_dir, ec))
    throw HarnessError("no benchmark folder at " + macrobenchmarks_dir.string(),
                       "set PYSTON_BENCH_HOME to the pyston-bench source tree");
  std::vector<fs::path> manifests;
  for (const auto& entry : fs::directory_iterator(macrobenchmarks_dir))
    if (fs::exists(entry.path() / "manifest.json")) manifests.push_back(entry.path() / "manifest.json");
  std::sort(manifests.begin(), manifests.end());

  std::vector<Benchmark> catalogue;
  for (const auto& manifest_path : manifests) {
    std::ifstream in(manifest_path);
    nlohmann::json manifest;
    try {
      manifest = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw HarnessError("cannot parse " + manifest_path.string() + ": " + e.what(), "fix the JSON syntax");
    }
    fs::path folder = manifest_path.parent_path();
    for (const auto& entry : manifest.value("benchmarks", nlohmann::json::array())) {
      Benchmark benchmark;
      benchmark.name = entry.value("name", "");
      benchmark.suite = entry.value("suite", folder.filename().string());
      benchmark.kind = entry.value("kind", "batch");
      benchmark.folder = fs::absolute(folder);
      benchmark.file = fs::absolute(folder / entry.value("file", benchmark.name + ".py"));
      benchmark.size = entry.value("size", 0L);
      benchmark.packages = entry.value("packages", std::vector<std::string>{});
      benchmark.description = entry.value("description", "");
      benchmark.manifest = entry;
      if (benchmark.name.empty())
        throw HarnessError("a benchmark in " + manifest_path.string() + " has no name", "add a \"name\" field");
      catalogue.push_back(std::move(benchmark));
    }
  }
  return catalogue;
}

std::vector<Benchmark> full_catalogue(const std::vector<std::string>& extra_dirs) {
  std::vector<Benchmark> catalogue = load_catalogue(project_root() / "macrobenchmarks");
  for (const auto& dir : extra_dirs) {
    auto more = is_pyperformance_folder(dir) ? load_pyperformance_folder(dir) : load_catalogue(dir);
    if (more.empty())
      throw HarnessError("no benchmarks in " + dir,
                         "a --benchmark-dir holds subfolders with a manifest.json, or pyperformance's "
                         "bm_*/run_benchmark.py with pyproject.toml (its data-files/benchmarks folder)");
    catalogue.insert(catalogue.end(), more.begin(), more.end());
  }
  return catalogue;
}

std::vector<Benchmark> select_benchmarks(const std::vector<Benchmark>& catalogue, const std::string& selection) {
  std::string wanted = selection.empty() || selection == "default" ? "micro" : selection;
  std::vector<std::string> names;
  std::istringstream in(wanted);
  for (std::string name; std::getline(in, name, ',');)
    if (!name.empty()) names.push_back(name);

  std::vector<Benchmark> selected;
  std::set<std::string> seen;
  auto add = [&](const Benchmark& b) {
    if (seen.insert(b.name).second) selected.push_back(b);
  };
  for (const auto& name : names) {
    bool found = false;
    for (const auto& b : catalogue) {
      if (name == "all" || b.name == name || b.suite == name) {
        add(b);
        found = true;
      }
    }
    if (!found) {
      std::set<std::string> suites;
      std::string available;
      for (const auto& b : catalogue) {
        suites.insert(b.suite);
        available += " " + b.name;
      }
      std::string suite_list;
      for (const auto& s : suites) suite_list += " " + s;
      throw HarnessError("unknown benchmark '" + name + "'",
                         "suites:" + suite_list + "; benchmarks:" + available);
    }
  }
  return selected;
}

}  // namespace harness
