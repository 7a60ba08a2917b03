// gui/views/hot_lines_view.cpp: the newest hot-line profile (or the newest whose target names the benchmark
// filter) as a cumulative-share curve and a top-lines table.
#include "views/hot_lines_view.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineSeries>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include "speedcenter/dashboard_data.h"
#include "views/flame_graph.h"

namespace gui {

HotLinesView::HotLinesView(QWidget* parent) : View(parent) {
  auto* outer = new QVBoxLayout(this);
  auto* layout = new QHBoxLayout;
  outer->addLayout(layout, 3);
  flame_ = new FlameGraphPanel(this);
  outer->addWidget(flame_, 2);
  view_ = add_chart_view(this);
  table_ = new QTableWidget(this);
  table_->setColumnCount(4);
  table_->setHorizontalHeaderLabels({"line", "samples", "share", "cumulative"});
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->verticalHeader()->setVisible(false);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(view_, 3);
  layout->addWidget(table_, 2);
}

void HotLinesView::refresh(const speedcenter::Database& db, const Filters& f) {
  auto profiles = speedcenter::hot_line_profiles(db);
  const speedcenter::HotLineProfileRef* chosen = nullptr;
  for (const auto& p : profiles)
    if (f.benchmark.isEmpty() || QString::fromStdString(p.target).contains(f.benchmark)) {
      chosen = &p;
      break;
    }
  table_->setRowCount(0);
  QChart* chart = reset_chart(view_, "hot lines: share of samples covered by the hottest lines");
  if (!chosen) {
    show_empty(chart, "no measure_loc profiles (run measure_loc --db ...)");
    flame_->show_profile(db, -1);
    return;
  }
  auto hot = speedcenter::hot_lines(db, chosen->id);
  flame_->show_profile(db, chosen->id);
  QString target = QFileInfo(QString::fromStdString(chosen->target)).fileName();
  QString under = chosen->interpreter.empty() ? QString() : QString::fromStdString(chosen->interpreter) + ", ";
  chart->setTitle(QString("hot lines of %1 (%2%3 samples)").arg(target, under).arg(hot.samples));
  auto* line = new QLineSeries;
  line->setName(target + " coverage");
  line->append(0, 0);
  for (const auto& l : hot.lines) line->append(l.rank, 100 * l.cumulative);
  auto* x = new QValueAxis;
  x->setTitleText("lines (hottest first)");
  x->setRange(0, std::max<double>(1, static_cast<double>(hot.lines.size())));
  x->setLabelFormat("%d");
  auto* y = new QValueAxis;
  y->setTitleText("share of samples (%)");
  y->setRange(0, 100);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  chart->addSeries(line);
  line->attachAxis(x);
  line->attachAxis(y);
  for (double level : {50.0, 90.0, 99.0}) {
    auto* guide = new QLineSeries;
    guide->setName(QString("%1%").arg(level));
    guide->append(0, level);
    guide->append(x->max(), level);
    guide->setPen(QPen(Qt::gray, 1, Qt::DotLine));
    chart->addSeries(guide);
    guide->attachAxis(x);
    guide->attachAxis(y);
    mark_decoration(guide, chart);
  }
  int rows = std::min<int>(50, static_cast<int>(hot.lines.size()));
  table_->setRowCount(rows);
  for (int i = 0; i < rows; ++i) {
    const auto& l = hot.lines[static_cast<size_t>(i)];
    QString where = QFileInfo(QString::fromStdString(l.filename)).fileName() + ":" + QString::number(l.line);
    table_->setItem(i, 0, new QTableWidgetItem(where));
    table_->setItem(i, 1, new QTableWidgetItem(QString::number(l.count)));
    table_->setItem(i, 2, new QTableWidgetItem(QString::number(100 * l.share, 'f', 1) + "%"));
    table_->setItem(i, 3, new QTableWidgetItem(QString::number(100 * l.cumulative, 'f', 1) + "%"));
  }
  table_->resizeColumnsToContents();
}

}  // namespace gui
