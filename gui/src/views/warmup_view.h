// gui/views/warmup_view.h: latency (iteration time for batch benchmarks) against time since the process started, per
// interpreter, with the end of warmup marked.
#pragma once

#include "views/view.h"

namespace gui {

class WarmupView : public View {
  Q_OBJECT
 public:
  explicit WarmupView(QWidget* parent = nullptr);
  QString name() const override { return "warmup"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 private:
  QChartView* view_;

};

}  // namespace gui
