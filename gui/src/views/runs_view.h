// gui/views/runs_view.h: the run browser: every run with its machine, revision, interpreters, benchmarks (the
// first names, all of them on hover), samples,
// status and date. Choosing one run (double-click, or select and "Compare") or two runs shows them in the
// comparison view, against the baseline interpreter chosen in the filter bar.
#pragma once

#include "views/table_view.h"

namespace gui {

class RunsView : public TableView {
  Q_OBJECT
 public:
  explicit RunsView(QWidget* parent = nullptr);
  QString name() const override { return "runs"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 signals:
  // One run, or two (the first is the older), to compare.
  void runs_chosen(std::vector<std::int64_t> runs);

 private:
  std::vector<std::int64_t> selected_runs() const;
};

}  // namespace gui
