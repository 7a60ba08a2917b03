// gui/main.cpp: speedcenter-gui's entry: options, opening the database, and the non-interactive modes
// (--screenshot, --list-series, --quit-after, --print-open-time) used by tests, docs and benchmarks.
// Exit codes: 0 ok, 1 the requested view has nothing to draw, 2 usage or database error.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "main_window.h"
#include "speedcenter/database.h"

namespace {

std::unique_ptr<speedcenter::Database> open_database(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw speedcenter::StoreError("no results database at " + path,
                                  "run 'pyston-bench compare ...' first, or pass --db PATH to an existing database");
  try {
    return std::make_unique<speedcenter::Database>(path, speedcenter::Database::Mode::ReadOnly);
  } catch (const speedcenter::StoreError&) {
    // An old schema needs a migration, which needs a writable connection.
    return std::make_unique<speedcenter::Database>(path, speedcenter::Database::Mode::ReadWrite);
  }
}

bool wants_offscreen(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--screenshot") return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  QElapsedTimer clock;
  clock.start();
  // Screenshots need no display unless the caller chose a platform (tests pick xcb under Xvfb).
  if (wants_offscreen(argc, argv) && !std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  QApplication app(argc, argv);
  QApplication::setApplicationName("speedcenter-gui");
  QCommandLineParser parser;
  parser.setApplicationDescription("pyston-bench speed center: charts of the results database");
  parser.addHelpOption();
  QCommandLineOption db({"d", "db"}, "results database (default: $PYSTON_BENCH_DB or ~/.local/share/pyston-bench/results.db)", "path");
  QCommandLineOption view("view", "view to show: comparison, timeline, latency, warmup, memory, hotlines", "name", "comparison");
  QCommandLineOption screenshot("screenshot", "render the view to FILE (.png or .svg) offscreen and exit", "file");
  QCommandLineOption list_series("list-series", "print the names of the series the view drew and exit");
  QCommandLineOption machine("machine", "machine (hostname) filter", "name");
  QCommandLineOption interpreter({"i", "interpreter"}, "interpreter filter / comparison baseline", "label");
  QCommandLineOption benchmark({"b", "benchmark"}, "benchmark filter", "name");
  QCommandLineOption metric("metric", "metric: mean, median, p99, memory, warmup, ...", "name", "mean");
  QCommandLineOption size("size", "window size for screenshots, WxH", "size", "1280x800");
  QCommandLineOption quit_after("quit-after", "close the window after MS milliseconds (for tests)", "ms");
  QCommandLineOption open_time("print-open-time", "print the time from start to the first painted window");
  parser.addOptions({db, view, screenshot, list_series, machine, interpreter, benchmark, metric, size, quit_after, open_time});
  parser.process(app);

  gui::Filters filters;
  filters.machine = parser.value(machine);
  filters.interpreter = parser.value(interpreter);
  filters.benchmark = parser.value(benchmark);
  filters.metric = parser.value(metric);
  std::string path = parser.isSet(db) ? parser.value(db).toStdString() : speedcenter::default_database_path().string();
  std::unique_ptr<gui::MainWindow> window;
  try {
    window = std::make_unique<gui::MainWindow>(open_database(path), filters);
  } catch (const speedcenter::StoreError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    if (!e.hint().empty()) std::fprintf(stderr, "hint: %s\n", e.hint().c_str());
    return 2;
  }
  if (!window->select_view(parser.value(view))) {
    std::fprintf(stderr, "error: no view '%s'\nhint: one of: %s\n", qPrintable(parser.value(view)),
                 qPrintable(window->view_names().join(", ")));
    return 2;
  }
  QStringList wh = parser.value(size).split('x');
  if (wh.size() == 2) window->resize(wh[0].toInt(), wh[1].toInt());
  window->show();
  QApplication::processEvents();
  if (parser.isSet(open_time))
    std::printf("opened %s and drew the %s view in %lld ms\n", path.c_str(), qPrintable(window->current_view()->name()),
                static_cast<long long>(clock.elapsed()));
  if (parser.isSet(list_series) || parser.isSet(screenshot)) {
    if (parser.isSet(list_series))
      for (const QString& s : window->current_view()->series_names()) std::printf("%s\n", qPrintable(s));
    if (parser.isSet(screenshot)) {
      QString error = window->save_current_view(parser.value(screenshot));
      if (!error.isEmpty()) {
        std::fprintf(stderr, "error: %s\n", qPrintable(error));
        return 2;
      }
    }
    std::fflush(stdout);
    return window->current_view()->has_data() ? 0 : 1;
  }
  if (parser.isSet(quit_after)) QTimer::singleShot(parser.value(quit_after).toInt(), &app, &QApplication::quit);
  return app.exec();
}
