// gui/views/timeline_view.h: a metric over revisions per benchmark and interpreter, with detected steps marked
// (red: regression, green: improvement) and each point's revision shown on hover.
#pragma once

#include "views/view.h"

namespace gui {

class TimelineView : public View {
  Q_OBJECT
 public:
  explicit TimelineView(QWidget* parent = nullptr);
  QString name() const override { return "timeline"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 private:
  QChartView* view_;
};

}  // namespace gui
