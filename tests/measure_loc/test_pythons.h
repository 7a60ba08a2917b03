// test_pythons.h: which interpreter to test each Python version with (the pyenv install for that version).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "layout.h"

namespace measure_loc {

// /root/.pyenv/versions/<version>.*/bin/python<version>, the newest patch release; empty if none.
inline std::string test_python(const std::string& version) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/root/.pyenv/versions", ec)) {
    std::string name = entry.path().filename();
    auto exe = entry.path() / "bin" / ("python" + version);
    if (name.rfind(version + ".", 0) == 0 && std::filesystem::exists(exe)) found.push_back(exe);
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? std::string() : found.back().string();
}

// Versions this build has a layout for, as test parameters ("3.8", ...).
inline std::vector<std::string> layout_versions() {
  std::vector<std::string> versions;
  for (const Layout& layout : built_layouts()) versions.push_back(layout.version());
  return versions;
}

inline std::string version_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = "Python" + info.param;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

}  // namespace measure_loc
