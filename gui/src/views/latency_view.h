// gui/views/latency_view.h: the distribution (share of requests per latency bin) and percentile curve of each interpreter's
// measured latencies for a web benchmark (iteration times for a batch benchmark).
#pragma once

#include "views/view.h"

namespace gui {

class LatencyView : public View {
  Q_OBJECT
 public:
  explicit LatencyView(QWidget* parent = nullptr);
  QString name() const override { return "latency"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 private:
  QChartView* view_;
  QChartView* curve_view_;
};

}  // namespace gui
