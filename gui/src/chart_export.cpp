// gui/chart_export.cpp: PNG through QWidget::grab, SVG by rendering the widget into a QSvgGenerator.
#include "chart_export.h"

#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

namespace gui {

QString save_widget_image(QWidget* widget, const QString& file) {
  if (file.endsWith(".svg", Qt::CaseInsensitive)) {
    QSvgGenerator svg;
    svg.setFileName(file);
    svg.setSize(widget->size());
    svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
    svg.setTitle(widget->objectName());
    QPainter painter;
    if (!painter.begin(&svg)) return "cannot write " + file;
    widget->render(&painter);
    painter.end();
    return {};
  }
  QPixmap pixmap = widget->grab();
  if (!pixmap.save(file, file.endsWith(".jpg", Qt::CaseInsensitive) ? "JPG" : "PNG"))
    return "cannot write " + file;
  return {};
}

}  // namespace gui
