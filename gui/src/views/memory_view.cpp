// gui/views/memory_view.cpp: RSS over time per interpreter (speedcenter::memory_curve keeps each bucket's peak); a point's
// tooltip adds the interpreter's peak RSS with its interval, processes, run and revision.
#include "views/memory_view.h"

#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

#include "speedcenter/dashboard_data.h"
#include "views/chart_tips.h"

namespace gui {

MemoryView::MemoryView(QWidget* parent) : View(parent) {
  auto* layout = new QVBoxLayout(this);
  view_ = add_chart_view(this);
  layout->addWidget(view_);
}

void MemoryView::refresh(const speedcenter::Database& db, const Filters& f) {
  QString bench = choose_benchmark(db, f, true);
  std::int64_t run = speedcenter::latest_run(db, f.machine.toStdString(), bench.toStdString());
  auto results = speedcenter::run_results(db, run, bench.toStdString());
  bool web = !results.empty() && results.front().kind == "web";
  QChart* chart = reset_chart(view_, QString("%1 RSS over the run \u2014 %2 (run %3)")
                                         .arg(web ? "server" : "worker", bench)
                                         .arg(run));
  auto* x = new QValueAxis;
  x->setTitleText("seconds since the process started");
  auto* y = new QValueAxis;
  y->setTitleText("RSS (MiB)");
  double xhi = 0, yhi = 0;
  std::vector<QLineSeries*> lines;
  auto context = result_texts(speedcenter::comparison_data(db, run, "memory"), bench.toStdString());
  for (const auto& r : results) {
    auto curve = speedcenter::memory_curve(db, r.result_id, 1000);
    if (curve.empty()) continue;
    auto* line = new QLineSeries;
    QString name = QString::fromStdString(r.interpreter);
    line->setName(name);
    std::vector<QString> tips;
    for (const auto& p : curve) {
      double mib = p.value / (1024.0 * 1024.0);
      line->append(p.t, mib);
      tips.push_back(QString("%1 at %2 s: RSS %3\npeak %4").arg(name).arg(p.t, 0, 'g', 4)
                         .arg(format_value(p.value, "bytes"), context[r.interpreter]));
      xhi = std::max(xhi, p.t);
      yhi = std::max(yhi, mib);
    }
    show_tips_on_hover(line, std::move(tips));
    lines.push_back(line);
  }
  if (lines.empty()) {
    delete x;
    delete y;
    show_empty(chart, "no memory series recorded");
    return;
  }
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  x->setRange(0, xhi > 0 ? xhi * 1.02 : 1);
  y->setRange(0, yhi * 1.1);
  for (QLineSeries* line : lines) {
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
  }
}

}  // namespace gui
