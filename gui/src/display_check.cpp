// gui/display_check.cpp: the platform plugin's needs, checked from the environment as Qt itself reads it (an
// empty $QT_QPA_PLATFORM means Qt's default).
#include "display_check.h"

#include <QByteArray>
#include <QList>
#include <cstdio>
#include <cstdlib>

#include "gui_error.h"

namespace gui {
namespace {

const char* kDisplayHint =
    "run it on a desktop, under a virtual X server (xvfb-run -a speedcenter-gui ...; Debian packages xvfb "
    "and "
    "xauth), or without a window: QT_QPA_PLATFORM=offscreen, --screenshot FILE or --dump-model";

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value && *value;
}

QtMessageHandler previous_handler = nullptr;

void exit_on_fatal(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (previous_handler)
    previous_handler(type, context, message);
  else
    std::fprintf(stderr, "%s\n", qPrintable(message));
  if (type != QtFatalMsg) return;
  std::fprintf(stderr, "error: the Qt platform plugin could not start (no usable display?)\nhint: %s\n",
               kDisplayHint);
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(2);
}

}  // namespace

void choose_platform(const Options& options) {
  if (!options.platform.isEmpty())
    setenv("QT_QPA_PLATFORM", qPrintable(options.platform), 1);
  else if (options.non_interactive() && !env_set("QT_QPA_PLATFORM"))
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
}

void require_display() {
  QByteArray platforms = qgetenv("QT_QPA_PLATFORM").trimmed();
  if (platforms.isEmpty()) {  // Qt's default: xcb, or wayland in a Wayland session
    if (env_set("DISPLAY") || env_set("WAYLAND_DISPLAY")) return;
    throw GuiError("no display: neither $DISPLAY nor $WAYLAND_DISPLAY is set", kDisplayHint);
  }
  // "xcb;offscreen" lists fallbacks and "xcb:arg" passes arguments: any entry other than xcb may need no
  // display.
  for (const QByteArray& entry : platforms.split(';'))
    if (entry.split(':').first().trimmed() != "xcb") return;
  if (!env_set("DISPLAY"))
    throw GuiError("no display: QT_QPA_PLATFORM is xcb but $DISPLAY is not set", kDisplayHint);
}

PlatformFailureGuard::PlatformFailureGuard() : previous_(qInstallMessageHandler(exit_on_fatal)) {
  previous_handler = previous_;
}

PlatformFailureGuard::~PlatformFailureGuard() {
  qInstallMessageHandler(previous_);
  previous_handler = nullptr;
}

}  // namespace gui
