// gui/views/view.cpp: shared chart plumbing for the dashboard views.
#include "views/view.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QFontMetrics>
#include <QLegend>
#include <QLegendMarker>
#include <QValueAxis>
#include <QXYSeries>
#include <cmath>

namespace gui {

QStringList View::series_names() const {
  QStringList names;
  for (QChartView* view : chart_views_)
    for (QAbstractSeries* s : view->chart()->series())
      if (auto* bars = qobject_cast<QAbstractBarSeries*>(s)) {
        for (QBarSet* set : bars->barSets()) names << set->label();
      } else if (!s->property("decoration").toBool()) {
        names << s->name();
      }
  return names;
}

QList<QChart*> View::charts() const {
  QList<QChart*> charts;
  for (QChartView* view : chart_views_) charts << view->chart();
  return charts;
}

bool View::click_benchmark(const QString& benchmark) {
  for (QChartView* view : chart_views_)
    for (QAbstractSeries* s : view->chart()->series()) {
      auto* bars = qobject_cast<QAbstractBarSeries*>(s);
      if (int at = s->property("benchmarks").toStringList().indexOf(benchmark); bars && at >= 0 && bars->count() > 0) {
        emit bars->clicked(at, bars->barSets().first());
        return true;
      }
      auto* xy = qobject_cast<QXYSeries*>(s);
      if (xy && xy->count() > 0 && s->property("benchmark").toString() == benchmark) {
        emit xy->clicked(xy->at(0));
        return true;
      }
    }
  return false;
}

void View::fit_legends() {
  for (QChartView* view : chart_views_) {
    QLegend* legend = view->chart()->legend();
    QFontMetrics metrics(legend->font());
    // Per entry: the label, its marker and the gaps around them (generous, so a row that fits is never elided).
    int row = 0;
    for (QLegendMarker* marker : legend->markers())
      if (!marker->series()->property("hidden_from_legend").toBool())
        row += metrics.horizontalAdvance(marker->label()) + 2 * metrics.height() + 8;
    legend->setAlignment(row > view->width() - 80 ? Qt::AlignRight : Qt::AlignBottom);
  }
}

void View::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fit_legends();
}

QChartView* View::add_chart_view(QWidget* parent) {
  auto* view = new QChartView(new QChart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(320, 240);
  chart_views_ << view;
  return view;
}

QChart* View::reset_chart(QChartView* view, const QString& title) {
  QChart* old = view->chart();
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  view->setChart(chart);
  delete old;
  return chart;
}

void View::show_empty(QChart* chart, const QString& why) {
  chart->setTitle(chart->title() + " \u2014 " + why);
}

void mark_decoration(QAbstractSeries* series, QChart* chart) {
  series->setProperty("decoration", true);
  hide_from_legend(series, chart);
}

void hide_from_legend(QAbstractSeries* series, QChart* chart) {
  series->setProperty("hidden_from_legend", true);  // the markers' own visibility is false until shown
  for (QLegendMarker* m : chart->legend()->markers(series)) m->setVisible(false);
}

void set_padded_range(QValueAxis* axis, double low, double high, double pad) {
  if (!(high > low)) {
    double m = std::abs(low) > 0 ? std::abs(low) * 0.1 : 1.0;
    low -= m;
    high += m;
  }
  double span = high - low;
  axis->setRange(low - span * pad, high + span * pad);
}

QString format_value(double value, const std::string& unit, std::optional<double> typical) {
  if (unit == "s") {
    QString suffix;
    double scale = time_scale(typical.value_or(value), suffix);
    return QString("%1 %2").arg(value * scale, 0, 'g', 4).arg(suffix);
  }
  if (unit == "bytes") return QString("%1 MiB").arg(value / (1024.0 * 1024.0), 0, 'f', 1);
  return QString("%1 %2").arg(value, 0, 'g', 4).arg(QString::fromStdString(unit)).trimmed();
}

double time_scale(double typical_seconds, QString& unit) {
  double a = std::abs(typical_seconds);
  if (a >= 1) {
    unit = "s";
    return 1;
  }
  if (a >= 1e-3) {
    unit = "ms";
    return 1e3;
  }
  unit = "\u00b5s";
  return 1e6;
}

}  // namespace gui

#include "speedcenter/dashboard_data.h"
#include "speedcenter/history.h"

namespace gui {

QString choose_benchmark(const speedcenter::Database& db, const Filters& f, bool prefer_web) {
  if (!f.benchmark.isEmpty()) return f.benchmark;
  auto catalogue = speedcenter::read_catalogue(db);
  if (prefer_web)
    for (const auto& b : catalogue.web_benchmarks)
      if (speedcenter::latest_run(db, f.machine.toStdString(), b)) return QString::fromStdString(b);
  return catalogue.benchmarks.empty() ? QString() : QString::fromStdString(catalogue.benchmarks.front());
}

}  // namespace gui
