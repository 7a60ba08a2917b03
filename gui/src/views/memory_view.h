// gui/views/memory_view.h: RSS over the run per interpreter (the server process for web benchmarks), from memory_series.
#pragma once

#include "views/view.h"

namespace gui {

class MemoryView : public View {
  Q_OBJECT
 public:
  explicit MemoryView(QWidget* parent = nullptr);
  QString name() const override { return "memory"; }
  void refresh(const speedcenter::Database& db, const Filters& filters) override;

 private:
  QChartView* view_;

};

}  // namespace gui
