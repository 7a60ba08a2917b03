// gui/views/changes_view.cpp: the Changes table, from speedcenter::changes_since_previous_revision.
#include "views/changes_view.h"

#include <QFont>

#include "speedcenter/changes.h"
#include "views/chart_tips.h"

namespace gui {
namespace {

const QColor kSlower(0xf8, 0xd0, 0xcc), kFaster(0xd4, 0xef, 0xd0);

QString percent(double r) { return QString("%1%2%").arg(r >= 0 ? "+" : "").arg(100 * r, 0, 'f', 1); }

}  // namespace

ChangesView::ChangesView(QWidget* parent) : TableView(parent) {
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int column) {
    if (column == 0) emit benchmark_chosen(table_->item(row, 0)->text());
  });
}

bool ChangesView::click_benchmark(const QString& benchmark) {
  for (int row = 0; row < table_->rowCount(); ++row)
    if (table_->item(row, 0)->text() == benchmark) {
      emit table_->cellClicked(row, 0);
      return true;
    }
  return false;
}

void ChangesView::refresh(const speedcenter::Database& db, const Filters& f) {
  auto changes = speedcenter::changes_since_previous_revision(
      db, {f.machine.toStdString(), f.interpreter.toStdString(), f.metric.toStdString()});
  start({"Benchmark", "Previous", "Newest", "Previous value", "Newest value", "Change", "95% interval", "p",
         "Significant", "Regressions"},
        static_cast<int>(changes.rows.size()));
  int regressions = 0;
  for (int i = 0; i < static_cast<int>(changes.rows.size()); ++i) {
    const auto& c = changes.rows[static_cast<size_t>(i)];
    QString verdict = !c.significant ? "no" : c.change > 0 ? "slower" : "faster";
    QTableWidgetItem* name = set_cell(i, 0, QString::fromStdString(c.benchmark), {},
                                      "click: its distribution, latency, warmup and memory");
    QFont link = name->font();
    link.setUnderline(true);
    name->setFont(link);
    name->setForeground(QColor(0x1a, 0x5f, 0xb4));
    set_cell(i, 1, QString::fromStdString(c.previous.revision_name()), {}, history_point_text(c.previous));
    set_cell(i, 2, QString::fromStdString(c.current.revision_name()), {}, history_point_text(c.current));
    set_cell(i, 3, format_value(c.previous.value, c.unit), c.previous.value, history_point_text(c.previous));
    set_cell(i, 4, format_value(c.current.value, c.unit), c.current.value, history_point_text(c.current));
    set_cell(i, 5, percent(c.change), c.change,
             QString("%1 / %2 - 1").arg(format_value(c.current.value, c.unit), format_value(c.previous.value, c.unit)));
    set_cell(i, 6, percent(c.change_low) + " .. " + percent(c.change_high), c.change_low);
    set_cell(i, 7, QString::number(c.p_value, 'g', 2), c.p_value, "Mann-Whitney U over process means");
    set_cell(i, 8, verdict);
    QString steps;
    if (!c.regression.empty()) steps = "REGRESSION at " + QString::fromStdString(c.regression);
    if (!c.improvement.empty()) steps += (steps.isEmpty() ? "" : "; ") + QString("improvement at ") +
                                         QString::fromStdString(c.improvement);
    QTableWidgetItem* mark = set_cell(i, 9, steps, {}, "as reported by pyston-bench regressions");
    if (!c.regression.empty()) {
      QFont bold = mark->font();
      bold.setBold(true);
      mark->setFont(bold);
      mark->setForeground(QColor(0xb0, 0x1c, 0x1c));
      ++regressions;
    }
    if (c.significant) colour_row(i, c.change > 0 ? kSlower : kFaster);
  }
  finish();
  if (changes.rows.empty()) {
    set_caption("No benchmark has results for two revisions" +
                (changes.interpreter.empty() ? QString() : " under " + QString::fromStdString(changes.interpreter)) +
                (changes.machine.empty() ? QString() : " on " + QString::fromStdString(changes.machine)) +
                ": the Changes view compares a revision with the previous one.");
    return;
  }
  set_caption(QString("Changes of the %1 under %2 on %3, newest revision against the previous one (a change "
                      "coloured red is slower, green faster, where its 95% interval excludes 0 and it is 2% or more). %4 benchmark(s) "
                      "with a regression reported by pyston-bench regressions.")
                  .arg(QString::fromStdString(changes.metric), QString::fromStdString(changes.interpreter),
                       QString::fromStdString(changes.machine))
                  .arg(regressions));
}

}  // namespace gui
