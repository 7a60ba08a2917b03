// report.cpp: picks the writer for a format; each format lives in its own file.
#include "measure_loc/report.h"

#include "reporters.h"

namespace measure_loc {

void write_report(ReportFormat format, const Profile& profile, std::ostream& out, int top) {
  switch (format) {
    case ReportFormat::Text:
      write_text(profile, out, top);
      break;
    case ReportFormat::Json:
      write_json(profile, out);
      break;
    case ReportFormat::Csv:
      write_csv(profile, out);
      break;
    case ReportFormat::Collapsed:
      write_collapsed(profile, out);
      break;
    case ReportFormat::Speedscope:
      write_speedscope(profile, out);
      break;
  }
}

}  // namespace measure_loc
