// speedcenter/csv_export.h: any query's rows as a table, and tables as CSV (RFC 4180 quoting).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "speedcenter/history.h"
#include "speedcenter/regression.h"
#include "speedcenter/run_query.h"

namespace speedcenter {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

Table history_table(const std::vector<HistoryPoint>& points);
Table regressions_table(const std::vector<Regression>& regressions);
// One row per result and metric of a run.
Table run_table(const RunRecord& run);
// Every raw sample of a run (run, benchmark, interpreter, process, kind, seq, warmup, t, value).
Table samples_table(const Database& db, std::int64_t run_id);

void write_csv(std::ostream& out, const Table& table);
// Exact decimal for doubles (round-trips), empty for missing.
std::string csv_number(double value);

}  // namespace speedcenter
