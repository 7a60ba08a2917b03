// elf_symbols.h: dynamic-symbol lookup in ELF files on disk and the mapped files of a process
// (/proc/PID/maps).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace measure_loc {

// The dynamic (.dynsym) and, when present, static (.symtab) symbols of one ELF file: name -> file virtual
// address; with `with_functions`, also address -> function, to name the code at an address (native frames).
class ElfSymbols {
 public:
  // Returns nullopt if the file is not a readable 64-bit ELF.
  static std::optional<ElfSymbols> load(const std::filesystem::path& path, bool with_functions = false);
  std::optional<std::uint64_t> find(const std::string& name) const;
  // Virtual address of the first PT_LOAD segment minus its file offset, to turn a mapping into a load bias.
  std::uint64_t first_load_vaddr() const { return first_load_vaddr_; }
  // The function whose code holds this offset of the file (as /proc/PID/maps gives mappings' offsets);
  // nullptr when no function symbol covers it (stripped code, or loaded without functions).
  const std::string* function_at(std::uint64_t file_offset) const;

 private:
  struct Function {
    std::uint64_t vaddr, size;
    std::string name;
  };
  struct Segment {
    std::uint64_t offset, vaddr, size;
  };
  std::map<std::string, std::uint64_t, std::less<>> symbols_;
  std::uint64_t first_load_vaddr_ = 0;
  std::vector<Function> functions_;  // by address
  std::vector<Segment> segments_;    // PT_LOAD
};

struct MappedFile {
  std::filesystem::path path;
  std::uint64_t start = 0;  // address of its offset-0 mapping
};

// One line of /proc/PID/maps.
struct MapsLine {
  std::uint64_t start = 0, end = 0, offset = 0;
  std::string perms;  // "r-xp"
  std::string path;   // a file, "[vdso]", "[heap]", or "" for anonymous memory
};

// The lines of /proc/PID/maps; nullopt when it cannot be read (errno says why).
std::optional<std::vector<MapsLine>> read_maps(pid_t pid);

// Files mapped into `pid`, each once, with the start of their offset-0 mapping.
// Throws Error (permission, no such process).
std::vector<MappedFile> mapped_files(pid_t pid);

}  // namespace measure_loc
