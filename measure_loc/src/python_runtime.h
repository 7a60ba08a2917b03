// python_runtime.h: finding a CPython runtime inside another process: which version it is, where _PyRuntime
// and PyCode_Type live, and which layout describes its structs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "layout.h"
#include "process_memory.h"

namespace measure_loc {

struct PythonRuntime {
  Layout layout;
  std::uint64_t runtime_address = 0;    // &_PyRuntime
  std::uint64_t code_type_address = 0;  // &PyCode_Type
  std::string library;                  // the ELF file that defines them
};

// nullopt while no mapped file defines _PyRuntime (not exec'd yet, or not Python). Throws Error when the
// version has no layout in this build. `not_python` remembers files already seen to lack _PyRuntime, so
// polling during start-up stays cheap.
std::optional<PythonRuntime> find_python_runtime(const ProcessMemory& memory,
                                                 std::set<std::string>* not_python = nullptr);

// True once the runtime has an interpreter (Py_Initialize got far enough for frames to exist).
bool runtime_initialized(const ProcessMemory& memory, const PythonRuntime& runtime);

}  // namespace measure_loc
