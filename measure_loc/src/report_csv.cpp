// report_csv.cpp: one row per sampled line (rank, filename, line, count, percent, cumulative percent).
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "reporters.h"

namespace measure_loc {

namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

void write_csv(const Profile& profile, std::ostream& out) {
  fmt::print(out, "rank,filename,line,count,percent,cumulative_percent\n");
  std::int64_t cumulative = 0;
  int rank = 0;
  double total = static_cast<double>(profile.samples);
  for (const LineCount& line : profile.lines) {
    cumulative += line.count;
    fmt::print(out, "{},{},{},{},{:.4f},{:.4f}\n", ++rank, csv_field(line.filename),
               line.line >= 0 ? std::to_string(line.line) : std::string(), line.count,
               100.0 * line.count / total, 100.0 * cumulative / total);
  }
}

}  // namespace measure_loc
