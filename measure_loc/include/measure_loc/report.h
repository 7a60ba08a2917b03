// measure_loc/report.h: writing a profile for people (the seeds' table) or programs (JSON, CSV).
#pragma once

#include <ostream>

#include "measure_loc/profile.h"

namespace measure_loc {

// Collapsed: flamegraph.pl's input (one line per stack); Speedscope: speedscope's JSON file format.
enum class ReportFormat { Text, Json, Csv, Collapsed, Speedscope };

// Text shows the `top` hottest lines and functions; JSON and CSV list every line.
void write_report(ReportFormat format, const Profile& profile, std::ostream& out, int top = 20);

}  // namespace measure_loc
