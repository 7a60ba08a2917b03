// gui/chart_model.cpp: reads the charts back through Qt Charts' public API; only the legend's laid-out label
// texts need the graphics items, because Qt offers no accessor for the elided text.
#include "chart_model.h"

#include <QAbstractAxis>
#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QXYSeries>

#include "views/view.h"

namespace gui {
namespace {

std::string text(const QString& s) {
  return s.toStdString();
}

std::string type_name(QAbstractSeries::SeriesType type) {
  switch (type) {
    case QAbstractSeries::SeriesTypeLine:
      return "line";
    case QAbstractSeries::SeriesTypeScatter:
      return "scatter";
    case QAbstractSeries::SeriesTypeSpline:
      return "spline";
    case QAbstractSeries::SeriesTypeArea:
      return "area";
    case QAbstractSeries::SeriesTypeBar:
      return "bar";
    default:
      return "other";
  }
}

nlohmann::json series_model(QAbstractSeries* series) {
  nlohmann::json s = {
      {"name", text(series->name())}, {"type", type_name(series->type())}, {"visible", series->isVisible()}};
  if (auto* xy = qobject_cast<QXYSeries*>(series)) s["points"] = xy->count();
  if (QStringList tips = series->property("tips").toStringList(); !tips.isEmpty()) {
    s["tip_count"] = tips.size();  // one per point
    s["tips"] = nlohmann::json::array();
    for (const QString& tip : tips.mid(0, 3)) s["tips"].push_back(text(tip));
  }
  if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
    s["bar_sets"] = nlohmann::json::array();
    for (QBarSet* set : bars->barSets()) s["bar_sets"].push_back(text(set->label()));
  }
  return s;
}

// The label texts the legend shows after layout (an elided label is shorter, down to nothing).
void collect_shown_labels(const QGraphicsItem* item, nlohmann::json& out) {
  for (const QGraphicsItem* child : item->childItems()) {
    if (!child->isVisible()) continue;
    if (const auto* label = qgraphicsitem_cast<const QGraphicsTextItem*>(child))
      out.push_back(text(label->toPlainText()));
    collect_shown_labels(child, out);
  }
}

nlohmann::json legend_model(QLegend* legend) {
  nlohmann::json entries = nlohmann::json::array(), shown = nlohmann::json::array();
  for (QLegendMarker* marker : legend->markers())
    entries.push_back({{"label", text(marker->label())},
                       {"series", text(marker->series()->name())},
                       {"visible", legend->isVisible() && marker->isVisible()}});
  if (legend->isVisible()) collect_shown_labels(legend, shown);
  return {{"visible", legend->isVisible()}, {"entries", entries}, {"shown_labels", shown}};
}

nlohmann::json chart_model(QChart* chart) {
  nlohmann::json series = nlohmann::json::array(), axes = nlohmann::json::array();
  for (QAbstractSeries* s : chart->series()) series.push_back(series_model(s));
  for (QAbstractAxis* axis : chart->axes()) {
    nlohmann::json a = {{"orientation", axis->orientation() == Qt::Horizontal ? "x" : "y"},
                        {"title", text(axis->titleText())},
                        {"visible", axis->isVisible()},
                        {"labels_angle", axis->labelsAngle()}};
    if (auto* bars = qobject_cast<QBarCategoryAxis*>(axis)) a["labels"] = bars->count();
    if (auto* categories = qobject_cast<QCategoryAxis*>(axis)) a["labels"] = categories->count();
    axes.push_back(a);
  }
  return {{"title", text(chart->title())},
          {"series", series},
          {"legend", legend_model(chart->legend())},
          {"axes", axes}};
}

}  // namespace

nlohmann::json chart_model(const View& view) {
  nlohmann::json names = nlohmann::json::array(), charts = nlohmann::json::array();
  for (const QString& name : view.series_names()) names.push_back(text(name));
  for (QChart* chart : view.charts()) charts.push_back(chart_model(chart));
  nlohmann::json model = {
      {"view", text(view.name())}, {"has_data", view.has_data()}, {"series_names", names}, {"charts", charts}};
  if (nlohmann::json table = view.table_model(); !table.is_null()) model["table"] = table;
  return model;
}

}  // namespace gui
