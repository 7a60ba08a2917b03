// measure_loc/line_table.h: CPython's code-offset -> line mapping for each line-table format, giving exactly
// what the target's own PyCode_Addr2Line would give.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace measure_loc {

// How a code object maps byte offsets to lines.
enum class LineTableFormat {
  Lnotab,     // 3.8, 3.9: co_lnotab pairs (address increment, signed line increment)
  Ranges,     // 3.10: co_linetable pairs (range length, signed line delta; -128 = no line)
  Locations,  // 3.11+: the location table (entries of kind, length and line/column data)
};

inline constexpr int kNoLine = -1;

// The line of the instruction at byte `offset` (negative: the frame has not started, giving firstlineno), or
// kNoLine where CPython reports none. Malformed tables never read outside `table`.
int line_for_offset(LineTableFormat format, std::span<const std::uint8_t> table, int firstlineno, int offset);

// The line of every 2-byte code unit of a code object of `code_bytes` bytes, in one walk of the table: element
// i is line_for_offset(..., 2 * i). The JIT uses it to find where lines start in the code it compiles.
std::vector<int> unit_lines(LineTableFormat format, std::span<const std::uint8_t> table, int firstlineno,
                            int code_bytes);

}  // namespace measure_loc
