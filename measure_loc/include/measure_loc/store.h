// measure_loc/store.h: saving a profile into the speedcenter results database (hot_line_profiles and
// hot_line_entries), so the dashboard can draw the coverage curve.
#pragma once

#include <cstdint>
#include <optional>

#include "measure_loc/profile.h"
#include "speedcenter/database.h"

namespace measure_loc {

// Links to rows the harness owns; all optional (NULL) for a stand-alone measure_loc run.
struct StoreContext {
  std::optional<std::int64_t> run_id, result_id, interpreter_id;
};

// Inserts the profile and every line (line -1 = no line) in one transaction; returns the profile's id.
std::int64_t store_profile(const speedcenter::Database& db, const Profile& profile,
                           const StoreContext& context = {});

}  // namespace measure_loc
