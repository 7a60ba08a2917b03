// gui/main_window.h: the dashboard window: filters on top, one tab per view, save and reload actions, and a
// refresh whenever the database changes. Views are refreshed lazily (only the visible one), so opening a large
// database costs one view's queries.
#pragma once

#include <QMainWindow>
#include <memory>
#include <vector>

#include "speedcenter/database.h"
#include "views/view.h"

class QComboBox;
class QTabWidget;

namespace gui {

class ChangeWatcher;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  MainWindow(std::unique_ptr<speedcenter::Database> db, const Filters& filters, QWidget* parent = nullptr);
  ~MainWindow() override;

  QStringList view_names() const;
  bool select_view(const QString& name);
  View* current_view() const;
  // Saves the current view as PNG or SVG (by suffix); returns an error message, empty on success.
  QString save_current_view(const QString& file);

 private:
  QWidget* build_filter_bar();
  void fill_filters();
  void read_filters();
  void refresh_visible();
  void mark_all_stale();
  void save_dialog();
  // A benchmark clicked in a view: it becomes the benchmark filter and its Latency view opens (its Warmup and
  // Memory views follow the same filter).
  void open_benchmark(const QString& benchmark);

  std::unique_ptr<speedcenter::Database> db_;
  Filters filters_;
  QTabWidget* tabs_ = nullptr;
  QComboBox *machine_ = nullptr, *interpreter_ = nullptr, *benchmark_ = nullptr, *metric_ = nullptr;
  std::vector<View*> views_;
  std::vector<bool> stale_;
  ChangeWatcher* watcher_ = nullptr;
  bool filling_ = false;
};

}  // namespace gui
