// gui/views/view.h: what every dashboard view shares: the filters it reads, a refresh from the database, the
// charts it draws (for saving and for --list-series), and helpers to build Qt Charts consistently.
#pragma once

#include <QChart>
#include <QChartView>
#include <QString>
#include <QStringList>
#include <QValueAxis>
#include <QWidget>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/database.h"

namespace gui {

struct Filters {
  QString machine, interpreter, benchmark, metric = "mean";
  std::vector<std::int64_t> runs;  // chosen in the run browser: the comparison view's run, or its two runs
};

class View : public QWidget {
  Q_OBJECT
 public:
  using QWidget::QWidget;
  virtual QString name() const = 0;  // used by --view and the tab title
  virtual void refresh(const speedcenter::Database& db, const Filters& filters) = 0;
  // Names of the data series drawn (not decorations), for tests and --list-series.
  QStringList series_names() const;
  // Whether the last refresh found anything to draw.
  virtual bool has_data() const { return !series_names().isEmpty(); }
  // A view that shows a table: its columns and rows as shown (for --dump-model); null otherwise.
  virtual nlohmann::json table_model() const { return nullptr; }
  // The charts as last drawn, for --dump-model.
  QList<QChart*> charts() const;
  // For tests (--click-benchmark): does what a user's click on the benchmark's bar, line or row does, through
  // the same signal; false when the view shows nothing of that benchmark that opens on click.
  virtual bool click_benchmark(const QString& benchmark);
  // Puts each chart's legend under the chart when its labels fit in one row there, else to its right (one entry
  // per row): Qt would elide them, down to bare squares. Called after a refresh and on every resize.
  void fit_legends();

 signals:
  // The user clicked a benchmark: the window opens its distribution, latency, warmup and memory views.
  void benchmark_chosen(const QString& benchmark);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  QChartView* add_chart_view(QWidget* parent);
  // Replaces a chart view's chart with a fresh, empty one titled `title`.
  QChart* reset_chart(QChartView* view, const QString& title);
  // Shown inside the chart when there is nothing to draw, so an empty view explains itself.
  void show_empty(QChart* chart, const QString& why);

  QList<QChartView*> chart_views_;
};

// Marks a series as a decoration: drawn, but hidden from the legend and from View::series_names().
void mark_decoration(QAbstractSeries* series, QChart* chart);
// Keeps a data series out of the legend (another series' entry speaks for it); it stays in series_names().
void hide_from_legend(QAbstractSeries* series, QChart* chart);
// Axis range with a margin, never collapsing to a point.
void set_padded_range(QValueAxis* axis, double low, double high, double pad = 0.05);
// "1.2 ms" style labels choose a unit from the data's magnitude; returns the factor and fills the suffix.
double time_scale(double typical_seconds, QString& unit);
// A value for people: seconds in s/ms/µs chosen by `typical` (the value itself by default), bytes in MiB, other
// units as they are; 4 significant digits.
QString format_value(double value, const std::string& unit, std::optional<double> typical = {});

}  // namespace gui

namespace gui {
// The benchmark a per-benchmark view shows: the filter's, else (prefer_web) the first web benchmark with
// results, else the first benchmark with results. Empty when the database holds none.
QString choose_benchmark(const speedcenter::Database& db, const Filters& filters, bool prefer_web);
}  // namespace gui
