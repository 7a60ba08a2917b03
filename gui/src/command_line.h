// gui/command_line.h: speedcenter-gui's options, parsed before any window system is touched, so --help,
// --version and usage errors work on a machine without a display.
#pragma once

#include <QString>
#include <optional>

#include "views/view.h"

namespace gui {

struct Options {
  QString db;  // empty: speedcenter::default_database_path()
  QString view = "comparison";
  QString screenshot;
  QString platform;
  QString click_benchmark;  // for tests: click this benchmark in the view, then show what the click opened  // Qt platform plugin chosen with --platform (else $QT_QPA_PLATFORM)
  bool list_series = false, dump_model = false, print_open_time = false;
  std::optional<int> quit_after_ms;
  int width = 1280, height = 800;
  Filters filters;

  // Modes that draw offscreen and exit: they need no display.
  bool non_interactive() const { return list_series || dump_model || !screenshot.isEmpty(); }
};

// The options, or the exit code when the command line was fully handled here: 0 after printing --help or
// --version, 2 after printing a usage error with a hint (to stderr).
struct CommandLine {
  Options options;
  std::optional<int> exit_code;
};
CommandLine parse_command_line(int argc, char** argv);

}  // namespace gui
