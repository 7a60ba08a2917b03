// process_memory.h: reading another process's memory without stopping it (process_vm_readv).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace measure_loc {

class ProcessMemory {
 public:
  explicit ProcessMemory(pid_t pid) : pid_(pid) {}
  pid_t pid() const { return pid_; }

  // Copies `size` bytes at `address`; false if any part could not be read (freed, unmapped, process gone).
  bool read(std::uint64_t address, void* out, std::size_t size) const;
  template <typename T>
  bool read_value(std::uint64_t address, T& out) const {
    return read(address, &out, sizeof(T));
  }
  bool read_pointer(std::uint64_t address, std::uint64_t& out) const { return read_value(address, out); }
  struct Range {
    std::uint64_t address;
    void* out;
    std::size_t size;
  };
  // Copies several ranges with one system call. The kernel copies them one after another, in the order given,
  // so a later range is read after an earlier one: a value read last can confirm that the ones before it were
  // still current while they were copied.
  bool read_in_order(std::initializer_list<Range> ranges) const;
  // errno of the last failed read (EPERM/ESRCH tell the caller why).
  int last_error() const { return last_error_; }

 private:
  pid_t pid_;
  mutable int last_error_ = 0;
};

}  // namespace measure_loc
