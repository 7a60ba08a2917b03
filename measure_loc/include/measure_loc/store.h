// measure_loc/store.h: saving a profile into the speedcenter results database (hot_line_profiles and
// hot_line_entries), so the dashboard can draw the coverage curve.
#pragma once

#include <cstdint>
#include <optional>

#include "measure_loc/profile.h"
#include "speedcenter/database.h"
#include "speedcenter/hot_line_store.h"

namespace measure_loc {

// Links to rows the harness owns; all optional (NULL) for a stand-alone measure_loc run.
struct StoreContext {
  std::optional<std::int64_t> run_id, result_id, interpreter_id;
};

// The profile's stacks as the store keeps them: its frames, and a tree of nodes whose counts are the samples of
// the stack ending there.
speedcenter::HotLineStacks stack_tree(const Profile& profile);

// Inserts the profile, every line (line -1 = no line) and its stack tree in one transaction; returns the profile's id.
std::int64_t store_profile(const speedcenter::Database& db, const Profile& profile,
                           const StoreContext& context = {});

}  // namespace measure_loc
