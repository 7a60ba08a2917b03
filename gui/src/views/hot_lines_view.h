// gui/views/hot_lines_view.h: measure_loc's result: the coverage curve (how many lines cover what share of the
// samples), the table of the hottest lines, and the stacks as a flame graph.
#pragma once

#include "views/view.h"

class QTableWidget;

namespace gui {

class FlameGraphPanel;

class HotLinesView : public View {
  Q_OBJECT
 public:
  explicit HotLinesView(QWidget* parent = nullptr);
  QString name() const override { return "hotlines"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 private:
  QChartView* view_;
  QTableWidget* table_;
  FlameGraphPanel* flame_;  // the profile's stacks (views/flame_graph.h)
};

}  // namespace gui
