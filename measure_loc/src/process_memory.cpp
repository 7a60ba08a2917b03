// process_memory.cpp: process_vm_readv wrapper.
#include "process_memory.h"

#include <sys/uio.h>

#include <array>
#include <cerrno>

namespace measure_loc {

bool ProcessMemory::read(std::uint64_t address, void* out, std::size_t size) const {
  if (address == 0) return false;
  iovec local{out, size};
  iovec remote{reinterpret_cast<void*>(address), size};
  ssize_t got = process_vm_readv(pid_, &local, 1, &remote, 1, 0);
  if (got == static_cast<ssize_t>(size)) return true;
  last_error_ = got < 0 ? errno : EFAULT;
  return false;
}

bool ProcessMemory::read_in_order(std::initializer_list<Range> ranges) const {
  std::array<iovec, 8> local{}, remote{};
  std::size_t count = 0, total = 0;
  for (const Range& range : ranges) {
    if (range.address == 0 || count == local.size()) return false;
    local[count] = {range.out, range.size};
    remote[count] = {reinterpret_cast<void*>(range.address), range.size};
    ++count;
    total += range.size;
  }
  ssize_t got = process_vm_readv(pid_, local.data(), count, remote.data(), count, 0);
  if (got == static_cast<ssize_t>(total)) return true;
  last_error_ = got < 0 ? errno : EFAULT;
  return false;
}

}  // namespace measure_loc
