// gui/views/flame_graph.cpp: the icicle graph is laid out once per profile (boxes as fractions of the width) and
// painted from that list; a click selects the box's function and lists its lines from the stored stack tree.
#include "views/flame_graph.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>
#include <map>

namespace gui {

namespace {

constexpr int kRowHeight = 18;

using FunctionKey = std::pair<std::string, std::string>;  // filename, function

struct Tree {
  FunctionKey key;
  std::int64_t total = 0;
  std::map<FunctionKey, Tree> children;  // ordered: a stable layout
};

// Builds the function-level tree: each stored node's samples (ending there) go down its path of functions.
Tree function_tree(const speedcenter::HotLineStacks& stacks) {
  Tree root;
  root.key = {"", "all"};
  std::vector<std::vector<int>> paths(stacks.nodes.size());
  for (std::size_t i = 0; i < stacks.nodes.size(); ++i) {
    const auto& node = stacks.nodes[i];
    if (node.parent >= 0 && static_cast<std::size_t>(node.parent) < i) paths[i] = paths[static_cast<std::size_t>(node.parent)];
    paths[i].push_back(node.frame);
    if (node.count == 0) continue;
    Tree* at = &root;
    at->total += node.count;
    for (int f : paths[i]) {
      const auto& frame = stacks.frames[static_cast<std::size_t>(f)];
      FunctionKey key{frame.filename, frame.function};
      Tree& child = at->children[key];
      child.key = key;
      child.total += node.count;
      at = &child;
    }
  }
  return root;
}

void lay_out(const Tree& tree, int depth, double x, double scale, std::vector<FlameNode>& out) {
  double width = static_cast<double>(tree.total) * scale;
  out.push_back({tree.key.first, tree.key.second, tree.total, depth, x, width});
  for (const auto& [key, child] : tree.children) {
    lay_out(child, depth + 1, x, scale, out);
    x += static_cast<double>(child.total) * scale;
  }
}

// Warm colours, stable per function name, as flame graphs are usually drawn.
QColor colour_of(const std::string& function) {
  std::size_t h = std::hash<std::string>{}(function);
  return QColor::fromHsv(static_cast<int>(h % 50), 140 + static_cast<int>((h >> 8) % 80),
                         215 + static_cast<int>((h >> 16) % 40));
}

}  // namespace

std::vector<FlameNode> flame_nodes(const speedcenter::HotLineStacks& stacks) {
  Tree root = function_tree(stacks);
  std::vector<FlameNode> nodes;
  if (root.total > 0) lay_out(root, 0, 0, 1.0 / static_cast<double>(root.total), nodes);
  return nodes;
}

std::vector<FunctionLine> function_lines(const speedcenter::HotLineStacks& stacks, const std::string& filename,
                                         const std::string& function) {
  std::map<int, std::int64_t> by_line;
  for (const auto& node : stacks.nodes) {
    if (node.count == 0) continue;
    // Up from where the samples ended to the function's innermost frame.
    for (const auto* at = &node; at;) {
      const auto& frame = stacks.frames[static_cast<std::size_t>(at->frame)];
      if (frame.function == function && frame.filename == filename) {
        by_line[frame.line] += node.count;
        break;
      }
      at = at->parent >= 0 ? &stacks.nodes[static_cast<std::size_t>(at->parent)] : nullptr;
    }
  }
  std::vector<FunctionLine> lines;
  for (const auto& [line, count] : by_line) lines.push_back({line, count});
  std::stable_sort(lines.begin(), lines.end(), [](const FunctionLine& a, const FunctionLine& b) { return a.count > b.count; });
  return lines;
}

FlameGraph::FlameGraph(QWidget* parent) : QWidget(parent) {
  setMinimumHeight(6 * kRowHeight);
  setToolTip("click a function to list its hottest lines");
}

void FlameGraph::set_nodes(std::vector<FlameNode> nodes) {
  nodes_ = std::move(nodes);
  selected_ = -1;
  int depth = 0;
  for (const auto& n : nodes_) depth = std::max(depth, n.depth);
  setMinimumHeight(std::max(6, depth + 1) * kRowHeight);
  update();
}

QSize FlameGraph::sizeHint() const {
  return {600, minimumHeight()};
}

QRectF FlameGraph::box(const FlameNode& node) const {
  return {node.x * width(), static_cast<double>(node.depth * kRowHeight), node.width * width(), kRowHeight - 1.0};
}

int FlameGraph::node_at(QPoint point) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (box(nodes_[i]).contains(point)) return static_cast<int>(i);
  return -1;
}

void FlameGraph::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  if (nodes_.empty()) {
    painter.drawText(rect(), Qt::AlignCenter, "no stacks in this profile (stored before measure_loc kept them)");
    return;
  }
  QFontMetrics metrics(font());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const FlameNode& node = nodes_[i];
    QRectF r = box(node);
    if (r.width() < 1) continue;
    painter.fillRect(r, static_cast<int>(i) == selected_ ? QColor(120, 170, 255) : colour_of(node.function));
    if (r.width() > 20) {
      QString text = metrics.elidedText(QString::fromStdString(node.function), Qt::ElideRight,
                                        static_cast<int>(r.width()) - 4);
      painter.setPen(Qt::black);
      painter.drawText(r.adjusted(2, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
  }
}

void FlameGraph::mousePressEvent(QMouseEvent* event) {
  int node = node_at(event->position().toPoint());
  if (node < 0) return;
  selected_ = node;
  update();
  emit function_clicked(node);
}

FlameGraphPanel::FlameGraphPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  graph_ = new FlameGraph(this);
  auto* side = new QVBoxLayout;
  title_ = new QLabel("click a function", this);
  title_->setWordWrap(true);
  lines_ = new QTableWidget(this);
  lines_->setColumnCount(3);
  lines_->setHorizontalHeaderLabels({"line", "samples", "of function"});
  lines_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  lines_->verticalHeader()->setVisible(false);
  lines_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  side->addWidget(title_);
  side->addWidget(lines_);
  layout->addWidget(graph_, 3);
  layout->addLayout(side, 2);
  connect(graph_, &FlameGraph::function_clicked, this, &FlameGraphPanel::select);
}

void FlameGraphPanel::show_profile(const speedcenter::Database& db, std::int64_t profile_id) {
  stacks_ = speedcenter::hot_line_stacks(db, profile_id);
  std::vector<FlameNode> nodes = flame_nodes(stacks_);
  // The function with the most samples of its own: a leaf box (no box below it) with the most samples.
  int hottest = -1;
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    bool leaf = i + 1 == nodes.size() || nodes[i + 1].depth <= nodes[i].depth;
    if (leaf && (hottest < 0 || nodes[i].total > nodes[static_cast<std::size_t>(hottest)].total))
      hottest = static_cast<int>(i);
  }
  graph_->set_nodes(std::move(nodes));
  lines_->setRowCount(0);
  title_->setText("click a function");
  selected_.clear();
  if (hottest >= 0) select(hottest);
}

void FlameGraphPanel::select(int index) {
  const auto& nodes = graph_->nodes();
  if (index < 0 || static_cast<std::size_t>(index) >= nodes.size()) return;
  const FlameNode& node = nodes[static_cast<std::size_t>(index)];
  selected_ = QString::fromStdString(node.function);
  std::vector<FunctionLine> lines = function_lines(stacks_, node.filename, node.function);
  std::int64_t total = 0;
  for (const auto& l : lines) total += l.count;
  title_->setText(QString("hottest lines of %1 (%2)").arg(selected_, QFileInfo(QString::fromStdString(node.filename)).fileName()));
  int rows = std::min<int>(30, static_cast<int>(lines.size()));
  lines_->setRowCount(rows);
  QString file = QFileInfo(QString::fromStdString(node.filename)).fileName();
  for (int i = 0; i < rows; ++i) {
    const FunctionLine& l = lines[static_cast<std::size_t>(i)];
    lines_->setItem(i, 0, new QTableWidgetItem(file + ":" + (l.line >= 0 ? QString::number(l.line) : QString("<no line>"))));
    lines_->setItem(i, 1, new QTableWidgetItem(QString::number(l.count)));
    lines_->setItem(i, 2, new QTableWidgetItem(QString::number(total ? 100.0 * static_cast<double>(l.count) / static_cast<double>(total) : 0, 'f', 1) + "%"));
  }
  lines_->resizeColumnsToContents();
}

QString FlameGraphPanel::selected_function() const {
  return selected_;
}

}  // namespace gui
