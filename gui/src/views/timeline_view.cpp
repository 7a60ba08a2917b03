// gui/views/timeline_view.cpp: history lines from speedcenter::query_history, step markers from find_regressions.
// Several benchmarks share the chart as values relative to their first revision; one benchmark is drawn in its
// own unit.
#include "views/timeline_view.h"

#include <QCategoryAxis>
#include <QCursor>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <map>
#include <set>

#include "speedcenter/regression.h"

namespace gui {

TimelineView::TimelineView(QWidget* parent) : View(parent) {
  auto* layout = new QVBoxLayout(this);
  view_ = add_chart_view(this);
  layout->addWidget(view_);
}

namespace {

struct Track {
  std::vector<const speedcenter::HistoryPoint*> points;
};

QString describe(const speedcenter::HistoryPoint& p) {
  QString s = QString("revision %1").arg(QString::fromStdString(p.revision_name()));
  if (!p.revision_commit.empty()) s += QString(" (%1)").arg(QString::fromStdString(p.revision_commit.substr(0, 12)));
  if (!p.revision_date.empty()) s += "\n" + QString::fromStdString(p.revision_date);
  if (!p.revision_message.empty()) s += "\n" + QString::fromStdString(p.revision_message);
  s += QString("\nrun %1, %2, %3").arg(p.run_id).arg(QString::fromStdString(p.interpreter), QString::fromStdString(p.benchmark));
  return s;
}

}  // namespace

void TimelineView::refresh(const speedcenter::Database& db, const Filters& f) {
  speedcenter::HistoryQuery q{f.benchmark.toStdString(), f.interpreter.toStdString(), f.machine.toStdString(),
                              f.metric.toStdString()};
  auto history = speedcenter::query_history(db, q);
  auto steps = speedcenter::find_regressions(db, q);
  QChart* chart = reset_chart(view_, QString("%1 over revisions%2").arg(f.metric, f.benchmark.isEmpty() ? "" : " \u2014 " + f.benchmark));
  if (history.empty()) {
    show_empty(chart, "no history for these filters");
    return;
  }
  // x = position of the revision among all revisions shown, oldest first (runs of one revision share it).
  std::map<std::string, int> x_of;
  std::vector<std::string> revision_names;
  std::map<std::pair<std::string, std::string>, Track> tracks;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& p : history) {
    if (!x_of.count(p.revision_name())) {
      x_of[p.revision_name()] = static_cast<int>(revision_names.size());
      revision_names.push_back(p.revision_name());
    }
    auto key = std::make_pair(p.benchmark, p.interpreter);
    if (!tracks.count(key)) order.push_back(key);
    tracks[key].points.push_back(&p);
  }
  std::set<std::string> benchmarks;
  for (const auto& key : order) benchmarks.insert(key.first);
  bool relative = benchmarks.size() > 1;
  QString unit;
  double scale = relative ? 1 : (history.front().unit == "s" ? time_scale(history.front().value, unit) : 1);
  if (!relative && history.front().unit == "bytes") {
    scale = 1.0 / (1024 * 1024);
    unit = "MiB";
  }
  auto* x = new QCategoryAxis;
  x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  for (size_t i = 0; i < revision_names.size(); ++i)
    x->append(QString::fromStdString(revision_names[i]), static_cast<double>(i));
  x->setRange(-0.5, static_cast<double>(revision_names.size()) - 0.5);
  x->setTitleText("revision (oldest first)");
  auto* y = new QValueAxis;
  y->setTitleText(relative ? f.metric + " relative to the first revision" : f.metric + (unit.isEmpty() ? "" : " (" + unit + ")"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  double lo = 0, hi = 0;
  bool first_value = true;
  auto value_of = [&](const speedcenter::HistoryPoint& p, double base) { return relative ? p.value / base : p.value * scale; };
  auto attach = [&](QXYSeries* s) {
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  };
  std::map<std::pair<std::string, std::string>, double> base_of;
  for (const auto& key : order) {
    const Track& t = tracks[key];
    double base = t.points.front()->value;
    base_of[key] = base;
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(key.first + " [" + key.second + "]"));
    auto* dots = new QScatterSeries;
    dots->setMarkerSize(7);
    std::vector<QString> tips;  // copied: the history does not outlive this refresh
    for (const auto* p : t.points) {
      double v = value_of(*p, base);
      line->append(x_of[p->revision_name()], v);
      dots->append(x_of[p->revision_name()], v);
      tips.push_back(describe(*p) + QString("\nvalue %1").arg(p->value, 0, 'g', 5));
      lo = first_value ? v : std::min(lo, v);
      hi = first_value ? v : std::max(hi, v);
      first_value = false;
    }
    attach(line);
    attach(dots);
    dots->setColor(line->color());
    mark_decoration(dots, chart);
    connect(dots, &QScatterSeries::hovered, this, [dots, tips](const QPointF& point, bool state) {
      if (!state) return QToolTip::hideText();
      for (int i = 0; i < dots->count(); ++i)
        if (dots->at(i) == point) return QToolTip::showText(QCursor::pos(), tips[static_cast<size_t>(i)]);
    });
  }
  if (!steps.empty()) {
    auto* regress = new QScatterSeries;
    regress->setName("regressions");
    regress->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    regress->setMarkerSize(14);
    regress->setColor(QColor(220, 30, 30));
    auto* improve = new QScatterSeries;
    improve->setName("improvements");
    improve->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    improve->setMarkerSize(14);
    improve->setColor(QColor(30, 160, 60));
    std::vector<QString> tips_regress, tips_improve;
    for (const auto& r : steps) {
      auto key = std::make_pair(r.benchmark, r.interpreter);
      double v = value_of(r.after, base_of[key]);
      QString tip = QString("%1 %2%3% (95% CI %4%..%5%)\nbetween %6 and %7")
                        .arg(r.regression ? "regression" : "improvement", r.step.relative > 0 ? "+" : "")
                        .arg(100 * r.step.relative, 0, 'f', 1)
                        .arg(100 * r.step.relative_ci_low, 0, 'f', 1)
                        .arg(100 * r.step.relative_ci_high, 0, 'f', 1)
                        .arg(QString::fromStdString(r.before.revision_name()), QString::fromStdString(r.after.revision_name()));
      (r.regression ? regress : improve)->append(x_of[r.after.revision_name()], v);
      (r.regression ? tips_regress : tips_improve).push_back(tip + "\n" + describe(r.after));
    }
    for (auto [series, tips] : {std::pair{regress, tips_regress}, std::pair{improve, tips_improve}}) {
      if (series->count() == 0) {
        delete series;
        continue;
      }
      attach(series);
      connect(series, &QScatterSeries::hovered, this, [series, tips](const QPointF& point, bool state) {
        if (!state) return QToolTip::hideText();
        for (int i = 0; i < series->count(); ++i)
          if (series->at(i) == point) return QToolTip::showText(QCursor::pos(), tips[static_cast<size_t>(i)]);
      });
    }
  }
  set_padded_range(y, lo, hi, 0.1);
}

}  // namespace gui
