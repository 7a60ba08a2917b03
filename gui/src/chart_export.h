// gui/chart_export.h: saving what a view shows as PNG (pixels) or SVG (vectors), chosen by the file's suffix.
#pragma once

#include <QString>

class QWidget;

namespace gui {

// Returns an error message, empty on success.
QString save_widget_image(QWidget* widget, const QString& file);

}  // namespace gui
