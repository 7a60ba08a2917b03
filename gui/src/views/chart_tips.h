// gui/views/chart_tips.h: the one home of the dashboard's tooltip texts (a value with its interval, processes
// and revision) and of the chart interactions built on them: a tooltip on every bar and point, and a click on
// a benchmark's bar, line or row opening its distribution, latency, warmup and memory views.
#pragma once

#include <QString>
#include <map>
#include <string>
#include <vector>

#include "speedcenter/dashboard_data.h"
#include "speedcenter/history.h"

class QAbstractBarSeries;
class QXYSeries;

namespace gui {

class View;

// "cpython-3.8: 4.1 ms (95% interval 4.0 ms .. 4.2 ms), 6 processes".
QString metric_text(const QString& interpreter, const speedcenter::MetricCell& cell, const std::string& unit);
// A point of a history: its revision (commit, date, message), run, interpreter and benchmark, value and interval.
QString history_point_text(const speedcenter::HistoryPoint& point);
// For a view of one benchmark in one run: per interpreter, its metric as metric_text and the run and revision.
std::map<std::string, QString> result_texts(const speedcenter::ComparisonData& run_data, const std::string& benchmark);

// Shows tips[i] while the pointer is over the series' i-th point (for a line, the point nearest in x).
void show_tips_on_hover(QXYSeries* series, std::vector<QString> tips);
// A click on the series (a benchmark's line or points) emits view->benchmark_chosen(benchmark).
void open_benchmark_on_click(QXYSeries* series, const QString& benchmark, View* view);
// A click on the bars of category i emits view->benchmark_chosen(benchmarks[i]); categories past the
// benchmarks (the geometric mean) open nothing.
void open_benchmark_on_click(QAbstractBarSeries* bars, const std::vector<std::string>& benchmarks, View* view);

}  // namespace gui
