// gui/views/flame_graph.h: a stored profile's stacks as an icicle graph (outermost frames on top, widths by
// samples), merged by function, and the hottest lines of the function clicked in it.
#pragma once

#include <QWidget>
#include <string>
#include <vector>

#include "speedcenter/hot_line_store.h"

class QLabel;
class QTableWidget;

namespace gui {

// One box of the graph: a function called along one path, with the samples under it.
struct FlameNode {
  std::string filename, function;
  std::int64_t total = 0;  // samples with this call path on the stack
  int depth = 0;
  double x = 0, width = 0;  // as fractions of the graph's width
};

// The boxes of an icicle graph of `stacks` (the root "all" first), each path's callees ordered by name so the
// picture is stable; merged by function, not by line.
std::vector<FlameNode> flame_nodes(const speedcenter::HotLineStacks& stacks);

// A function's lines, hottest first: each sample counts on the line of the function's innermost frame.
struct FunctionLine {
  int line = 0;
  std::int64_t count = 0;
};
std::vector<FunctionLine> function_lines(const speedcenter::HotLineStacks& stacks, const std::string& filename,
                                         const std::string& function);

class FlameGraph : public QWidget {
  Q_OBJECT
 public:
  explicit FlameGraph(QWidget* parent = nullptr);
  void set_nodes(std::vector<FlameNode> nodes);
  const std::vector<FlameNode>& nodes() const { return nodes_; }
  QSize sizeHint() const override;
  // The box under a point, or -1.
  int node_at(QPoint point) const;

 signals:
  void function_clicked(int node);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QRectF box(const FlameNode& node) const;
  std::vector<FlameNode> nodes_;
  int selected_ = -1;
};

// The graph, with the clicked function's hottest lines beside it.
class FlameGraphPanel : public QWidget {
  Q_OBJECT
 public:
  explicit FlameGraphPanel(QWidget* parent = nullptr);
  // Shows the profile's stacks; selects the function with the most samples of its own.
  void show_profile(const speedcenter::Database& db, std::int64_t profile_id);
  void select(int node);
  FlameGraph* graph() const { return graph_; }
  // The selected function's name and its lines' table, for tests.
  QString selected_function() const;
  QTableWidget* lines_table() const { return lines_; }

 private:
  speedcenter::HotLineStacks stacks_;
  FlameGraph* graph_;
  QLabel* title_;
  QTableWidget* lines_;
  QString selected_;
};

}  // namespace gui
