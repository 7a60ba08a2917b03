// gui/command_line.cpp: QCommandLineParser under a short-lived QCoreApplication (which needs no display,
// unlike the QApplication that main creates afterwards for the windows).
#include "command_line.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <cstdio>

#include "speedcenter/database.h"

namespace gui {
namespace {

const char* kHint = "run speedcenter-gui --help for the options";

struct Parser {
  QCommandLineParser parser;
  QCommandLineOption help{{"h", "help"}, "show this help and exit"};
  QCommandLineOption version{"version", "show the version and exit"};
  QCommandLineOption db{
      {"d", "db"},
      "results store: a SQLite file or postgresql://user@host[:port]/dbname\n"
      "(default: $PYSTON_BENCH_DB or ~/.local/share/pyston-bench/results.db)",
      "path"};
  QCommandLineOption view{"view", "view to show: comparison, runs, changes, timeline, latency, warmup, memory, hotlines",
                          "name", "comparison"};
  QCommandLineOption screenshot{"screenshot", "render the view to FILE (.png or .svg) offscreen and exit",
                                "file"};
  QCommandLineOption list_series{"list-series", "print the names of the series the view drew and exit"};
  QCommandLineOption dump_model{"dump-model",
                                "print every view's charts (series, legend entries, axes) as JSON and exit"};
  QCommandLineOption machine{"machine", "machine (hostname) filter", "name"};
  QCommandLineOption interpreter{{"i", "interpreter"}, "interpreter filter / comparison baseline", "label"};
  QCommandLineOption benchmark{{"b", "benchmark"}, "benchmark filter", "name"};
  QCommandLineOption runs{"run", "the comparison view's run N, or runs N,M side by side (as chosen in the run browser)",
                          "ids"};
  QCommandLineOption click{"click-benchmark",
                           "click NAME's bar, line or row in the view, as a user would (opens its Latency view; "
                           "for tests and screenshots)",
                           "name"};
  QCommandLineOption metric{"metric", "metric: mean, median, p99, memory, warmup, ...", "name", "mean"};
  QCommandLineOption size{"size", "window size, WxH", "size", "1280x800"};
  QCommandLineOption quit_after{"quit-after", "close the window after MS milliseconds (for tests)", "ms"};
  QCommandLineOption open_time{"print-open-time", "print the time from start to the first painted window"};
  QCommandLineOption platform{"platform", "Qt platform plugin (as $QT_QPA_PLATFORM): xcb, wayland, offscreen",
                              "name"};

  Parser() {
    parser.setApplicationDescription(
        "pyston-bench speed center: charts of the results database.\n"
        "Windows need a display ($DISPLAY or $WAYLAND_DISPLAY);\n"
        "--screenshot, --list-series and --dump-model draw offscreen and need none.");
    // Qt's own options are spelled with one dash (-platform); accept ours that way too.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions({help, version, db, view, screenshot, list_series, dump_model, machine, interpreter,
                       benchmark, runs, click, metric, size, quit_after, open_time, platform});
  }
};

int usage_error(const QString& message) {
  std::fprintf(stderr, "error: %s\nhint: %s\n", qPrintable(message), kHint);
  return 2;
}

// Fills `options` from a successfully parsed command line; returns an error message, empty if none.
QString read_options(const Parser& p, Options& options) {
  const QCommandLineParser& parser = p.parser;
  if (!parser.positionalArguments().isEmpty())
    return "unexpected argument '" + parser.positionalArguments().first() + "'";
  options.db = parser.value(p.db);
  options.view = parser.value(p.view);
  options.screenshot = parser.value(p.screenshot);
  options.platform = parser.value(p.platform);
  options.click_benchmark = parser.value(p.click);
  options.list_series = parser.isSet(p.list_series);
  options.dump_model = parser.isSet(p.dump_model);
  options.print_open_time = parser.isSet(p.open_time);
  options.filters = {parser.value(p.machine), parser.value(p.interpreter), parser.value(p.benchmark),
                     parser.value(p.metric), {}};
  if (parser.isSet(p.runs)) {
    for (const QString& id : parser.value(p.runs).split(',')) {
      bool ok = false;
      qlonglong run = id.trimmed().toLongLong(&ok);
      if (!ok || run <= 0) return "--run wants a run id or two (N or N,M), not '" + parser.value(p.runs) + "'";
      options.filters.runs.push_back(run);
    }
    if (options.filters.runs.size() > 2) return "--run takes one or two run ids, not " + parser.value(p.runs);
  }
  auto size = QRegularExpression("^(\\d+)x(\\d+)$").match(parser.value(p.size));
  if (!size.hasMatch())
    return "--size wants WIDTHxHEIGHT (e.g. 1280x800), not '" + parser.value(p.size) + "'";
  options.width = size.captured(1).toInt();
  options.height = size.captured(2).toInt();
  if (parser.isSet(p.quit_after)) {
    bool ok = false;
    options.quit_after_ms = parser.value(p.quit_after).toInt(&ok);
    if (!ok || *options.quit_after_ms < 0)
      return "--quit-after wants milliseconds, not '" + parser.value(p.quit_after) + "'";
  }
  return {};
}

}  // namespace

CommandLine parse_command_line(int argc, char** argv) {
  QCoreApplication core(argc, argv);  // for the program name in the usage line; gone before the windows
  QCoreApplication::setApplicationName("speedcenter-gui");
  Parser p;
  CommandLine result;
  if (!p.parser.parse(QCoreApplication::arguments())) {
    result.exit_code = usage_error(p.parser.errorText());
  } else if (p.parser.isSet(p.help)) {
    std::fputs(qPrintable(p.parser.helpText()), stdout);
    result.exit_code = 0;
  } else if (p.parser.isSet(p.version)) {
    std::printf("speedcenter-gui (pyston-bench): results schema %d, Qt %s\n", speedcenter::schema_version(),
                qVersion());
    result.exit_code = 0;
  } else if (QString error = read_options(p, result.options); !error.isEmpty()) {
    result.exit_code = usage_error(error);
  }
  return result;
}

}  // namespace gui
