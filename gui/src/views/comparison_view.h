// gui/views/comparison_view.h: per-benchmark ratio bars of each interpreter against a baseline interpreter, with
// CI error bars and a geometric-mean bar, for one metric of the newest run or of the run(s) chosen in the run
// browser.
#pragma once

#include "views/view.h"

namespace gui {

class ComparisonView : public View {
  Q_OBJECT
 public:
  explicit ComparisonView(QWidget* parent = nullptr);
  QString name() const override { return "comparison"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 private:
  QChartView* view_;
};

}  // namespace gui
