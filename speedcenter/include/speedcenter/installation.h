// speedcenter/installation.h: where this installation's files are, found from the running executable and not
// from a source path compiled in, so the same binaries work in the build tree (build/share/pyston-bench links
// to the sources) and after `cmake --install build --prefix DIR` (DIR/share/pyston-bench), anywhere.
#pragma once

#include <unistd.h>

#include <climits>
#include <filesystem>
#include <optional>

namespace speedcenter {

// The folder holding the running executable (symlinks resolved), e.g. build/bin or DIR/bin.
inline std::filesystem::path executable_dir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}

// share/pyston-bench of the installation the executable belongs to: the first folder upwards from the
// executable that has one (bin/ is one level down in both layouts; test binaries may sit deeper). Looked up
// once per process: every worker start asks for it.
inline const std::optional<std::filesystem::path>& installed_data_dir() {
  static const std::optional<std::filesystem::path> found = []() -> std::optional<std::filesystem::path> {
    std::error_code ec;
    for (std::filesystem::path dir = executable_dir(); !dir.empty(); dir = dir.parent_path()) {
      std::filesystem::path candidate = dir / "share" / "pyston-bench";
      if (std::filesystem::is_directory(candidate / "macrobenchmarks", ec)) return candidate;
      if (dir == dir.root_path()) break;
    }
    return std::nullopt;
  }();
  return found;
}

}  // namespace speedcenter
