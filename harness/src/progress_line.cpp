// harness/progress_line.cpp: progress on stderr.
#include "harness/progress_line.h"

#include <unistd.h>

#include <iostream>

namespace harness {

std::string format_eta(double seconds) {
  if (seconds < 0) return "ETA ?";
  int s = static_cast<int>(seconds + 0.5);
  return "ETA " + (s >= 60 ? std::to_string(s / 60) + "m" : std::string()) + std::to_string(s % 60) + "s";
}

ProgressLine::ProgressLine() : tty_(isatty(2)) {}

void ProgressLine::show(const Progress& p) {
  // process_count 0: open-ended (compare --precision), the interval so far instead of an ETA.
  std::string line = "[" + std::to_string(p.benchmark_index) + "/" + std::to_string(p.benchmark_count) + "] " +
                     p.benchmark + "  " + p.interpreter + "  process " + std::to_string(p.process_index) +
                     (p.process_count ? "/" + std::to_string(p.process_count) + "  " + format_eta(p.eta_seconds)
                                      : "  " + p.detail);
  if (tty_) std::cerr << "\r\033[K" << line << std::flush;
  else std::cerr << line << "\n";
}

void ProgressLine::note(const std::string& text) {
  if (tty_) std::cerr << "\r\033[K";
  std::cerr << text << "\n";
}

void ProgressLine::clear() {
  if (tty_) std::cerr << "\r\033[K" << std::flush;
}

}  // namespace harness
