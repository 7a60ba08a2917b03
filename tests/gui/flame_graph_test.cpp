// flame_graph_test.cpp: the hot-lines view's flame graph (gui/src/views/flame_graph.cpp) on a stored profile
// with a known call structure: box layout, the default selection, a click on a box listing that function's
// lines, and a rendering that shows the boxes. Runs offscreen (QT_QPA_PLATFORM=offscreen).
#include "views/flame_graph.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QTableWidget>
#include <filesystem>

namespace gui {
namespace {

// <module> -> main -> heavy -> work (75 samples, line 10) and <module> -> main -> light -> work (25, line 9);
// main's two call lines differ, so the graph must merge them into one box.
speedcenter::HotLineStacks call_tree() {
  speedcenter::HotLineStacks s;
  s.frames = {{"t.py", "<module>", 28}, {"t.py", "main", 25}, {"t.py", "heavy", 15}, {"t.py", "work", 10},
              {"t.py", "main", 26},     {"t.py", "light", 19}, {"t.py", "work", 9}};
  s.nodes = {{-1, 0, 0}, {0, 1, 0}, {1, 2, 0}, {2, 3, 75}, {0, 4, 0}, {4, 5, 0}, {5, 6, 25}};
  return s;
}

class FlameGraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("flame_graph_test_" + std::to_string(getpid()) + ".db");
    std::filesystem::remove(path_);
    db_ = std::make_unique<speedcenter::Database>(path_.string());
    speedcenter::HotLineProfileRow row;
    row.target = "t.py";
    row.created_at = "2026-12-03T00:00:00Z";
    row.samples = 100;
    id_ = speedcenter::insert_hot_line_profile(*db_, row, {{"t.py", 10, 75}, {"t.py", 9, 25}}, call_tree());
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<speedcenter::Database> db_;
  std::int64_t id_ = 0;
};

const FlameNode* find(const std::vector<FlameNode>& nodes, const std::string& function, int depth) {
  for (const auto& n : nodes)
    if (n.function == function && n.depth == depth) return &n;
  return nullptr;
}

TEST_F(FlameGraphTest, LaysOutFunctionsByTheirSamples) {
  auto nodes = flame_nodes(speedcenter::hot_line_stacks(*db_, id_));
  ASSERT_EQ(nodes.size(), 7u);  // all, <module>, main (two lines, one box), heavy, work, light, work
  EXPECT_EQ(nodes[0].function, "all");
  const FlameNode* main = find(nodes, "main", 2);
  ASSERT_TRUE(main);
  EXPECT_EQ(main->total, 100);
  const FlameNode* heavy = find(nodes, "heavy", 3);
  const FlameNode* light = find(nodes, "light", 3);
  ASSERT_TRUE(heavy && light);
  EXPECT_DOUBLE_EQ(heavy->width, 0.75);
  EXPECT_DOUBLE_EQ(light->x, 0.75);
  EXPECT_DOUBLE_EQ(light->width, 0.25);
}

TEST_F(FlameGraphTest, ClickingAFunctionListsItsHottestLines) {
  FlameGraphPanel panel;
  panel.resize(1000, 300);
  panel.show_profile(*db_, id_);
  panel.show();
  QApplication::processEvents();
  // Selected at first: the function with the most samples of its own.
  EXPECT_EQ(panel.selected_function(), "work");
  ASSERT_EQ(panel.lines_table()->rowCount(), 2);
  EXPECT_EQ(panel.lines_table()->item(0, 0)->text(), "t.py:10");
  EXPECT_EQ(panel.lines_table()->item(0, 1)->text(), "75");

  FlameGraph* graph = panel.graph();
  QPointF on_light(graph->width() * 0.875, 3 * 18 + 9);
  ASSERT_GE(graph->node_at(on_light.toPoint()), 0);
  QMouseEvent click(QEvent::MouseButtonPress, on_light, graph->mapToGlobal(on_light), Qt::LeftButton,
                    Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(graph, &click);
  EXPECT_EQ(panel.selected_function(), "light");
  ASSERT_EQ(panel.lines_table()->rowCount(), 1);
  EXPECT_EQ(panel.lines_table()->item(0, 0)->text(), "t.py:19");
  EXPECT_EQ(panel.lines_table()->item(0, 1)->text(), "25");
  EXPECT_EQ(panel.lines_table()->item(0, 2)->text(), "100.0%");

  // The boxes are drawn: five rows of coloured boxes fill most of the graph's top 90 pixels.
  QImage image = graph->grab().toImage();
  int coloured = 0, total = 0;
  for (int y = 0; y < 5 * 18; y += 2) {
    for (int x = 0; x < image.width(); x += 2) {
      QColor c = image.pixelColor(x, y);
      ++total;
      if (c.saturation() > 60) ++coloured;
    }
  }
  EXPECT_GT(coloured, total * 7 / 10) << coloured << " of " << total << " pixels coloured";
}

TEST_F(FlameGraphTest, AProfileWithoutStacksDrawsNoBoxes) {
  speedcenter::HotLineProfileRow row;
  row.target = "old.py";
  row.created_at = "2026-12-03T00:00:00Z";
  std::int64_t old = speedcenter::insert_hot_line_profile(*db_, row, {{"old.py", 1, 1}}, {});
  FlameGraphPanel panel;
  panel.show_profile(*db_, old);
  EXPECT_TRUE(panel.graph()->nodes().empty());
  EXPECT_EQ(panel.lines_table()->rowCount(), 0);
}

}  // namespace
}  // namespace gui

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
