// store.cpp: the profile's rows in the speedcenter schema (migration 1: hot_line_profiles, hot_line_entries).
#include "measure_loc/store.h"

#include <chrono>
#include <ctime>

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

std::int64_t store_profile(const speedcenter::Database& db, const Profile& profile,
                           const StoreContext& context) {
  speedcenter::Transaction transaction(db);
  std::vector<Coverage> coverage = profile.coverage({50, 75, 90, 99});
  db.prepare(
        "INSERT INTO hot_line_profiles (run_id, result_id, interpreter_id, target, created_at, samples, "
        "failed_samples, rate_hz, lines_50, lines_75, lines_90, lines_99) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, context.run_id)
      .bind(2, context.result_id)
      .bind(3, context.interpreter_id)
      .bind(4, profile.target)
      .bind(5, utc_now())
      .bind(6, profile.samples)
      .bind(7, profile.failed)
      .bind(8, profile.requested_rate_hz)
      .bind(9, coverage[0].lines)
      .bind(10, coverage[1].lines)
      .bind(11, coverage[2].lines)
      .bind(12, coverage[3].lines)
      .run();
  std::int64_t id = db.last_insert_id();
  speedcenter::Statement insert =
      db.prepare("INSERT INTO hot_line_entries (profile_id, rank, filename, line, count) VALUES (?,?,?,?,?)");
  int rank = 0;
  for (const LineCount& line : profile.lines) {
    insert.bind(1, id).bind(2, ++rank).bind(3, line.filename).bind(4, line.line).bind(5, line.count).run();
  }
  transaction.commit();
  return id;
}

}  // namespace measure_loc
