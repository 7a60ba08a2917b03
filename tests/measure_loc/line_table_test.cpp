// line_table_test.cpp: measure_loc's line-table decoders against CPython's own PyCode_Addr2Line, over every
// instruction offset of standard-library code, for every Python version this build has a layout for.
// CI checks every 8th stdlib file; MEASURE_LOC_FULL_STDLIB=1 checks the whole standard library.
#include "measure_loc/line_table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "layout.h"
#include "test_pythons.h"

namespace measure_loc {
namespace {

std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

struct Tally {
  long code_objects = 0, offsets = 0, mismatches = 0;
  std::string first_mismatch;
};

void compare_code_object(const Layout& layout, const std::string& header, const std::string& expected,
                         Tally& t) {
  std::istringstream h(header);
  std::string tag, hex;
  int firstlineno = 0, size = 0;
  h >> tag >> firstlineno >> hex >> size;
  if (hex == "0") hex.clear();
  std::vector<std::uint8_t> table = from_hex(hex);
  std::istringstream lines(expected.substr(2));
  std::string value;
  int offset = -2;
  ++t.code_objects;
  const std::vector<int> by_unit = unit_lines(layout.line_table, table, firstlineno, size);
  if (by_unit.size() != static_cast<std::size_t>(size / 2) && t.mismatches++ == 0)
    t.first_mismatch = "unit_lines gave " + std::to_string(by_unit.size()) + " lines for " + header.substr(0, 120);
  while (std::getline(lines, value, ',')) {
    int want = std::stoi(value);
    int got = line_for_offset(layout.line_table, table, firstlineno, offset);
    // The one-walk decoder gives the same line at every instruction.
    if (offset >= 0 && static_cast<std::size_t>(offset / 2) < by_unit.size() && by_unit[offset / 2] != got)
      got = -1000 - by_unit[offset / 2];
    ++t.offsets;
    if (got != want && t.mismatches++ == 0) {
      t.first_mismatch = "offset " + std::to_string(offset) + " of " + header.substr(0, 120) + ": CPython " +
                         std::to_string(want) + ", ours " + std::to_string(got) + " (below -1000: unit_lines)";
    }
    offset += 2;
  }
}

class LineTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LineTableTest, MatchesPyCodeAddr2LineOverStdlib) {
  const Layout layout = *find_layout(3, std::stoi(GetParam().substr(2)));
  std::string python = test_python(layout.version());
  if (python.empty()) GTEST_SKIP() << "no interpreter for Python " << layout.version();
  const char* full = std::getenv("MEASURE_LOC_FULL_STDLIB");
  std::string every = full && std::string(full) == "1" ? "1" : "8";
  std::string command = python + " " + ML_TEST_SOURCE_DIR + "/dump_line_tables.py --every " + every;
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  Tally tally;
  std::string header, line;
  char* buffer = nullptr;
  size_t capacity = 0;
  ssize_t length;
  while ((length = getline(&buffer, &capacity, pipe)) > 0) {
    line.assign(buffer, static_cast<size_t>(length));
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.rfind("C ", 0) == 0) {
      header = line;
    } else if (line.rfind("L ", 0) == 0) {
      compare_code_object(layout, header, line, tally);
    }
  }
  free(buffer);
  ASSERT_EQ(pclose(pipe), 0) << command;
  EXPECT_GT(tally.code_objects, 1000) << "too few code objects dumped";
  EXPECT_EQ(tally.mismatches, 0) << tally.first_mismatch;
  std::printf("Python %s: %ld code objects, %ld offsets, %ld mismatches\n", layout.version().c_str(),
              tally.code_objects, tally.offsets, tally.mismatches);
}

INSTANTIATE_TEST_SUITE_P(Versions, LineTableTest, ::testing::ValuesIn(layout_versions()), version_test_name);

}  // namespace
}  // namespace measure_loc
