// python_runtime.cpp: version detection (Py_Version, else the library name, else which API symbols exist)
// and, on 3.13+, cross-checking the generated layout against the target's own _Py_DebugOffsets.
#include "python_runtime.h"

#include <cstring>
#include <regex>

#include "elf_symbols.h"
#include "measure_loc/profile.h"

namespace measure_loc {

namespace {

struct Version {
  int major = 0, minor = 0;
};

std::optional<Version> version_from_name(const std::string& path) {
  static const std::regex pattern(R"((?:libpython|python)(\d)\.(\d+))");
  std::smatch m;
  std::string name = std::filesystem::path(path).filename();
  if (!std::regex_search(name, m, pattern)) return std::nullopt;
  return Version{std::stoi(m[1]), std::stoi(m[2])};
}

Version detect_version(const ProcessMemory& memory, const ElfSymbols& symbols, std::uint64_t bias,
                       const std::string& path) {
  if (auto py_version = symbols.find("Py_Version")) {
    std::uint32_t hex = 0;
    if (memory.read_value(*py_version + bias, hex)) return {int(hex >> 24), int((hex >> 16) & 0xff)};
  }
  if (auto named = version_from_name(path)) return *named;
  // An embedding executable without a telling name (e.g. pyston): API symbols added in 3.9 and 3.10.
  if (symbols.find("Py_NewRef")) return {3, 10};
  if (symbols.find("PyFrame_GetCode")) return {3, 9};
  return {3, 8};
}

// 3.13+: _PyRuntime starts with _Py_DebugOffsets; prefer the target's own numbers to the header-derived ones.
void apply_debug_offsets(const ProcessMemory& memory, std::uint64_t runtime, Layout& layout) {
  struct {
    char cookie[8];
    std::uint64_t version, free_threaded;
    std::uint64_t runtime_size, finalizing, interpreters_head;
    std::uint64_t interp_size, id, next, threads_head, gc, imports_modules, sysdict, builtins, ceval_gil,
        gil_runtime_state, gil_enabled, gil_locked, gil_holder;
    std::uint64_t tstate_size, prev, tnext, interp, current_frame, thread_id, native_thread_id, datastack,
        status;
    std::uint64_t frame_size, previous, executable, instr_ptr, localsplus, owner;
    std::uint64_t code_size, filename, name, qualname, linetable, firstlineno, argcount, lpnames, lpkinds,
        co_code_adaptive;
  } offsets;
  if (!memory.read_value(runtime, offsets) || std::memcmp(offsets.cookie, "xdebugpy", 8) != 0) return;
  if (int((offsets.version >> 24) & 0xff) != layout.major ||
      int((offsets.version >> 16) & 0xff) != layout.minor) {
    return;
  }
  auto set = [](std::int64_t& field, std::uint64_t value) { field = static_cast<std::int64_t>(value); };
  set(layout.runtime_interpreters_head, offsets.interpreters_head);
  set(layout.interp_threads_head, offsets.threads_head);
  set(layout.interp_gil, offsets.ceval_gil);
  set(layout.gil_locked, offsets.gil_locked - offsets.gil_runtime_state);
  set(layout.gil_last_holder, offsets.gil_holder - offsets.gil_runtime_state);
  set(layout.tstate_next, offsets.tnext);
  set(layout.tstate_thread_id, offsets.thread_id);
  set(layout.tstate_frame, offsets.current_frame);
  set(layout.frame_back, offsets.previous);
  set(layout.frame_code, offsets.executable);
  set(layout.frame_instruction, offsets.instr_ptr);
  set(layout.frame_owner, offsets.owner);
  set(layout.code_filename, offsets.filename);
  set(layout.code_name, offsets.name);
  set(layout.code_linetable, offsets.linetable);
  set(layout.code_firstlineno, offsets.firstlineno);
  set(layout.code_adaptive, offsets.co_code_adaptive);
}

std::string missing_hint() {
  std::string missing;
  for (const std::string& v : missing_layout_versions()) missing += (missing.empty() ? "" : ", ") + v;
  std::string built;
  for (const Layout& layout : built_layouts()) built += (built.empty() ? "" : ", ") + layout.version();
  std::string hint = "this build has layouts for: " + (built.empty() ? std::string("none") : built);
  if (!missing.empty()) hint += "; headers were absent at build time for " + missing;
  return hint + " (install that version's headers under /root/.pyenv/versions and rebuild)";
}

}  // namespace

std::optional<PythonRuntime> find_python_runtime(const ProcessMemory& memory,
                                                 std::set<std::string>* not_python) {
  for (const MappedFile& file : mapped_files(memory.pid())) {
    if (not_python && not_python->count(file.path.string())) continue;
    std::optional<ElfSymbols> symbols = ElfSymbols::load(file.path);
    auto runtime = symbols ? symbols->find("_PyRuntime") : std::nullopt;
    auto code_type = symbols ? symbols->find("PyCode_Type") : std::nullopt;
    if (!runtime || !code_type) {
      if (symbols && symbols->find("Py_Initialize")) {
        throw Error(file.path.string() + " is a Python older than 3.7 (no _PyRuntime)",
                    "measure_loc supports CPython 3.8-3.13 and pyston", kExitNoLayout);
      }
      if (not_python) not_python->insert(file.path.string());
      continue;
    }
    std::uint64_t bias = file.start - symbols->first_load_vaddr();
    Version version = detect_version(memory, *symbols, bias, file.path);
    std::optional<Layout> layout = find_layout(version.major, version.minor);
    if (!layout) {
      throw Error("the target runs Python " + std::to_string(version.major) + "." +
                      std::to_string(version.minor) +
                      ", which this build of measure_loc has no struct layout for",
                  missing_hint(), kExitNoLayout);
    }
    PythonRuntime result{*layout, *runtime + bias, *code_type + bias, file.path.string()};
    if (result.layout.major == 3 && result.layout.minor >= 13) {
      apply_debug_offsets(memory, result.runtime_address, result.layout);
    }
    return result;
  }
  return std::nullopt;
}

bool runtime_initialized(const ProcessMemory& memory, const PythonRuntime& runtime) {
  std::uint64_t interp = 0;
  return memory.read_pointer(runtime.runtime_address + runtime.layout.runtime_interpreters_head, interp) &&
         interp != 0;
}

}  // namespace measure_loc
