// code_map.cpp: /proc/PID/maps, ELF function symbols and the JIT's perf map, each read once and again only when
// an address falls outside what was read.
#include "code_map.h"

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace measure_loc {

namespace {

// The eval loop, called once per Python frame on 3.8-3.10 (3.11+ run several frames per call).
constexpr const char* kEvalLoop = "_PyEval_EvalFrameDefault";
constexpr double kMapsRereadSeconds = 0.001;
constexpr double kPerfMapRereadSeconds = 0.001;

std::string read_link(const std::string& path) {
  char buffer[4096];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer - 1);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

std::string filename_of(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

// C++ functions (the JIT's helpers) by their source names.
std::string demangled(const std::string& name) {
  if (name.rfind("_Z", 0) != 0) return name;
  int status = 0;
  char* text = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  std::string result = status == 0 && text ? text : name;
  std::free(text);
  return result;
}

}  // namespace

CodeMap::CodeMap(pid_t pid, std::string runtime_library)
    : pid_(pid),
      runtime_library_(std::move(runtime_library)),
      executable_(read_link("/proc/" + std::to_string(pid) + "/exe")) {
  read_maps();
  read_perf_map();
}

void CodeMap::read_maps() {
  mappings_.clear();
  // A process that is gone has no maps: nothing is found, and the sampler sees it exit.
  for (MapsLine& line : measure_loc::read_maps(pid_).value_or(std::vector<MapsLine>{})) {
    if (line.perms.size() < 3 || line.perms[2] != 'x') continue;
    if (!line.path.empty() && line.path[0] != '/') line.path.clear();  // [vdso], [vsyscall]: no file to read
    mappings_.push_back({line.start, line.end, line.offset, std::move(line.path)});
  }
  std::sort(mappings_.begin(), mappings_.end(), [](const Mapping& a, const Mapping& b) { return a.start < b.start; });
  unmapped_.clear();
  maps_read_at_ = std::chrono::steady_clock::now();
  ++generation_;
}

const CodeMap::Mapping* CodeMap::mapping_rereading(std::uint64_t address) {
  const Mapping* mapping = mapping_at(address);
  if (mapping || unmapped_.count(address) ||
      std::chrono::steady_clock::now() - maps_read_at_ < std::chrono::duration<double>(kMapsRereadSeconds))
    return mapping;
  read_maps();
  mapping = mapping_at(address);
  if (!mapping) unmapped_.insert(address);
  return mapping;
}

// The JIT appends "START SIZE NAME" lines (hex) as it compiles; only the lines added since the last read are read.
// Code memory can be freed and reused, so a later entry replaces the ones it overlaps.
bool CodeMap::read_perf_map() {
  FILE* file = std::fopen(("/tmp/perf-" + std::to_string(pid_) + ".map").c_str(), "r");
  if (!file) return false;
  bool added = false;
  if (std::fseek(file, perf_map_offset_, SEEK_SET) == 0) {
    char line[4096];
    while (std::fgets(line, sizeof line, file)) {
      std::string text = line;
      if (text.empty() || text.back() != '\n') break;  // being written: read it next time
      perf_map_offset_ += static_cast<long>(text.size());
      text.pop_back();
      unsigned long long start = 0, size = 0;
      int name_at = 0;
      if (std::sscanf(text.c_str(), "%llx %llx %n", &start, &size, &name_at) != 2 || size == 0) continue;
      std::uint64_t end = start + size;
      auto it = perf_map_.lower_bound(start);
      if (it != perf_map_.begin() && std::prev(it)->second.end > start) --it;
      while (it != perf_map_.end() && it->first < end) it = perf_map_.erase(it);
      perf_map_[start] = {end, text.substr(static_cast<std::size_t>(name_at))};
      added = true;
    }
  }
  std::fclose(file);
  if (added) ++generation_;
  return added;
}

const CodeMap::Mapping* CodeMap::mapping_at(std::uint64_t address) const {
  auto it = std::upper_bound(mappings_.begin(), mappings_.end(), address,
                             [](std::uint64_t a, const Mapping& m) { return a < m.start; });
  if (it == mappings_.begin()) return nullptr;
  --it;
  return address < it->end ? &*it : nullptr;
}

const CodeMap::PerfEntry* CodeMap::compiled_at(std::uint64_t address) const {
  auto it = perf_map_.upper_bound(address);
  if (it == perf_map_.begin()) return nullptr;
  --it;
  return address < it->second.end ? &it->second : nullptr;
}

const ElfSymbols* CodeMap::symbols(const std::string& path) {
  auto it = symbols_.find(path);
  if (it == symbols_.end()) {
    std::optional<ElfSymbols> loaded = ElfSymbols::load(path, true);
    it = symbols_.emplace(path, loaded ? std::make_unique<ElfSymbols>(std::move(*loaded)) : nullptr).first;
  }
  return it->second.get();
}

// The interpreter's own code: its executable, the library holding the runtime, and the JIT's extension
// (pyston_lite), whose helpers and eval hook sit between the Python frames of compiled code.
bool CodeMap::interpreter_file(const std::string& path) const {
  return path == runtime_library_ || path == executable_ || filename_of(path).rfind("pyston_lite", 0) == 0;
}

const std::string* CodeMap::file_at(std::uint64_t address) {
  const Mapping* mapping = mapping_rereading(address);
  return mapping && !mapping->path.empty() ? &mapping->path : nullptr;
}

NativeCode CodeMap::at(std::uint64_t address) {
  const Mapping* mapping = mapping_rereading(address);
  if (!mapping) return {NativeKind::Other, "", "??"};
  if (mapping->path.empty()) {
    const PerfEntry* compiled = compiled_at(address);
    auto now = std::chrono::steady_clock::now();
    if (!compiled && now - perf_map_read_at_ >= std::chrono::duration<double>(kPerfMapRereadSeconds)) {
      perf_map_read_at_ = now;
      if (read_perf_map()) compiled = compiled_at(address);
    }
    if (compiled) return {NativeKind::Compiled, "", compiled->name};
    return {NativeKind::Other, "", "[anonymous code]"};
  }
  const ElfSymbols* elf = symbols(mapping->path);
  const std::string* function = elf ? elf->function_at(address - mapping->start + mapping->offset) : nullptr;
  NativeCode code{interpreter_file(mapping->path) ? NativeKind::Interpreter : NativeKind::Other, mapping->path,
                  function ? demangled(*function) : "??"};
  if (function && *function == kEvalLoop && mapping->path == runtime_library_) code.kind = NativeKind::EvalLoop;
  return code;
}

}  // namespace measure_loc
