// gui/views/table_view.h: the base of the views that are tables (the run browser, the Changes view): a sortable
// table whose numeric columns sort by number, cells with tooltips and colours, and the table as data for
// --dump-model.
#pragma once

#include <QColor>
#include <QTableWidget>
#include <optional>

#include "views/view.h"

class QLabel;

namespace gui {

class TableView : public View {
  Q_OBJECT
 public:
  explicit TableView(QWidget* parent = nullptr);
  bool has_data() const override { return table_->rowCount() > 0; }
  nlohmann::json table_model() const override;

 protected:
  // Clears the table to `columns` headers and `rows` empty rows, sorting off until finish().
  void start(const QStringList& columns, int rows);
  // A cell; `number` makes the column sort numerically.
  QTableWidgetItem* set_cell(int row, int column, const QString& text, std::optional<double> number = {},
                             const QString& tooltip = {});
  void colour_row(int row, const QColor& background);
  void finish();
  // A line above the table saying what it shows, or why it is empty.
  void set_caption(const QString& text);

  QLabel* caption_;
  QTableWidget* table_;
};

}  // namespace gui
