// gui/views/runs_view.cpp: the run browser, from speedcenter::list_runs.
#include "views/runs_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

#include "speedcenter/run_query.h"

namespace gui {
namespace {

const QColor kIncomplete(0xfd, 0xed, 0xc8), kFailed(0xf8, 0xd0, 0xcc);

// "50: 2to3, async_tree, chameleon, ..." (a suite's names would make the column as wide as the window).
QString benchmark_list(const std::vector<std::string>& names, int count) {
  QString shown = QString::number(count) + ":";
  size_t i = 0;
  for (; i < names.size() && shown.size() < 48; ++i) shown += (i ? ", " : " ") + QString::fromStdString(names[i]);
  return i < names.size() ? shown + ", \u2026" : shown;
}

// The full list, eight names a line.
QString benchmark_tip(const std::vector<std::string>& names, int failed) {
  QString tip;
  for (size_t i = 0; i < names.size(); ++i)
    tip += (i == 0 ? "" : i % 8 == 0 ? ",\n" : ", ") + QString::fromStdString(names[i]);
  if (failed) tip += QString("\n%1 failed").arg(failed);
  return tip;
}

}  // namespace

RunsView::RunsView(QWidget* parent) : TableView(parent) {
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  auto* compare = new QPushButton("Compare selected runs (one or two)", this);
  static_cast<QVBoxLayout*>(layout())->insertWidget(1, compare);
  connect(compare, &QPushButton::clicked, this, [this] {
    auto runs = selected_runs();
    if (!runs.empty() && runs.size() <= 2) emit runs_chosen(runs);
  });
  connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    emit runs_chosen({table_->item(row, 0)->data(Qt::UserRole).toLongLong()});
  });
}

std::vector<std::int64_t> RunsView::selected_runs() const {
  std::vector<std::int64_t> runs;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows())
    runs.push_back(table_->item(index.row(), 0)->data(Qt::UserRole).toLongLong());
  std::sort(runs.begin(), runs.end());
  return runs;
}

void RunsView::refresh(const speedcenter::Database& db, const Filters& f) {
  std::vector<speedcenter::RunSummary> runs;
  for (auto& r : speedcenter::list_runs(db, -1))
    if (f.machine.isEmpty() || QString::fromStdString(r.machine) == f.machine) runs.push_back(std::move(r));
  start({"Run", "Started (UTC)", "Machine", "Revision", "Interpreters", "Benchmarks", "Samples", "Status"},
        static_cast<int>(runs.size()));
  for (int i = 0; i < static_cast<int>(runs.size()); ++i) {
    const auto& r = runs[static_cast<size_t>(i)];
    QString finished = r.finished_at.empty() ? "not finished" : "finished " + QString::fromStdString(r.finished_at);
    set_cell(i, 0, QString::number(r.id), static_cast<double>(r.id), "double-click to compare this run");
    set_cell(i, 1, QString::fromStdString(r.started_at), {}, finished);
    set_cell(i, 2, QString::fromStdString(r.machine));
    set_cell(i, 3, QString::fromStdString(r.revision));
    set_cell(i, 4, QString::fromStdString(r.interpreters));
    set_cell(i, 5, benchmark_list(r.benchmark_names, r.benchmarks), r.benchmarks,
             benchmark_tip(r.benchmark_names, r.failed))
        ->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);  // names, though it sorts by the count
    set_cell(i, 6, QString::number(r.samples), static_cast<double>(r.samples));
    set_cell(i, 7, QString::fromStdString(r.status));
    if (r.status == "incomplete" || r.status == "running") colour_row(i, kIncomplete);
    if (r.status == "failed" || r.failed) colour_row(i, kFailed);
    if (std::find(f.runs.begin(), f.runs.end(), r.id) != f.runs.end()) table_->selectRow(i);
  }
  finish();
  set_caption(runs.empty() ? "No runs" + (f.machine.isEmpty() ? QString() : " on " + f.machine) + " in the store."
                           : QString("%1 runs%2, newest first. Select one or two runs (Ctrl-click) and press Compare, "
                                     "or double-click a run; the baseline is the interpreter chosen above.")
                                 .arg(runs.size())
                                 .arg(f.machine.isEmpty() ? "" : " on " + f.machine));
}

}  // namespace gui
