// code_map.h: what runs at an address of the target (--native): its executable mappings (/proc/PID/maps), the
// ELF function symbols of each mapped file, and the JIT's perf map (/tmp/perf-PID.map) for compiled Python code.
// It tells the merge of C and Python stacks which C frames stand for a Python frame.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "elf_symbols.h"

namespace measure_loc {

// What a C frame is, for merging it with the Python frames.
enum class NativeKind {
  EvalLoop,     // the interpreter's eval loop: one call per Python frame (3.8-3.10)
  Compiled,     // JIT-compiled code of one Python function (named in the perf map): one Python frame
  Interpreter,  // the rest of the interpreter (its executable, libpython, the JIT's library): glue between Python frames
  Other,        // C extensions, libc, anything else
};

struct NativeCode {
  NativeKind kind = NativeKind::Other;
  std::string file;      // the mapped file ("" for anonymous memory)
  std::string function;  // symbol, perf-map name, or "??" when nothing names it
};

class CodeMap {
 public:
  // `runtime_library`: the file defining _PyRuntime (libpython, or the executable itself).
  CodeMap(pid_t pid, std::string runtime_library);
  // What runs at `address` (a return address is looked up one byte earlier by the caller). Rereads the maps
  // when the address is in none of them, and the perf map when it is in anonymous memory it does not name.
  NativeCode at(std::uint64_t address);
  // True when `address` is in a mapped file (which may have unwind tables); false for anonymous memory (JIT code).
  bool in_file(std::uint64_t address) { return file_at(address) != nullptr; }
  // The file mapped at `address`; nullptr for anonymous memory and addresses in no mapping.
  const std::string* file_at(std::uint64_t address);
  // Bumped whenever the maps or the perf map were reread: names given out before may have changed.
  std::uint64_t generation() const { return generation_; }
  // True once a perf map was found (JIT-compiled code can be told from other anonymous code).
  bool has_perf_map() const { return perf_map_offset_ > 0; }

 private:
  struct Mapping {
    std::uint64_t start, end, offset;
    std::string path;
  };
  struct PerfEntry {
    std::uint64_t end;
    std::string name;
  };
  const Mapping* mapping_at(std::uint64_t address) const;
  const PerfEntry* compiled_at(std::uint64_t address) const;
  void read_maps();
  // Rereads the maps for an address none of them holds (a library loaded since), once per such address until the
  // maps change and at most every kMapsRereadSeconds: unwinding ends at addresses that are not code (the outermost
  // frame's), and each would otherwise cost a reread per sample.
  const Mapping* mapping_rereading(std::uint64_t address);
  bool read_perf_map();  // true when new entries were read
  const ElfSymbols* symbols(const std::string& path);
  bool interpreter_file(const std::string& path) const;

  pid_t pid_;
  std::string runtime_library_, executable_;
  std::vector<Mapping> mappings_;  // executable ones, by start
  std::unordered_set<std::uint64_t> unmapped_;  // looked up since the last reread, in none of them
  std::map<std::uint64_t, PerfEntry> perf_map_;
  long perf_map_offset_ = 0;
  std::map<std::string, std::unique_ptr<ElfSymbols>> symbols_;  // nullptr: not an ELF file
  std::uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point maps_read_at_, perf_map_read_at_;
};

}  // namespace measure_loc
