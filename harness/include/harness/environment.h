// harness/environment.h: per-interpreter benchmark environments built from Debian's pure-Python packages (no
// PyPI), so every interpreter runs the very same library versions. Cached and rebuilt when their inputs change.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/benchmark.h"
#include "harness/executor.h"
#include "harness/interpreter.h"

namespace harness {

// One Debian package the environment holds (a requested one or a dependency).
struct DebianPackage {
  std::string name;
  std::string version;
  std::vector<std::string> files;  // its files under /usr/lib/python3/dist-packages, relative to that dir
};

struct ProvisionedEnvironment {
  std::filesystem::path dir;              // ~/.cache/pyston-bench/envs/<interp-hash>-<inputs-hash>
  std::filesystem::path site;             // dir/site: what goes on PYTHONPATH
  std::vector<DebianPackage> packages;    // the closure, sorted by name
  bool built = false;                     // false when the cached environment was reused
  Environment variables() const;          // PYTHONPATH, PYTHONNOUSERSITE, PB_ENV_DIR
};

struct EnvironmentRequest {
  std::vector<std::string> packages;  // Debian package names, e.g. "python3-flask" (dependencies are followed)
  std::vector<std::string> imports;   // modules that must import afterwards, checked once when built
  std::string purpose;                // who needs it, for error messages ("benchmark flask")
};

// The Debian packages (with their python3-* dependencies) a request resolves to. Throws HarnessError naming the
// apt package when one is not installed.
std::vector<DebianPackage> resolve_debian_packages(const std::vector<std::string>& packages,
                                                   const std::string& purpose);

// Builds (or reuses) the environment for this interpreter. Compiled extension modules (*.so) are left out for
// every interpreter: Debian builds them for its own python3 only, and all interpreters must run the same code.
ProvisionedEnvironment provision_environment(const Interpreter& interpreter, const EnvironmentRequest& request);

// What a benchmark's manifest asks for: its "packages" and "imports".
EnvironmentRequest environment_request(const Benchmark& benchmark);

// Shortcut for executors' prepare(): provision for a benchmark and return the variables to start processes with.
Environment provision_for_benchmark(const Benchmark& benchmark, const Interpreter& interpreter);

// Where environments live: $PYSTON_BENCH_CACHE/envs, else $XDG_CACHE_HOME/pyston-bench/envs, else
// ~/.cache/pyston-bench/envs.
std::filesystem::path environments_root();

}  // namespace harness
