// gui/views/changes_view.h: codespeed's Changes view: for one machine and interpreter (the filter bar's, else the
// store's first), each benchmark's newest revision against the previous one: both values, the change with its
// 95% interval and p-value, coloured by significance (red slower, green faster), sortable, and the steps that
// `pyston-bench regressions` finds marked. A click on a benchmark's name opens its distribution, latency, warmup
// and memory views.
#pragma once

#include "views/table_view.h"

namespace gui {

class ChangesView : public TableView {
  Q_OBJECT
 public:
  explicit ChangesView(QWidget* parent = nullptr);
  QString name() const override { return "changes"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;
  bool click_benchmark(const QString& benchmark) override;
};

}  // namespace gui
