// line_table.cpp: line-table decoders. Each walks the table the way CPython's address-range iterator does,
// including its quirks (zero-length ranges in 3.10 still move the line; "no line" entries report -1).
#include "measure_loc/line_table.h"

#include <algorithm>
#include <cstddef>

namespace measure_loc {

namespace {

int lnotab_line(std::span<const std::uint8_t> table, int firstlineno, int offset) {
  int line = firstlineno;
  int address = 0;
  for (std::size_t i = 0; i + 1 < table.size(); i += 2) {
    address += table[i];
    if (address > offset) break;
    line += static_cast<std::int8_t>(table[i + 1]);
  }
  return line;
}

// The state CPython keeps while walking ranges: [start, end) in bytes and the line of that range.
struct Range {
  int start = -1, end = 0, line = kNoLine;
  int computed_line = 0;
  std::size_t next = 0;
};

// 3.10: one (length, delta) pair per range.
bool next_pair_range(std::span<const std::uint8_t> table, Range& r) {
  if (r.next + 1 >= table.size()) return false;
  r.start = r.end;
  r.end += table[r.next];
  int delta = static_cast<std::int8_t>(table[r.next + 1]);
  r.next += 2;
  if (delta == -128) {
    r.line = kNoLine;
  } else {
    r.computed_line += delta;
    r.line = r.computed_line;
  }
  return true;
}

bool next_nonempty_pair_range(std::span<const std::uint8_t> table, Range& r) {
  if (!next_pair_range(table, r)) return false;
  while (r.start == r.end) {
    if (!next_pair_range(table, r)) return false;
  }
  return true;
}

// 3.11+: varints of 6-bit chunks, least significant first; bit 0x40 says another chunk follows.
unsigned read_varint(std::span<const std::uint8_t> table, std::size_t at) {
  if (at >= table.size()) return 0;
  unsigned byte = table[at];
  unsigned value = byte & 63;
  unsigned shift = 0;
  while ((byte & 64) && ++at < table.size() && shift < 30) {
    byte = table[at];
    shift += 6;
    value |= (byte & 63) << shift;
  }
  return value;
}

int read_signed_varint(std::span<const std::uint8_t> table, std::size_t at) {
  unsigned value = read_varint(table, at);
  return (value & 1) ? -static_cast<int>(value >> 1) : static_cast<int>(value >> 1);
}

int location_line_delta(std::span<const std::uint8_t> table, std::size_t at) {
  int kind = (table[at] >> 3) & 15;
  switch (kind) {
    case 13:  // no columns
    case 14:  // long form
      return read_signed_varint(table, at + 1);
    case 10:
    case 11:
    case 12:  // one-line forms: the delta is in the kind
      return kind - 10;
    default:  // short forms (same line) and 15 (no location)
      return 0;
  }
}

bool next_location_range(std::span<const std::uint8_t> table, Range& r) {
  if (r.next >= table.size()) return false;
  std::uint8_t first = table[r.next];
  r.computed_line += location_line_delta(table, r.next);
  r.line = (first >> 3) == 0x1f ? kNoLine : r.computed_line;
  r.start = r.end;
  r.end += ((first & 7) + 1) * 2;
  do {
    ++r.next;
  } while (r.next < table.size() && (table[r.next] & 128) == 0);
  return true;
}

template <typename Next>
void fill_range_lines(std::span<const std::uint8_t> table, int firstlineno, std::vector<int>& lines, Next next) {
  Range r;
  r.computed_line = firstlineno;
  for (std::size_t unit = 0; unit < lines.size(); ++unit) {
    int offset = static_cast<int>(2 * unit);
    while (r.end <= offset) {
      if (!next(table, r)) {
        std::fill(lines.begin() + static_cast<std::ptrdiff_t>(unit), lines.end(), kNoLine);
        return;
      }
    }
    lines[unit] = r.line;
  }
}

template <typename Next>
int range_line(std::span<const std::uint8_t> table, int firstlineno, int offset, Next next) {
  if (offset < 0) return firstlineno;
  Range r;
  r.computed_line = firstlineno;
  while (r.end <= offset) {
    if (!next(table, r)) return kNoLine;
  }
  return r.line;
}

}  // namespace

std::vector<int> unit_lines(LineTableFormat format, std::span<const std::uint8_t> table, int firstlineno,
                            int code_bytes) {
  std::vector<int> lines(static_cast<std::size_t>(code_bytes > 0 ? code_bytes / 2 : 0), kNoLine);
  switch (format) {
    case LineTableFormat::Lnotab: {  // as lnotab_line: a pair applies once its address is reached
      int line = firstlineno, address = 0;
      std::size_t i = 0;
      for (std::size_t unit = 0; unit < lines.size(); ++unit) {
        int offset = static_cast<int>(2 * unit);
        while (i + 1 < table.size() && address + table[i] <= offset) {
          address += table[i];
          line += static_cast<std::int8_t>(table[i + 1]);
          i += 2;
        }
        lines[unit] = line;
      }
      break;
    }
    case LineTableFormat::Ranges:
      fill_range_lines(table, firstlineno, lines, next_nonempty_pair_range);
      break;
    case LineTableFormat::Locations:
      fill_range_lines(table, firstlineno, lines, next_location_range);
      break;
  }
  return lines;
}

int line_for_offset(LineTableFormat format, std::span<const std::uint8_t> table, int firstlineno,
                    int offset) {
  switch (format) {
    case LineTableFormat::Lnotab:
      return lnotab_line(table, firstlineno, offset);
    case LineTableFormat::Ranges:
      return range_line(table, firstlineno, offset, next_nonempty_pair_range);
    case LineTableFormat::Locations:
      return range_line(table, firstlineno, offset, next_location_range);
  }
  return kNoLine;
}

}  // namespace measure_loc
