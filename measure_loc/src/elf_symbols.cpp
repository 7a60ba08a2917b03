// elf_symbols.cpp: a small reader for ELF64 symbol tables and /proc/PID/maps.
#include "elf_symbols.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "measure_loc/profile.h"

namespace measure_loc {

namespace {

// A read-only mapping of a whole file, unmapped on destruction.
class MappedFileView {
 public:
  explicit MappedFileView(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<const unsigned char*>(p);
        size_ = static_cast<size_t>(st.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFileView() {
    if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  MappedFileView(const MappedFileView&) = delete;
  MappedFileView& operator=(const MappedFileView&) = delete;
  const unsigned char* data() const { return data_; }
  size_t size() const { return size_; }
  bool contains(std::uint64_t offset, std::uint64_t length) const {
    return offset <= size_ && length <= size_ - offset;
  }

 private:
  const unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

std::optional<ElfSymbols> ElfSymbols::load(const std::filesystem::path& path, bool with_functions) {
  MappedFileView file(path);
  if (!file.data() || !file.contains(0, sizeof(Elf64_Ehdr))) return std::nullopt;
  Elf64_Ehdr header;
  std::memcpy(&header, file.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) {
    return std::nullopt;
  }
  ElfSymbols result;
  bool found_load = false;
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    std::uint64_t at = header.e_phoff + std::uint64_t{i} * header.e_phentsize;
    if (!file.contains(at, sizeof(Elf64_Phdr))) break;
    Elf64_Phdr ph;
    std::memcpy(&ph, file.data() + at, sizeof ph);
    if (ph.p_type == PT_LOAD && !found_load) {
      result.first_load_vaddr_ = ph.p_vaddr - ph.p_offset;
      found_load = true;
    }
    if (ph.p_type == PT_LOAD) result.segments_.push_back({ph.p_offset, ph.p_vaddr, ph.p_filesz});
  }
  std::vector<Elf64_Shdr> sections;
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    std::uint64_t at = header.e_shoff + std::uint64_t{i} * header.e_shentsize;
    if (!file.contains(at, sizeof(Elf64_Shdr))) return result;
    Elf64_Shdr sh;
    std::memcpy(&sh, file.data() + at, sizeof sh);
    sections.push_back(sh);
  }
  for (const Elf64_Shdr& sh : sections) {
    if ((sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_SYMTAB) || sh.sh_link >= sections.size()) continue;
    const Elf64_Shdr& strings = sections[sh.sh_link];
    if (!file.contains(sh.sh_offset, sh.sh_size) || !file.contains(strings.sh_offset, strings.sh_size))
      continue;
    const char* names = reinterpret_cast<const char*>(file.data() + strings.sh_offset);
    for (std::uint64_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, file.data() + sh.sh_offset + off, sizeof sym);
      if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0 || sym.st_name >= strings.sh_size) continue;
      int type = ELF64_ST_TYPE(sym.st_info);
      if (type != STT_OBJECT && type != STT_FUNC) continue;
      const char* name = names + sym.st_name;
      if (::strnlen(name, strings.sh_size - sym.st_name) == strings.sh_size - sym.st_name) continue;
      result.symbols_.emplace(name, sym.st_value);
      if (with_functions && type == STT_FUNC) result.functions_.push_back({sym.st_value, sym.st_size, name});
    }
  }
  std::sort(result.functions_.begin(), result.functions_.end(),
            [](const Function& a, const Function& b) { return a.vaddr < b.vaddr; });
  return result;
}

const std::string* ElfSymbols::function_at(std::uint64_t file_offset) const {
  for (const Segment& segment : segments_) {
    if (file_offset < segment.offset || file_offset >= segment.offset + segment.size) continue;
    std::uint64_t vaddr = file_offset - segment.offset + segment.vaddr;
    auto it = std::upper_bound(functions_.begin(), functions_.end(), vaddr,
                               [](std::uint64_t v, const Function& f) { return v < f.vaddr; });
    // Aliases share an address: any of them whose size covers the address names it.
    for (std::uint64_t start = 0; it != functions_.begin();) {
      --it;
      if (start != 0 && it->vaddr != start) break;
      start = it->vaddr;
      if (vaddr < it->vaddr + std::max<std::uint64_t>(it->size, 1)) return &it->name;
    }
    return nullptr;
  }
  return nullptr;
}

std::optional<std::uint64_t> ElfSymbols::find(const std::string& name) const {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::vector<MapsLine>> read_maps(pid_t pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  if (!maps) return std::nullopt;
  std::vector<MapsLine> result;
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::string range, offset, dev, inode;
    MapsLine entry;
    fields >> range >> entry.perms >> offset >> dev >> inode;
    std::getline(fields >> std::ws, entry.path);
    auto dash = range.find('-');
    if (dash == std::string::npos || offset.empty()) continue;
    entry.start = std::stoull(range.substr(0, dash), nullptr, 16);
    entry.end = std::stoull(range.substr(dash + 1), nullptr, 16);
    entry.offset = std::stoull(offset, nullptr, 16);
    result.push_back(std::move(entry));
  }
  return result;
}

std::vector<MappedFile> mapped_files(pid_t pid) {
  std::optional<std::vector<MapsLine>> maps = read_maps(pid);
  if (!maps) {
    int err = errno;
    if (err == EACCES || err == EPERM) {
      throw Error("may not read the memory map of process " + std::to_string(pid),
                  "run measure_loc as the same user as the target (or as root)", kExitPermission);
    }
    throw Error("no such process: " + std::to_string(pid), "check the PID with `ps`", kExitTargetFailed);
  }
  std::vector<MappedFile> result;
  std::set<std::string> seen;
  for (const MapsLine& line : *maps) {
    if (line.path.empty() || line.path[0] != '/' || seen.count(line.path)) continue;
    if (line.offset != 0) continue;  // the offset-0 mapping is the lowest one of each file
    seen.insert(line.path);
    result.push_back({line.path, line.start});
  }
  return result;
}

}  // namespace measure_loc
