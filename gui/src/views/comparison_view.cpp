// gui/views/comparison_view.cpp: ratio bars (interpreter / baseline) with error bars drawn as small line series
// placed over each bar (Qt Charts has no error bars of its own).
#include "views/comparison_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

#include "speedcenter/dashboard_data.h"

namespace gui {

ComparisonView::ComparisonView(QWidget* parent) : View(parent) {
  auto* layout = new QVBoxLayout(this);
  view_ = add_chart_view(this);
  layout->addWidget(view_);
}

void ComparisonView::refresh(const speedcenter::Database& db, const Filters& f) {
  std::int64_t run = speedcenter::latest_comparison_run(db, f.machine.toStdString());
  auto data = speedcenter::comparison_data(db, run, f.metric.toStdString());
  size_t baseline = 0;
  for (size_t i = 0; i < data.interpreters.size(); ++i)
    if (QString::fromStdString(data.interpreters[i]) == f.interpreter) baseline = i;
  QString baseline_name = data.interpreters.empty() ? "" : QString::fromStdString(data.interpreters[baseline]);
  QChart* chart = reset_chart(view_, QString("%1 relative to %2 (run %3; lower is better)")
                                         .arg(f.metric, baseline_name)
                                         .arg(run));
  auto table = speedcenter::ratios_against(data, baseline);
  if (run == 0 || table.interpreters.empty()) {
    show_empty(chart, run == 0 ? "no runs in the database" : "the run has a single interpreter");
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
  auto* x = new QBarCategoryAxis;
  for (const auto& c : table.categories) x->append(QString::fromStdString(c));
  x->setTitleText("benchmark");
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
