// speedcenter/hot_line_store.cpp: the SQL of measure_loc's profiles (tables of migrations 1 and 3).
#include "speedcenter/hot_line_store.h"

namespace speedcenter {

std::int64_t insert_hot_line_profile(const Database& db, const HotLineProfileRow& p,
                                     const std::vector<HotLineEntryRow>& entries, const HotLineStacks& stacks) {
  Transaction transaction(db);
  db.prepare(
        "INSERT INTO hot_line_profiles (run_id, result_id, interpreter_id, target, created_at, samples, "
        "failed_samples, rate_hz, lines_50, lines_75, lines_90, lines_99, processes) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, p.run_id)
      .bind(2, p.result_id)
      .bind(3, p.interpreter_id)
      .bind(4, p.target)
      .bind(5, p.created_at)
      .bind(6, p.samples)
      .bind(7, p.failed_samples)
      .bind(8, p.rate_hz)
      .bind(9, p.lines_50)
      .bind(10, p.lines_75)
      .bind(11, p.lines_90)
      .bind(12, p.lines_99)
      .bind(13, p.processes ? std::optional<std::int64_t>(*p.processes) : std::nullopt)
      .run();
  std::int64_t id = db.last_insert_id();
  Statement entry =
      db.prepare("INSERT INTO hot_line_entries (profile_id, rank, filename, line, count) VALUES (?,?,?,?,?)");
  int rank = 0;
  for (const HotLineEntryRow& e : entries)
    entry.bind(1, id).bind(2, ++rank).bind(3, e.filename).bind(4, e.line).bind(5, e.count).run();
  Statement frame = db.prepare(
      "INSERT INTO hot_line_frames (profile_id, frame_index, filename, function_name, line) VALUES (?,?,?,?,?)");
  for (std::size_t i = 0; i < stacks.frames.size(); ++i) {
    const StackFrameRow& f = stacks.frames[i];
    frame.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, f.filename).bind(4, f.function).bind(5, f.line).run();
  }
  Statement node = db.prepare(
      "INSERT INTO hot_line_stack_nodes (profile_id, node_index, parent_index, frame_index, count) "
      "VALUES (?,?,?,?,?)");
  for (std::size_t i = 0; i < stacks.nodes.size(); ++i) {
    const StackNodeRow& n = stacks.nodes[i];
    node.bind(1, id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, n.parent >= 0 ? std::optional<std::int64_t>(n.parent) : std::nullopt)
        .bind(4, n.frame)
        .bind(5, n.count)
        .run();
  }
  transaction.commit();
  return id;
}

HotLineStacks hot_line_stacks(const Database& db, std::int64_t profile_id) {
  HotLineStacks stacks;
  auto frames = db.prepare(
      "SELECT filename, function_name, line FROM hot_line_frames WHERE profile_id = ? ORDER BY frame_index");
  frames.bind(1, profile_id);
  while (frames.step())
    stacks.frames.push_back({frames.column_text(0), frames.column_text(1), static_cast<int>(frames.column_int(2))});
  auto nodes = db.prepare(
      "SELECT parent_index, frame_index, count FROM hot_line_stack_nodes WHERE profile_id = ? ORDER BY node_index");
  nodes.bind(1, profile_id);
  while (nodes.step()) {
    stacks.nodes.push_back({nodes.is_null(0) ? -1 : static_cast<int>(nodes.column_int(0)),
                            static_cast<int>(nodes.column_int(1)), nodes.column_int(2)});
  }
  return stacks;
}

}  // namespace speedcenter
