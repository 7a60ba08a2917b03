// tests/speedcenter/csv_export_test.cpp: CSV of queries (speedcenter/csv_export.cpp): header, quoting, numbers
// that read back exactly, one row per point / metric / sample.
#include "speedcenter/csv_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "speedcenter/pyperf_json.h"
#include "speedcenter/synthetic_data.h"
#include "test_db.h"

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

TEST(CsvExport, HistoryHasOneRowPerRevisionWithExactNumbers) {
  TempDatabase t;
  speedcenter::SyntheticHistory spec;
  spec.revisions = 10;
  speedcenter::write_synthetic_history(t.db(), spec);
  auto points = speedcenter::query_history(t.db(), {spec.benchmark, "", "", "mean"});
  std::ostringstream out;
  speedcenter::write_csv(out, speedcenter::history_table(points));
  auto rows = lines(out.str());
  ASSERT_EQ(rows.size(), 11u);
  auto header = fields(rows[0]);
  EXPECT_EQ(header[1], "revision");
  EXPECT_EQ(header[8], "value");
  for (size_t i = 0; i < points.size(); ++i) {
    auto f = fields(rows[i + 1]);
    EXPECT_EQ(f[1], "r" + std::to_string(i + 1));
    EXPECT_EQ(std::strtod(f[8].c_str(), nullptr), points[i].value) << "the CSV value must read back exactly";
    EXPECT_EQ(std::strtod(f[9].c_str(), nullptr), *points[i].ci_low);
  }
}

TEST(CsvExport, QuotesFieldsWithCommasQuotesAndNewlines) {
  speedcenter::Table table{{"a", "b"}, {{"x,y", "say \"hi\"\nbye"}}};
  std::ostringstream out;
  speedcenter::write_csv(out, table);
  EXPECT_EQ(out.str(), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\nbye\"\r\n");
}

TEST(CsvExport, RunAndSamplesTables) {
  TempDatabase t;
  speedcenter::SyntheticHistory spec;
  spec.revisions = 2;
  spec.processes = 3;
  spec.iterations = 4;
  auto runs = speedcenter::write_synthetic_history(t.db(), spec);
  auto samples = speedcenter::samples_table(t.db(), runs[1]);
  EXPECT_EQ(samples.rows.size(), 12u);
  auto run = speedcenter::run_table(speedcenter::load_run(t.db(), runs[1], false));
  ASSERT_EQ(run.rows.size(), 4u);  // mean, median, p99, processes
  EXPECT_EQ(run.rows[0][2], spec.benchmark);
}

TEST(CsvExport, NumbersAreShortestExact) {
  EXPECT_EQ(speedcenter::csv_number(0.1), "0.1");
  for (double v : {0.1, 1.0 / 3, 123456.789, 9.98765e-05, 1e300})
    EXPECT_EQ(std::strtod(speedcenter::csv_number(v).c_str(), nullptr), v);
}

}  // namespace
