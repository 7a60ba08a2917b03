// gui/views/warmup_view.cpp: bucketed sample values against time (speedcenter::warmup_curve) with a dashed line
// where each interpreter's warmup ends; tooltips give the point and the interpreter's measured mean with its interval,
// processes, run and revision.
#include "views/warmup_view.h"

#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

#include "speedcenter/dashboard_data.h"
#include "views/chart_tips.h"

namespace gui {

WarmupView::WarmupView(QWidget* parent) : View(parent) {
  auto* layout = new QVBoxLayout(this);
  view_ = add_chart_view(this);
  layout->addWidget(view_);
}

void WarmupView::refresh(const speedcenter::Database& db, const Filters& f) {
  QString bench = choose_benchmark(db, f, true);
  std::int64_t run = speedcenter::latest_run(db, f.machine.toStdString(), bench.toStdString());
  auto results = speedcenter::run_results(db, run, bench.toStdString());
  bool web = !results.empty() && results.front().kind == "web";
  QString what = web ? "latency" : "iteration time";
  QChart* chart = reset_chart(view_, QString("%1 against time \u2014 %2 (run %3)").arg(what, bench).arg(run));
  std::vector<std::pair<std::string, speedcenter::WarmupCurve>> curves;
  double typical = 0;
  for (const auto& r : results) {
    auto c = speedcenter::warmup_curve(db, r.result_id, 400);
    if (c.points.empty()) continue;
    if (typical == 0) typical = c.points.back().value;
    curves.emplace_back(r.interpreter, std::move(c));
  }
  if (curves.empty()) {
    show_empty(chart, "no samples");
    return;
  }
  QString unit;
  double scale = time_scale(typical, unit);
  auto* x = new QValueAxis;
  x->setTitleText("seconds since the process started");
  auto* y = new QValueAxis;
  y->setTitleText(what + " (" + unit + ")");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  double xlo = 1e300, xhi = -1e300, ylo = 1e300, yhi = -1e300;
  for (const auto& [interp, c] : curves)
    for (const auto& p : c.points) {
      xlo = std::min(xlo, p.t);
      xhi = std::max(xhi, p.t);
      ylo = std::min(ylo, p.value * scale);
      yhi = std::max(yhi, p.value * scale);
    }
  set_padded_range(x, xlo, xhi, 0.02);
  set_padded_range(y, ylo, yhi, 0.05);
  auto context = result_texts(speedcenter::comparison_data(db, run, "mean"), bench.toStdString());
  for (const auto& [interp, c] : curves) {
    auto* line = new QLineSeries;
    QString name = QString::fromStdString(interp);
    line->setName(name);
    std::vector<QString> tips;
    for (const auto& p : c.points) {
      line->append(p.t, p.value * scale);
      tips.push_back(QString("%1 at %2 s: %3\nmeasured mean %4").arg(name).arg(p.t, 0, 'g', 4)
                         .arg(format_value(p.value, "s", typical), context[interp]));
    }
    show_tips_on_hover(line, std::move(tips));
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    if (!c.warmup_end) continue;
    auto* mark = new QLineSeries;
    mark->setName(QString::fromStdString(interp) + " warmup end");
    mark->append(*c.warmup_end, y->min());
    mark->append(*c.warmup_end, y->max());
    QPen pen(line->color(), 2, Qt::DashLine);
    mark->setPen(pen);
    QString end_tip = QString("%1: warmup ends at %2 s (mean over processes)\nmeasured mean %3")
                          .arg(name).arg(*c.warmup_end, 0, 'g', 4).arg(context[interp]);
    show_tips_on_hover(mark, {end_tip, end_tip});
    chart->addSeries(mark);
    mark->attachAxis(x);
    mark->attachAxis(y);
  }
}

}  // namespace gui
