// Telling people's tools about compiled code: perf's /tmp/perf-PID.map, GDB's JIT interface (an in-memory
// ELF file with one function symbol per compiled code object), and PYSTON_JIT_DUMP listings.
#include "debug_tools.h"

#include <elf.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

// The GDB JIT interface: gdb sets a breakpoint in __jit_debug_register_code and reads the descriptor.
extern "C" {
enum jit_actions_t : uint32_t { JIT_NOACTION = 0, JIT_REGISTER_FN, JIT_UNREGISTER_FN };
struct jit_code_entry {
  jit_code_entry* next_entry;
  jit_code_entry* prev_entry;
  const char* symfile_addr;
  uint64_t symfile_size;
};
struct jit_descriptor {
  uint32_t version;
  uint32_t action_flag;
  jit_code_entry* relevant_entry;
  jit_code_entry* first_entry;
};
__attribute__((noinline, used, visibility("default"))) void __jit_debug_register_code() {
  asm volatile("" ::: "memory");
}
__attribute__((used, visibility("default")))
jit_descriptor __jit_debug_descriptor = {1, JIT_NOACTION, nullptr, nullptr};
}

namespace pyston_jit {
namespace {

std::string utf8(PyObject* s) {
  const char* c = s && PyUnicode_Check(s) ? PyUnicode_AsUTF8(s) : nullptr;
  if (!c) PyErr_Clear();
  return c ? c : "?";
}

// A relocatable ELF object with a NOBITS .text at the code's address and one STT_FUNC symbol covering it.
std::vector<char> elf_for_symbol(const std::string& name, uint64_t addr, uint64_t size) {
  const char shstrtab[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
  std::string strtab = std::string(1, '\0') + name + '\0';
  Elf64_Sym syms[2] = {};
  syms[1].st_name = 1;
  syms[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
  syms[1].st_shndx = 1;
  syms[1].st_value = addr;
  syms[1].st_size = size;
  size_t off_sym = sizeof(Elf64_Ehdr);
  size_t off_str = off_sym + sizeof(syms);
  size_t off_shstr = off_str + strtab.size();
  size_t off_sh = (off_shstr + sizeof(shstrtab) + 7) & ~size_t(7);
  std::vector<char> out(off_sh + 5 * sizeof(Elf64_Shdr), 0);
  Elf64_Ehdr eh = {};
  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = EM_X86_64;
  eh.e_version = EV_CURRENT;
  eh.e_shoff = off_sh;
  eh.e_ehsize = sizeof(Elf64_Ehdr);
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = 5;
  eh.e_shstrndx = 4;
  Elf64_Shdr sh[5] = {};
  sh[1] = {1, SHT_NOBITS, SHF_ALLOC | SHF_EXECINSTR, addr, 0, size, 0, 0, 16, 0};
  sh[2] = {7, SHT_SYMTAB, 0, 0, off_sym, sizeof(syms), 3, 1, 8, sizeof(Elf64_Sym)};
  sh[3] = {15, SHT_STRTAB, 0, 0, off_str, strtab.size(), 0, 0, 1, 0};
  sh[4] = {23, SHT_STRTAB, 0, 0, off_shstr, sizeof(shstrtab), 0, 0, 1, 0};
  memcpy(out.data(), &eh, sizeof(eh));
  memcpy(out.data() + off_sym, syms, sizeof(syms));
  memcpy(out.data() + off_str, strtab.data(), strtab.size());
  memcpy(out.data() + off_shstr, shstrtab, sizeof(shstrtab));
  memcpy(out.data() + off_sh, sh, sizeof(sh));
  return out;
}

// One registered function: gdb reads `file` while the entry is in the descriptor's list.
struct GdbEntry {
  jit_code_entry entry;
  std::vector<char> file;
};

// Registered when compiled, unregistered when the code is freed: a stale entry whose range overlaps newer
// code in the same memory makes gdb drop both ranges, and `bt` stops at the newer function.
void* register_with_gdb(const std::string& name, uint64_t addr, uint64_t size) {
  auto* e = new GdbEntry{{__jit_debug_descriptor.first_entry, nullptr, nullptr, 0}, elf_for_symbol(name, addr, size)};
  e->entry.symfile_addr = e->file.data();
  e->entry.symfile_size = e->file.size();
  if (e->entry.next_entry) e->entry.next_entry->prev_entry = &e->entry;
  __jit_debug_descriptor.first_entry = &e->entry;
  __jit_debug_descriptor.relevant_entry = &e->entry;
  __jit_debug_descriptor.action_flag = JIT_REGISTER_FN;
  __jit_debug_register_code();
  return e;
}

namespace {
// The map being written and the process it belongs to. A forked child (a gunicorn worker) must not append to
// its parent's map: its first entry starts its own /tmp/perf-PID.map, beginning with the parent's entries
// written before the fork (that code is in the child's memory too, at the same addresses).
FILE* g_perf_map = nullptr;
int g_perf_map_pid = 0;
long g_perf_map_bytes = 0;  // written by this process (or inherited): the part of the file that is ours

FILE* open_perf_map() {
  int pid = int(getpid());
  if (g_perf_map && g_perf_map_pid == pid) return g_perf_map;
  char path[64];
  snprintf(path, sizeof path, "/tmp/perf-%d.map", pid);
  FILE* map = fopen(path, "w+");  // readable: a child forked later copies it
  if (!map) return nullptr;
  if (g_perf_map) {
    // Forked: the parent's entries up to the fork, then ours. pread leaves the offset the parent shares with
    // us alone, and the parent's stream is left open (closing it could move that offset too).
    std::vector<char> inherited(size_t(g_perf_map_bytes > 0 ? g_perf_map_bytes : 0));
    if (!inherited.empty() && pread(fileno(g_perf_map), inherited.data(), inherited.size(), 0) == ssize_t(inherited.size()))
      fwrite(inherited.data(), 1, inherited.size(), map);
    else
      g_perf_map_bytes = 0;
  }
  g_perf_map = map;
  g_perf_map_pid = pid;
  return map;
}
}  // namespace

void append_perf_map(const std::string& name, uint64_t addr, uint64_t size) {
  FILE* map = open_perf_map();
  if (!map) return;
  int n = fprintf(map, "%lx %lx %s\n", (unsigned long)addr, (unsigned long)size, name.c_str());
  fflush(map);
  if (n > 0) g_perf_map_bytes += n;
}

void write_listing(const std::string& dir, const std::string& name, PyCodeObject* co,
                   const std::string& listing) {
  static int counter = 0;
  std::string file;
  for (char c : name) file += (isalnum((unsigned char)c) || c == '.' || c == '_') ? c : '_';
  if (file.size() > 100) file.resize(100);
  char suffix[48];
  snprintf(suffix, sizeof suffix, "_%d_%d.s", int(getpid()), counter++);
  FILE* out = fopen((dir + "/" + file + suffix).c_str(), "w");
  if (!out) return;
  fprintf(out, "; %s (%zd bytes of bytecode)\n; comments give the bytecode offset, opcode and argument\n",
          name.c_str(), PyBytes_GET_SIZE(co->co_code));
  fputs(listing.c_str(), out);
  fclose(out);
}

}  // namespace

void unregister_from_gdb(void* registration) {
  auto* e = static_cast<GdbEntry*>(registration);
  if (e->entry.prev_entry)
    e->entry.prev_entry->next_entry = e->entry.next_entry;
  else
    __jit_debug_descriptor.first_entry = e->entry.next_entry;
  if (e->entry.next_entry) e->entry.next_entry->prev_entry = e->entry.prev_entry;
  __jit_debug_descriptor.relevant_entry = &e->entry;
  __jit_debug_descriptor.action_flag = JIT_UNREGISTER_FN;
  __jit_debug_register_code();
  delete e;
}

std::string symbol_name(PyCodeObject* co) {
  return "py::" + utf8(co->co_name) + ":" + utf8(co->co_filename) + ":" + std::to_string(co->co_firstlineno);
}

void announce_compiled(PyCodeObject* co, CompiledFunction& fn, const std::string& listing,
                       const Settings& settings) {
  if (!settings.perf_map && !settings.gdb && settings.dump_dir.empty()) return;
  std::string name = symbol_name(co);
  auto addr = (uint64_t)fn.entry;
  if (settings.perf_map) append_perf_map(name, addr, fn.code_size);
  if (settings.gdb) fn.gdb_registration = register_with_gdb(name, addr, fn.code_size);
  if (!settings.dump_dir.empty()) write_listing(settings.dump_dir, name, co, listing);
}

}  // namespace pyston_jit
