// gui/main.cpp: speedcenter-gui's entry: options (parsed before any display is needed), opening the database,
// and the non-interactive modes (--screenshot, --list-series, --dump-model, --quit-after, --print-open-time,
// --click-benchmark)
// used by tests, docs and benchmarks. Exit codes: 0 ok, 1 the requested view has nothing to draw, 2 usage,
// display or database error.
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "chart_model.h"
#include "command_line.h"
#include "display_check.h"
#include "gui_error.h"
#include "main_window.h"
#include "speedcenter/database.h"

namespace {

std::unique_ptr<speedcenter::Database> open_database(const std::string& path) {
  if (speedcenter::backend_of(path) == speedcenter::Backend::SQLite && !std::filesystem::exists(path))
    throw speedcenter::StoreError(
        "no results database at " + path,
        "run 'pyston-bench compare ...' first, or pass --db PATH (or a postgresql:// URL) of an existing store");
  try {
    return std::make_unique<speedcenter::Database>(path, speedcenter::Database::Mode::ReadOnly);
  } catch (const speedcenter::StoreError&) {
    // An old schema needs a migration, which needs a writable connection.
    return std::make_unique<speedcenter::Database>(path, speedcenter::Database::Mode::ReadWrite);
  }
}

int fail(const char* message, const std::string& hint) {
  std::fprintf(stderr, "error: %s\n", message);
  if (!hint.empty()) std::fprintf(stderr, "hint: %s\n", hint.c_str());
  return 2;
}

// Every view in turn, shown and laid out, as one JSON document on stdout.
void dump_model(gui::MainWindow& window) {
  nlohmann::json views = nlohmann::json::array();
  for (const QString& name : window.view_names()) {
    window.select_view(name);
    QApplication::processEvents();
    views.push_back(gui::chart_model(*window.current_view()));
  }
  std::printf("%s\n", nlohmann::json{{"views", views}}.dump(2).c_str());
}

// --list-series, --screenshot, --dump-model: returns the exit code.
int run_non_interactive(gui::MainWindow& window, const gui::Options& options) {
  if (options.list_series)
    for (const QString& s : window.current_view()->series_names()) std::printf("%s\n", qPrintable(s));
  if (!options.screenshot.isEmpty()) {
    QString error = window.save_current_view(options.screenshot);
    if (!error.isEmpty()) return fail(qPrintable(error), "");
  }
  bool has_data = window.current_view()->has_data();
  if (options.dump_model) dump_model(window);
  std::fflush(stdout);
  return has_data || options.dump_model ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  QElapsedTimer clock;
  clock.start();
  gui::CommandLine command_line = gui::parse_command_line(argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  const gui::Options& options = command_line.options;
  gui::choose_platform(options);
  try {
    gui::require_display();
  } catch (const gui::GuiError& e) {
    return fail(e.what(), e.hint());
  }
  std::unique_ptr<QApplication> app;
  {
    gui::PlatformFailureGuard guard;
    app = std::make_unique<QApplication>(argc, argv);
  }
  QApplication::setApplicationName("speedcenter-gui");
  std::string path =
      options.db.isEmpty() ? speedcenter::default_database_path().string() : options.db.toStdString();
  std::unique_ptr<gui::MainWindow> window;
  try {
    window = std::make_unique<gui::MainWindow>(open_database(path), options.filters);
  } catch (const speedcenter::StoreError& e) {
    return fail(e.what(), e.hint());
  }
  if (!window->select_view(options.view))
    return fail(qPrintable("no view '" + options.view + "'"),
                "one of: " + window->view_names().join(", ").toStdString());
  window->resize(options.width, options.height);
  window->show();
  QApplication::processEvents();
  if (!options.click_benchmark.isEmpty()) {
    QString from = window->current_view()->name();
    if (!window->current_view()->click_benchmark(options.click_benchmark))
      return fail(qPrintable("the " + from + " view shows no benchmark '" + options.click_benchmark + "' to click"),
                  "click one the view shows (--list-series lists them), in the comparison, changes or timeline view");
    QApplication::processEvents();
  }
  if (options.print_open_time)
    std::printf("opened %s and drew the %s view in %lld ms\n", speedcenter::printable_location(path).c_str(),
                qPrintable(window->current_view()->name()), static_cast<long long>(clock.elapsed()));
  if (options.non_interactive()) return run_non_interactive(*window, options);
  if (options.quit_after_ms) QTimer::singleShot(*options.quit_after_ms, app.get(), &QApplication::quit);
  return app->exec();
}
