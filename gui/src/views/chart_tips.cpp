// gui/views/chart_tips.cpp: tooltip texts and the hover and click behaviour of the dashboard's charts.
#include "views/chart_tips.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChartView>
#include <QCursor>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QToolTip>
#include <QXYSeries>
#include <cmath>

#include "views/view.h"

namespace gui {

QString metric_text(const QString& interpreter, const speedcenter::MetricCell& c, const std::string& unit) {
  if (!c.value) return interpreter + ": no value";
  auto number = [&](double v) { return format_value(v, unit, *c.value); };
  QString s = interpreter + ": " + number(*c.value);
  if (c.ci_low && c.ci_high) s += QString(" (95% interval %1 .. %2)").arg(number(*c.ci_low), number(*c.ci_high));
  if (c.processes) s += QString(", %1 processes").arg(*c.processes);
  return s;
}

QString history_point_text(const speedcenter::HistoryPoint& p) {
  QString s = QString("revision %1").arg(QString::fromStdString(p.revision_name()));
  if (!p.revision_commit.empty()) s += QString(" (%1)").arg(QString::fromStdString(p.revision_commit.substr(0, 12)));
  if (!p.revision_date.empty()) s += "\n" + QString::fromStdString(p.revision_date);
  if (!p.revision_message.empty()) s += "\n" + QString::fromStdString(p.revision_message);
  s += QString("\nrun %1, %2, %3").arg(p.run_id).arg(QString::fromStdString(p.interpreter),
                                                      QString::fromStdString(p.benchmark));
  s += "\nvalue " + format_value(p.value, p.unit);
  if (p.ci_low && p.ci_high)
    s += QString(" (95% interval %1 .. %2)").arg(format_value(*p.ci_low, p.unit, p.value),
                                                  format_value(*p.ci_high, p.unit, p.value));
  return s;
}

std::map<std::string, QString> result_texts(const speedcenter::ComparisonData& data, const std::string& benchmark) {
  std::map<std::string, QString> texts;
  for (size_t i = 0; i < data.benchmarks.size(); ++i) {
    if (data.benchmarks[i] != benchmark) continue;
    QString where = QString("run %1").arg(data.run_id);
    if (!data.revision.empty()) where += ", revision " + QString::fromStdString(data.revision);
    for (size_t j = 0; j < data.interpreters.size(); ++j)
      texts[data.interpreters[j]] =
          metric_text(QString::fromStdString(data.interpreters[j]), data.cells[i][j], data.unit) + "\n" + where;
  }
  return texts;
}

namespace {

int nearest_point(const QXYSeries* series, const QPointF& at) {
  int best = -1;
  double best_dx = 0, best_dy = 0;
  for (int i = 0; i < series->count(); ++i) {
    double dx = std::abs(series->at(i).x() - at.x()), dy = std::abs(series->at(i).y() - at.y());
    if (best < 0 || dx < best_dx || (dx == best_dx && dy < best_dy)) {
      best = i;
      best_dx = dx;
      best_dy = dy;
    }
  }
  return best;
}

// A pointing hand over what opens something on click.
void point_at_hand(QAbstractSeries* series, bool on) {
  if (!series->chart() || !series->chart()->scene()) return;
  for (QGraphicsView* view : series->chart()->scene()->views())
    view->viewport()->setCursor(on ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

}  // namespace

void show_tips_on_hover(QXYSeries* series, std::vector<QString> tips) {
  // Kept on the series, where --dump-model reads them for the tests.
  series->setProperty("tips", QStringList(tips.begin(), tips.end()));
  QObject::connect(series, &QXYSeries::hovered, series, [series](const QPointF& point, bool state) {
    if (!state) return QToolTip::hideText();
    QStringList tips = series->property("tips").toStringList();
    int i = nearest_point(series, point);
    if (i >= 0 && i < tips.size()) QToolTip::showText(QCursor::pos(), tips[i]);
  });
}

void open_benchmark_on_click(QXYSeries* series, const QString& benchmark, View* view) {
  series->setProperty("benchmark", benchmark);
  QObject::connect(series, &QXYSeries::clicked, view, [view, benchmark] { emit view->benchmark_chosen(benchmark); });
  QObject::connect(series, &QXYSeries::hovered, series, [series](const QPointF&, bool on) { point_at_hand(series, on); });
}

void open_benchmark_on_click(QAbstractBarSeries* bars, const std::vector<std::string>& benchmarks, View* view) {
  QStringList names;
  for (const auto& b : benchmarks) names << QString::fromStdString(b);
  bars->setProperty("benchmarks", names);
  QObject::connect(bars, &QAbstractBarSeries::clicked, view, [view, names](int index, QBarSet*) {
    if (index >= 0 && index < names.size()) emit view->benchmark_chosen(names[index]);
  });
  QObject::connect(bars, &QAbstractBarSeries::hovered, bars, [bars](bool on, int, QBarSet*) { point_at_hand(bars, on); });
}

}  // namespace gui
