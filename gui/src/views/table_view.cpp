// gui/views/table_view.cpp: sortable tables for the dashboard (see table_view.h).
#include "views/table_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QVBoxLayout>

namespace gui {
namespace {

// Sorts by the number in Qt::UserRole when both cells have one (Qt would compare "10 ms" < "9 ms" as text).
class Cell : public QTableWidgetItem {
 public:
  using QTableWidgetItem::QTableWidgetItem;
  bool operator<(const QTableWidgetItem& other) const override {
    QVariant a = data(Qt::UserRole), b = other.data(Qt::UserRole);
    if (a.isValid() && b.isValid()) return a.toDouble() < b.toDouble();
    return QTableWidgetItem::operator<(other);
  }
};

}  // namespace

TableView::TableView(QWidget* parent) : View(parent) {
  auto* layout = new QVBoxLayout(this);
  caption_ = new QLabel(this);
  caption_->setWordWrap(true);
  table_ = new QTableWidget(this);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(caption_);
  layout->addWidget(table_);
}

void TableView::start(const QStringList& columns, int rows) {
  table_->setSortingEnabled(false);
  table_->clear();
  table_->setColumnCount(static_cast<int>(columns.size()));
  table_->setHorizontalHeaderLabels(columns);
  table_->setRowCount(rows);
}

QTableWidgetItem* TableView::set_cell(int row, int column, const QString& text, std::optional<double> number,
                                      const QString& tooltip) {
  auto* cell = new Cell(text);
  if (number) {
    cell->setData(Qt::UserRole, *number);
    cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (!tooltip.isEmpty()) cell->setToolTip(tooltip);
  table_->setItem(row, column, cell);
  return cell;
}

void TableView::colour_row(int row, const QColor& background) {
  for (int c = 0; c < table_->columnCount(); ++c)
    if (QTableWidgetItem* cell = table_->item(row, c)) cell->setBackground(background);
}

void TableView::finish() {
  table_->resizeColumnsToContents();
  table_->setSortingEnabled(true);
}

void TableView::set_caption(const QString& text) { caption_->setText(text); }

nlohmann::json TableView::table_model() const {
  nlohmann::json columns = nlohmann::json::array(), rows = nlohmann::json::array();
  for (int c = 0; c < table_->columnCount(); ++c)
    columns.push_back(table_->horizontalHeaderItem(c)->text().toStdString());
  for (int r = 0; r < table_->rowCount(); ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (int c = 0; c < table_->columnCount(); ++c) {
      const QTableWidgetItem* cell = table_->item(r, c);
      row.push_back(cell ? cell->text().toStdString() : "");
    }
    rows.push_back(row);
  }
  return {{"caption", caption_->text().toStdString()}, {"columns", columns}, {"rows", rows}};
}

}  // namespace gui
