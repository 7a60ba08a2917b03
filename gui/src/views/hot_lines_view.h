// gui/views/hot_lines_view.h: measure_loc's result: the coverage curve (how many lines cover what share of the
// samples) and the table of the hottest lines.
#pragma once

#include "views/view.h"

class QTableWidget;

namespace gui {

class HotLinesView : public View {
  Q_OBJECT
 public:
  explicit HotLinesView(QWidget* parent = nullptr);
  QString name() const override { return "hotlines"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 private:
  QChartView* view_;
  QTableWidget* table_;
};

}  // namespace gui
