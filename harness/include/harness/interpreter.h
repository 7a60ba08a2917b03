// harness/interpreter.h: naming, resolving and probing the Python interpreters under test.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace harness {

// What the user typed: "python3.8", "/usr/bin/pypy3", "python3.8 -X dev", "base=python3.8".
struct InterpreterSpec {
  std::string label;              // "base" or, when none was given, the text as typed
  std::vector<std::string> argv;  // command split on whitespace; argv[0] is a name or a path
};

InterpreterSpec parse_interpreter_spec(const std::string& text);

// Resolution order for a bare name: PATH, then /root/.pyenv/versions/*/bin (or $PYENV_ROOT), then the build
// tree's bin/ (for `pyston`). Paths are taken as given. Throws HarnessError listing every place it looked.
std::filesystem::path resolve_executable(const std::string& name);

// Directories searched after PATH, in order (exposed for the error message and tests).
std::vector<std::filesystem::path> extra_search_dirs();

// The probed facts about one interpreter, recorded once per run.
struct Interpreter {
  std::string label;
  std::vector<std::string> argv;    // argv[0] resolved to an absolute path
  std::filesystem::path executable;
  std::string executable_sha256;
  std::string implementation;       // "cpython", "pypy", "pyston"
  std::string version;              // "3.8.18"
  std::string build_flags;          // e.g. CONFIG_ARGS / compiler
  std::string probe_json;           // everything the probe printed
};

// Runs the interpreter once to ask what it is. Throws HarnessError if it cannot start or is not Python 3.
Interpreter probe_interpreter(const InterpreterSpec& spec);

std::string sha256_file(const std::filesystem::path& path);

}  // namespace harness
