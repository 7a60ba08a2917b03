// harness/progress_line.h: the one-line progress display on stderr (benchmark, interpreter, n/N, ETA);
// redrawn in place on a terminal, one line per update otherwise (logs, CI).
#pragma once

#include <string>

#include "harness/runner.h"

namespace harness {

class ProgressLine {
 public:
  ProgressLine();
  void show(const Progress& progress);
  void note(const std::string& text);  // a line that stays
  void clear();

 private:
  bool tty_;
};

std::string format_eta(double seconds);

}  // namespace harness
