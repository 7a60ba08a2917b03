// speedcenter/hot_line_store.h: measure_loc's profiles in the store: the profile row, its leaf lines and its
// stacks (distinct frames, and the stacks as a tree of nodes with counts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/database.h"

namespace speedcenter {

struct HotLineProfileRow {
  std::optional<std::int64_t> run_id, result_id, interpreter_id;  // NULL for a stand-alone measure_loc run
  std::string target, created_at;
  std::int64_t samples = 0, failed_samples = 0;
  double rate_hz = 0;
  int lines_50 = 0, lines_75 = 0, lines_90 = 0, lines_99 = 0;
  std::optional<int> processes;  // Python processes summed, when more than one was sampled
};

struct HotLineEntryRow {
  std::string filename;
  int line = 0;  // -1: no line
  std::int64_t count = 0;
};

struct StackFrameRow {
  std::string filename, function;
  int line = 0;
};

// A node of the stack tree: a frame called from its parent node; `count` samples ended here.
struct StackNodeRow {
  int parent = -1;  // index into HotLineStacks::nodes, -1 for an outermost frame; always below this node's own
  int frame = 0;    // index into HotLineStacks::frames
  std::int64_t count = 0;
};

struct HotLineStacks {
  std::vector<StackFrameRow> frames;
  std::vector<StackNodeRow> nodes;
};

// Inserts the profile, its entries (ranked in the order given) and stacks in one transaction; returns its id.
std::int64_t insert_hot_line_profile(const Database& db, const HotLineProfileRow& profile,
                                     const std::vector<HotLineEntryRow>& entries, const HotLineStacks& stacks);

// The stored stacks of a profile (empty for profiles stored before stacks were kept).
HotLineStacks hot_line_stacks(const Database& db, std::int64_t profile_id);

}  // namespace speedcenter
