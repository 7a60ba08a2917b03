// gui/display_check.h: choosing the Qt platform before QApplication exists, so that a machine without a
// display gets an error with a hint (exit 2) instead of Qt's abort.
#pragma once

#include <QtGlobal>

#include "command_line.h"

namespace gui {

// Sets $QT_QPA_PLATFORM from --platform, or to "offscreen" for the non-interactive modes when the caller
// chose no platform (tests choose xcb under Xvfb).
void choose_platform(const Options& options);

// Throws GuiError when the chosen platform needs a display ($DISPLAY for xcb, it or $WAYLAND_DISPLAY for Qt's
// default) and the environment names none.
void require_display();

// While alive, a fatal Qt message (the platform plugin could not start, e.g. the X server refused the
// connection) prints an error with a hint and exits with 2 instead of aborting.
class PlatformFailureGuard {
 public:
  PlatformFailureGuard();
  ~PlatformFailureGuard();
  PlatformFailureGuard(const PlatformFailureGuard&) = delete;
  PlatformFailureGuard& operator=(const PlatformFailureGuard&) = delete;

 private:
  QtMessageHandler previous_;
};

}  // namespace gui
