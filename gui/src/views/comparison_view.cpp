// gui/views/comparison_view.cpp: ratio bars (interpreter / baseline) with error bars drawn as small line series
// placed over each bar (Qt Charts has no error bars of its own), for the newest run, the run chosen in the run
// browser, or two chosen runs side by side; a bar's tooltip gives both values, their intervals and processes.
#include "views/comparison_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCursor>
#include <QFontMetrics>
#include <QToolTip>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

#include "speedcenter/dashboard_data.h"
#include "speedcenter/run_query.h"
#include "views/chart_tips.h"

namespace gui {

ComparisonView::ComparisonView(QWidget* parent) : View(parent) {
  auto* layout = new QVBoxLayout(this);
  view_ = add_chart_view(this);
  layout->addWidget(view_);
}

namespace {

// Benchmark names under the bars: turned upright when a suite's names would not fit side by side (Qt would
// elide each to "..."), in a smaller font when even an upright name is wider than its bar's slot.
void fit_category_labels(QBarCategoryAxis* axis, const QChartView* view) {
  QFont font = axis->labelsFont();
  int widest = 0;
  for (const QString& label : axis->categories())
    widest = std::max(widest, QFontMetrics(font).horizontalAdvance(label));
  int room = std::max(view->width(), 1000) - 150;
  if (axis->count() * (widest + 12) <= room) return;
  axis->setLabelsAngle(-90);
  while (axis->count() * (QFontMetrics(font).height() + 12) > room && font.pointSizeF() > 6)
    font.setPointSizeF(font.pointSizeF() - 0.5);
  axis->setLabelsFont(font);
}

}  // namespace

void ComparisonView::refresh(const speedcenter::Database& db, const Filters& f) {
  const std::string metric = f.metric.toStdString();
  // The runs chosen in the run browser; else the newest run comparing interpreters; else the two newest runs.
  std::vector<std::int64_t> runs = f.runs;
  if (runs.empty()) {
    if (std::int64_t newest = speedcenter::latest_comparison_run(db, f.machine.toStdString())) runs = {newest};
    else
      for (const auto& r : speedcenter::list_runs(db, -1))
        if (runs.size() < 2 && (f.machine.isEmpty() || QString::fromStdString(r.machine) == f.machine))
          runs.insert(runs.begin(), r.id);
  }
  bool two_runs = runs.size() == 2;
  std::int64_t run = runs.empty() ? 0 : runs.back();
  auto data = two_runs ? speedcenter::comparison_of_runs(db, runs[0], runs[1], metric)
                       : speedcenter::comparison_data(db, run, metric);
  // The baseline: the filter's interpreter (in the older run when two are compared), else the first.
  size_t baseline = 0;
  for (size_t i = data.interpreters.size(); i-- > 0;) {
    QString name = QString::fromStdString(data.interpreters[i]);
    if (name == f.interpreter || (two_runs && name.startsWith(f.interpreter + " (run "))) baseline = i;
  }
  QString baseline_name = data.interpreters.empty() ? "" : QString::fromStdString(data.interpreters[baseline]);
  QString which = two_runs ? QString("runs %1 and %2").arg(runs[0]).arg(runs[1]) : QString("run %1").arg(run);
  if (!two_runs && !data.revision.empty()) which += ", revision " + QString::fromStdString(data.revision);
  QChart* chart = reset_chart(view_, QString("%1 relative to %2 (%3; lower is better)")
                                         .arg(f.metric, baseline_name, which));
  auto table = speedcenter::ratios_against(data, baseline);
  if (run == 0 || table.interpreters.empty()) {
    show_empty(chart, run == 0 ? "no runs in the database"
                               : "the run has a single interpreter: choose two runs in the run browser");
    return;
  }
  auto* bars = new QBarSeries;
  const double bar_width = 0.7;
  bars->setBarWidth(bar_width);
  double high = 1, low = 1;
  for (size_t j = 0; j < table.interpreters.size(); ++j) {
    auto* set = new QBarSet(QString::fromStdString(table.interpreters[j]) + " / " + baseline_name);
    for (const auto& r : table.ratios[j]) {
      *set << (r ? r->value : 0.0);
      if (r) {
        high = std::max(high, r->high);
        low = std::min(low, r->low);
      }
    }
    bars->append(set);
  }
  chart->addSeries(bars);
  open_benchmark_on_click(bars, data.benchmarks, this);
  QObject::connect(bars, &QBarSeries::hovered, bars,
                   [bars, table, data, baseline, baseline_name](bool on, int index, QBarSet* set) {
                     if (!on) return QToolTip::hideText();
                     auto j = static_cast<size_t>(bars->barSets().indexOf(set));
                     auto i = static_cast<size_t>(index);
                     if (j >= table.interpreters.size() || i >= table.categories.size()) return;
                     const auto& r = table.ratios[j][i];
                     QString tip = QString("%1: %2\n").arg(QString::fromStdString(table.categories[i]), set->label());
                     tip += r ? QString("ratio %1 (95% interval %2 .. %3)").arg(r->value, 0, 'f', 3)
                                    .arg(r->low, 0, 'f', 3).arg(r->high, 0, 'f', 3)
                              : QString("no ratio");
                     if (i < data.benchmarks.size()) {
                       size_t column = j < baseline ? j : j + 1;
                       tip += "\n" + metric_text(QString::fromStdString(data.interpreters[column]), data.cells[i][column], data.unit);
                       tip += "\n" + metric_text(baseline_name, data.cells[i][baseline], data.unit);
                     }
                     if (!data.revision.empty()) tip += "\nrevision " + QString::fromStdString(data.revision);
                     QToolTip::showText(QCursor::pos(), tip);
                   });
  auto* x = new QBarCategoryAxis;
  for (const auto& c : table.categories) x->append(QString::fromStdString(c));
  x->setTitleText("benchmark (click a bar: its distribution, latency, warmup and memory)");
  fit_category_labels(x, view_);
  auto* y = new QValueAxis;
  y->setTitleText(f.metric + " ratio to " + baseline_name);
  y->setRange(std::min(0.0, low), high * 1.08);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  bars->attachAxis(x);
  bars->attachAxis(y);

  auto add_line = [&](QLineSeries* line) {
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    mark_decoration(line, chart);
  };
  auto* one = new QLineSeries;
  one->setName("baseline");
  one->append(-0.5, 1);
  one->append(static_cast<double>(table.categories.size()) - 0.5, 1);
  one->setPen(QPen(Qt::gray, 1, Qt::DashLine));
  add_line(one);
  // Each set's bar sits at its share of the category's bar width; the error bar goes through its centre.
  const double m = static_cast<double>(table.interpreters.size());
  for (size_t j = 0; j < table.interpreters.size(); ++j)
    for (size_t i = 0; i < table.categories.size(); ++i) {
      const auto& r = table.ratios[j][i];
      if (!r || r->high <= r->low) continue;
      double cx = static_cast<double>(i) - bar_width / 2 + (static_cast<double>(j) + 0.5) * bar_width / m;
      double cap = bar_width / m / 4;
      auto* err = new QLineSeries;
      err->setName("CI " + QString::fromStdString(table.interpreters[j] + " " + table.categories[i]));
      for (auto [px, py] : {std::pair{cx - cap, r->low}, {cx + cap, r->low}, {cx, r->low}, {cx, r->high},
                            {cx - cap, r->high}, {cx + cap, r->high}})
        err->append(px, py);
      err->setPen(QPen(Qt::black, 1.5));
      add_line(err);
    }
}

}  // namespace gui
