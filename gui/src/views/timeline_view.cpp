// gui/views/timeline_view.cpp: history lines from speedcenter::query_history, step markers from
// find_regressions. Several benchmarks share the chart as values relative to their first revision; one
// benchmark is drawn in its own unit. The legend names what it shows: each line while there are few; beyond
// that (a whole suite: 16 benchmarks x 2 interpreters would be 32 entries that Qt elides to bare squares) one
// geometric-mean line per interpreter, with the benchmarks' lines in the interpreter's colour and named on
// hover.
#include "views/timeline_view.h"

#include <QCategoryAxis>
#include <QFontMetrics>
#include <QLineSeries>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "speedcenter/regression.h"
#include "views/chart_tips.h"

namespace gui {

TimelineView::TimelineView(QWidget* parent) : View(parent) {
  auto* layout = new QVBoxLayout(this);
  view_ = add_chart_view(this);
  layout->addWidget(view_);
}

namespace {

// More lines than this share one legend entry per interpreter (their geometric mean): a legend of 32 entries
// helps nobody.
constexpr size_t kLinesWithOwnEntry = 8;
// The light theme's five series colours, then five more (the theme repeats its five), so that every line with
// its own legend entry, or every interpreter, has its own colour.
const QColor kPalette[] = {QColor(0x20, 0x9f, 0xdf), QColor(0xf6, 0xa6, 0x25), QColor(0xbf, 0x59, 0x3e),
                           QColor(0x99, 0xca, 0x53), QColor(0x6d, 0x5f, 0xd5), QColor(0x2a, 0x9d, 0x8f),
                           QColor(0xe7, 0x6f, 0xa8), QColor(0x7f, 0x7f, 0x7f), QColor(0x8c, 0x56, 0x4b),
                           QColor(0x1f, 0x3a, 0x93)};

QColor palette_colour(size_t i) {
  return kPalette[i % std::size(kPalette)];
}

using TrackKey = std::pair<std::string, std::string>;  // benchmark, interpreter

// Beyond this many revisions a suite's per-benchmark dots would bury the lines: the lines carry the tooltips.
constexpr size_t kRevisionsWithDots = 60;

// The history arranged for drawing: x positions of revisions, and one track per (benchmark, interpreter).
struct Layout {
  std::map<std::string, int> x_of;  // revision name -> x (position among all revisions shown, oldest first)
  std::vector<std::string> revisions, interpreters;
  std::vector<TrackKey> order;  // tracks in first-seen order
  std::map<TrackKey, std::vector<const speedcenter::HistoryPoint*>> tracks;
  bool relative = false;  // several benchmarks: each relative to its first value
  double scale = 1;
  QString unit;

  explicit Layout(const std::vector<speedcenter::HistoryPoint>& history) {
    std::set<std::string> benchmarks;
    for (const auto& p : history) {
      if (x_of.emplace(p.revision_name(), static_cast<int>(revisions.size())).second)
        revisions.push_back(p.revision_name());
      if (std::find(interpreters.begin(), interpreters.end(), p.interpreter) == interpreters.end())
        interpreters.push_back(p.interpreter);
      TrackKey key{p.benchmark, p.interpreter};
      if (!tracks.count(key)) order.push_back(key);
      tracks[key].push_back(&p);
      benchmarks.insert(p.benchmark);
    }
    relative = benchmarks.size() > 1;
    if (relative) return;
    if (history.front().unit == "s") scale = time_scale(history.front().value, unit);
    if (history.front().unit == "bytes") {
      scale = 1.0 / (1024 * 1024);
      unit = "MiB";
    }
  }
  double value(const speedcenter::HistoryPoint& p) const {
    return relative ? p.value / tracks.at({p.benchmark, p.interpreter}).front()->value : p.value * scale;
  }
  double x(const speedcenter::HistoryPoint& p) const { return x_of.at(p.revision_name()); }
  QColor colour_of(const std::string& interpreter) const {
    auto at = std::find(interpreters.begin(), interpreters.end(), interpreter) - interpreters.begin();
    return palette_colour(static_cast<size_t>(at));
  }
};

// Adds series to the chart on its two axes and tracks the y range.
struct Plot {
  QChart* chart;
  QAbstractAxis *x, *y;
  double lo = 0, hi = 0;
  bool empty = true;

  void attach(QXYSeries* s) {
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
    for (int i = 0; i < s->count(); ++i) {
      double v = s->at(i).y();
      lo = empty ? v : std::min(lo, v);
      hi = empty ? v : std::max(hi, v);
      empty = false;
    }
  }
};

// The track's line (in the legend unless summarised) and its dots (hover: the point's revision and run; click:
// the benchmark's own views).
void add_track(Plot& plot, const Layout& layout, size_t index, bool summarised, View* view) {
  const TrackKey& key = layout.order[index];
  auto* line = new QLineSeries;
  line->setName(QString::fromStdString(key.first + " [" + key.second + "]"));
  auto* dots = new QScatterSeries;
  dots->setMarkerSize(summarised ? 5 : 7);
  std::vector<QString> tips;  // copied: the history does not outlive this refresh
  for (const auto* p : layout.tracks.at(key)) {
    line->append(layout.x(*p), layout.value(*p));
    dots->append(layout.x(*p), layout.value(*p));
    tips.push_back(history_point_text(*p));
  }
  plot.attach(line);
  QString benchmark = QString::fromStdString(key.first);
  open_benchmark_on_click(line, benchmark, view);
  if (summarised) {
    QColor colour = layout.colour_of(key.second);
    colour.setAlpha(110);
    line->setPen(QPen(colour, 1));
    hide_from_legend(line, plot.chart);
  } else {
    line->setColor(palette_colour(index));
  }
  if (summarised && layout.revisions.size() > kRevisionsWithDots) {
    delete dots;
    show_tips_on_hover(line, std::move(tips));
    return;
  }
  plot.attach(dots);
  open_benchmark_on_click(dots, benchmark, view);
  dots->setColor(line->color());
  dots->setBorderColor(line->color());
  mark_decoration(dots, plot.chart);
  show_tips_on_hover(dots, std::move(tips));
}

// Per revision, the geometric mean of the interpreter's relative values over the benchmarks measured there.
void add_geometric_mean(Plot& plot, const Layout& layout, const std::string& interpreter) {
  std::map<int, std::pair<double, int>> log_sum;  // x -> (sum of logs, count)
  std::set<std::string> benchmarks;
  for (const auto& [key, points] : layout.tracks) {
    if (key.second != interpreter) continue;
    benchmarks.insert(key.first);
    for (const auto* p : points) {
      double v = layout.value(*p);
      if (!(v > 0) || !std::isfinite(v)) continue;  // a zero first value (e.g. no warmup) has no ratio
      auto& [sum, n] = log_sum[static_cast<int>(layout.x(*p))];
      sum += std::log(v);
      ++n;
    }
  }
  auto* line = new QLineSeries;
  line->setName(QString("geometric mean of %1 benchmarks [%2]")
                    .arg(benchmarks.size())
                    .arg(QString::fromStdString(interpreter)));
  for (const auto& [x, sum_n] : log_sum) line->append(x, std::exp(sum_n.first / sum_n.second));
  line->setPen(QPen(layout.colour_of(interpreter), 3));
  line->setPointsVisible(layout.revisions.size() <= kRevisionsWithDots);  // a single revision is a point, not a line
  plot.attach(line);
}

void add_steps(Plot& plot, const Layout& layout, const std::vector<speedcenter::Regression>& steps) {
  for (bool regression : {true, false}) {
    auto* series = new QScatterSeries;
    series->setName(regression ? "regressions" : "improvements");
    series->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    series->setMarkerSize(14);
    series->setColor(regression ? QColor(220, 30, 30) : QColor(30, 160, 60));
    std::vector<QString> tips;
    for (const auto& r : steps) {
      if (r.regression != regression || !layout.tracks.count({r.after.benchmark, r.after.interpreter}))
        continue;
      QString tip = QString("%1 %2%3% (95% CI %4%..%5%)\nbetween %6 and %7")
                        .arg(r.regression ? "regression" : "improvement", r.step.relative > 0 ? "+" : "")
                        .arg(100 * r.step.relative, 0, 'f', 1)
                        .arg(100 * r.step.relative_ci_low, 0, 'f', 1)
                        .arg(100 * r.step.relative_ci_high, 0, 'f', 1)
                        .arg(QString::fromStdString(r.before.revision_name()),
                             QString::fromStdString(r.after.revision_name()));
      series->append(layout.x(r.after), layout.value(r.after));
      tips.push_back(tip + "\n" + history_point_text(r.after));
    }
    if (series->count() == 0) {
      delete series;
      continue;
    }
    plot.attach(series);
    show_tips_on_hover(series, std::move(tips));
  }
}

}  // namespace

void TimelineView::refresh(const speedcenter::Database& db, const Filters& f) {
  speedcenter::HistoryQuery q{f.benchmark.toStdString(), f.interpreter.toStdString(), f.machine.toStdString(),
                              f.metric.toStdString()};
  auto history = speedcenter::query_history(db, q);
  QChart* chart = reset_chart(
      view_,
      QString("%1 over revisions%2").arg(f.metric, f.benchmark.isEmpty() ? "" : " \u2014 " + f.benchmark));
  if (history.empty()) {
    show_empty(chart, "no history for these filters");
    return;
  }
  Layout layout(history);
  if (layout.revisions.size() == 1) show_empty(chart, "one revision so far: a timeline needs two");
  auto* x = new QCategoryAxis;
  x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  // Every k-th revision is labelled, so that the labels fit side by side (200 revisions would elide each to "...").
  size_t room = static_cast<size_t>(std::max(view_->width(), 1000) - 150), every = 1;
  size_t widest = 0;
  for (const auto& r : layout.revisions)
    widest = std::max<size_t>(widest, static_cast<size_t>(QFontMetrics(x->labelsFont()).horizontalAdvance(QString::fromStdString(r))));
  while (layout.revisions.size() / every * (widest + 16) > room) ++every;
  for (size_t i = 0; i < layout.revisions.size(); i += every)
    x->append(QString::fromStdString(layout.revisions[i]), static_cast<double>(i));
  x->setRange(-0.5, static_cast<double>(layout.revisions.size()) - 0.5);
  x->setTitleText("revision (oldest first)");
  auto* y = new QValueAxis;
  y->setTitleText(layout.relative ? f.metric + " relative to the first revision"
                                  : f.metric + (layout.unit.isEmpty() ? "" : " (" + layout.unit + ")"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  Plot plot{chart, x, y};
  bool summarise = layout.relative && layout.order.size() > kLinesWithOwnEntry;
  for (size_t i = 0; i < layout.order.size(); ++i) add_track(plot, layout, i, summarise, this);
  if (summarise)
    for (const auto& interpreter : layout.interpreters) add_geometric_mean(plot, layout, interpreter);
  add_steps(plot, layout, speedcenter::find_regressions(db, q));
  set_padded_range(y, plot.lo, plot.hi, 0.1);
}

}  // namespace gui
