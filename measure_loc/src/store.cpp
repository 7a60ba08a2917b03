// store.cpp: a profile as the store's rows (speedcenter/hot_line_store.h owns the SQL): the leaf lines, and the
// stacks folded into a tree so that stacks sharing a prefix share its rows.
#include "measure_loc/store.h"

#include <chrono>
#include <ctime>
#include <map>

#include "speedcenter/hot_line_store.h"

namespace measure_loc {

namespace {

std::string utc_now() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace

speedcenter::HotLineStacks stack_tree(const Profile& profile) {
  speedcenter::HotLineStacks tree;
  for (const StackFrame& f : profile.frames) tree.frames.push_back({f.filename, f.function, f.line});
  std::map<std::pair<int, int>, int> children;  // (parent node, frame) -> node
  for (const StackCount& stack : profile.stacks) {
    int node = -1;
    for (int frame : stack.frames) {
      auto [it, inserted] = children.emplace(std::pair{node, frame}, static_cast<int>(tree.nodes.size()));
      if (inserted) tree.nodes.push_back({node, frame, 0});
      node = it->second;
    }
    if (node >= 0) tree.nodes[static_cast<std::size_t>(node)].count += stack.count;
  }
  return tree;
}

std::int64_t store_profile(const speedcenter::Database& db, const Profile& profile,
                           const StoreContext& context) {
  std::vector<Coverage> coverage = profile.coverage({50, 75, 90, 99});
  speedcenter::HotLineProfileRow row;
  row.run_id = context.run_id;
  row.result_id = context.result_id;
  row.interpreter_id = context.interpreter_id;
  row.target = profile.target;
  row.created_at = utc_now();
  row.samples = profile.samples;
  row.failed_samples = profile.failed;
  row.rate_hz = profile.requested_rate_hz;
  row.lines_50 = coverage[0].lines;
  row.lines_75 = coverage[1].lines;
  row.lines_90 = coverage[2].lines;
  row.lines_99 = coverage[3].lines;
  if (profile.processes.size() > 1) row.processes = static_cast<int>(profile.processes.size());
  std::vector<speedcenter::HotLineEntryRow> entries;
  for (const LineCount& line : profile.lines) entries.push_back({line.filename, line.line, line.count});
  return speedcenter::insert_hot_line_profile(db, row, entries, stack_tree(profile));
}

}  // namespace measure_loc
