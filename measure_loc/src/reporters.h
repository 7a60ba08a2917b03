// reporters.h: one writer per output format.
#pragma once

#include <ostream>
#include <string>

#include "measure_loc/profile.h"

namespace measure_loc {

void write_text(const Profile& profile, std::ostream& out, int top);
void write_json(const Profile& profile, std::ostream& out);
void write_csv(const Profile& profile, std::ostream& out);
void write_collapsed(const Profile& profile, std::ostream& out);
void write_speedscope(const Profile& profile, std::ostream& out);

// "pid 123: python3 app.py", naming one process of a profile.
std::string process_label(const Profile& process);

// "file:line", or "file:<no line>" for instructions without one.
std::string line_label(const LineCount& line);

}  // namespace measure_loc
