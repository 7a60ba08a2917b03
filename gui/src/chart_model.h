// gui/chart_model.h: what a view's charts show, as data (--dump-model): series, legend entries (with the text
// actually laid out, which Qt elides when the legend is crowded), axes. Tests check the legend with it.
#pragma once

#include <nlohmann/json.hpp>

namespace gui {

class View;

// {"view", "has_data", "series_names", "charts": [{"title", "series": [{"name", "type", "visible", "points" |
// "bar_sets"}], "legend": {"visible", "entries": [{"label", "series", "visible"}], "shown_labels"}, "axes":
// [{"orientation", "title", "visible"}]}], "table": {"columns", "rows", "tooltips"} for table views}. The view must
// have been shown and laid out.
nlohmann::json chart_model(const View& view);

}  // namespace gui
