// gui/main_window.cpp: filter bar, view tabs, saving, and reacting to database changes.
#include "main_window.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cstdio>

#include "change_watcher.h"
#include "chart_export.h"
#include "speedcenter/history.h"
#include "views/changes_view.h"
#include "views/comparison_view.h"
#include "views/hot_lines_view.h"
#include "views/latency_view.h"
#include "views/memory_view.h"
#include "views/runs_view.h"
#include "views/timeline_view.h"
#include "views/warmup_view.h"

namespace gui {
namespace {

const char* kAll = "(all)";

void fill_combo(QComboBox* box, const std::vector<std::string>& items, const QString& selected, bool with_all) {
  box->clear();
  if (with_all) box->addItem(kAll);
  for (const auto& i : items) box->addItem(QString::fromStdString(i));
  int at = box->findText(selected);
  if (at < 0 && !selected.isEmpty()) {
    box->addItem(selected);
    at = box->count() - 1;
  }
  box->setCurrentIndex(std::max(0, at));
}

QString chosen(const QComboBox* box) { return box->currentText() == kAll ? QString() : box->currentText(); }

}  // namespace

MainWindow::MainWindow(std::unique_ptr<speedcenter::Database> db, const Filters& filters, QWidget* parent)
    : QMainWindow(parent), db_(std::move(db)), filters_(filters) {
  setWindowTitle("speedcenter \u2014 " + QString::fromStdString(db_->path().string()));
  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->addWidget(build_filter_bar());
  tabs_ = new QTabWidget(central);
  auto* runs = new RunsView;
  views_ = {new ComparisonView, runs, new ChangesView, new TimelineView, new LatencyView, new WarmupView,
            new MemoryView, new HotLinesView};
  for (View* v : views_) {
    connect(v, &View::benchmark_chosen, this, &MainWindow::open_benchmark);
    QString title = v->name();
    title[0] = title[0].toUpper();
    tabs_->addTab(v, title == "Hotlines" ? "Hot lines" : title);
  }
  stale_.assign(views_.size(), true);
  layout->addWidget(tabs_);
  setCentralWidget(central);
  fill_filters();
  connect(tabs_, &QTabWidget::currentChanged, this, [this] { refresh_visible(); });
  connect(runs, &RunsView::runs_chosen, this, [this](std::vector<std::int64_t> chosen) {
    filters_.runs = std::move(chosen);
    mark_all_stale();
    select_view("comparison");
  });
  watcher_ = new ChangeWatcher(*db_, 1000, this);
  connect(watcher_, &ChangeWatcher::changed, this, [this] {
    statusBar()->showMessage("database changed: reloaded", 3000);
    std::fprintf(stderr, "database changed: reloading the views\n");
    fill_filters();
    mark_all_stale();
    refresh_visible();
  });
  resize(1280, 800);
  refresh_visible();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::build_filter_bar() {
  auto* bar = new QWidget(this);
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  auto add = [&](const QString& label, QComboBox*& box) {
    row->addWidget(new QLabel(label, bar));
    box = new QComboBox(bar);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    row->addWidget(box);
    connect(box, &QComboBox::currentIndexChanged, this, [this] {
      if (filling_) return;
      read_filters();
      mark_all_stale();
      refresh_visible();
    });
  };
  add("Machine", machine_);
  add("Interpreter (baseline)", interpreter_);
  add("Benchmark", benchmark_);
  add("Metric", metric_);
  row->addStretch();
  auto* reload = new QPushButton("Reload", bar);
  connect(reload, &QPushButton::clicked, this, [this] {
    fill_filters();
    mark_all_stale();
    refresh_visible();
  });
  auto* save = new QPushButton("Save chart\u2026", bar);
  connect(save, &QPushButton::clicked, this, &MainWindow::save_dialog);
  row->addWidget(reload);
  row->addWidget(save);
  return bar;
}

void MainWindow::fill_filters() {
  filling_ = true;
  auto c = speedcenter::read_catalogue(*db_);
  fill_combo(machine_, c.machines, filters_.machine, true);
  fill_combo(interpreter_, c.interpreters, filters_.interpreter, true);
  fill_combo(benchmark_, c.benchmarks, filters_.benchmark, true);
  std::vector<std::string> metrics = {"mean", "median", "p99", "memory", "warmup"};
  for (const auto& m : c.metrics)
    if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
  fill_combo(metric_, metrics, filters_.metric, false);
  filling_ = false;
  statusBar()->showMessage(QString("%1 runs, %2 samples in %3")
                               .arg(db_->scalar_int("SELECT count(*) FROM runs"))
                               .arg(db_->scalar_int("SELECT coalesce(max(id), 0) FROM samples"))
                               .arg(QString::fromStdString(db_->path().string())));
}

void MainWindow::read_filters() {
  filters_.machine = chosen(machine_);
  filters_.interpreter = chosen(interpreter_);
  filters_.benchmark = chosen(benchmark_);
  filters_.metric = metric_->currentText();
}

void MainWindow::open_benchmark(const QString& benchmark) {
  filling_ = true;
  int at = benchmark_->findText(benchmark);
  if (at < 0) {
    benchmark_->addItem(benchmark);
    at = benchmark_->count() - 1;
  }
  benchmark_->setCurrentIndex(at);
  filling_ = false;
  read_filters();
  mark_all_stale();
  select_view("latency");
  statusBar()->showMessage(benchmark + ": its distribution and percentiles; the Warmup and Memory tabs show it too "
                                       "(Benchmark \u2192 (all) shows the whole suite again)",
                           10000);
}

void MainWindow::mark_all_stale() { stale_.assign(views_.size(), true); }

void MainWindow::refresh_visible() {
  int i = tabs_->currentIndex();
  if (i < 0 || !stale_[static_cast<size_t>(i)]) return;
  try {
    views_[static_cast<size_t>(i)]->refresh(*db_, filters_);
    views_[static_cast<size_t>(i)]->fit_legends();
  } catch (const speedcenter::StoreError& e) {
    statusBar()->showMessage(QString("error: %1").arg(e.what()));
  }
  stale_[static_cast<size_t>(i)] = false;
}

QStringList MainWindow::view_names() const {
  QStringList names;
  for (View* v : views_) names << v->name();
  return names;
}

bool MainWindow::select_view(const QString& name) {
  for (size_t i = 0; i < views_.size(); ++i)
    if (views_[i]->name() == name.toLower().remove(' ').remove('-').remove('_')) {
      tabs_->setCurrentIndex(static_cast<int>(i));
      refresh_visible();
      return true;
    }
  return false;
}

View* MainWindow::current_view() const { return views_[static_cast<size_t>(tabs_->currentIndex())]; }

QString MainWindow::save_current_view(const QString& file) { return save_widget_image(current_view(), file); }

void MainWindow::save_dialog() {
  QString file = QFileDialog::getSaveFileName(this, "Save chart", current_view()->name() + ".png",
                                              "PNG image (*.png);;SVG image (*.svg)");
  if (file.isEmpty()) return;
  QString error = save_current_view(file);
  if (!error.isEmpty()) QMessageBox::warning(this, "Save chart", error);
  else statusBar()->showMessage("saved " + file, 3000);
}

}  // namespace gui
