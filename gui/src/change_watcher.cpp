// gui/change_watcher.cpp: change-token polling plus file-system notifications.
#include "change_watcher.h"

#include <QFileInfo>

namespace gui {

ChangeWatcher::ChangeWatcher(const speedcenter::Database& db, int poll_ms, QObject* parent)
    : QObject(parent), db_(db) {
  version_ = db_.change_token();
  QString path = QString::fromStdString(db_.path().string());
  for (const QString& f : {path, path + "-wal"})
    if (QFileInfo::exists(f)) files_.addPath(f);
  connect(&files_, &QFileSystemWatcher::fileChanged, this, &ChangeWatcher::check);
  connect(&timer_, &QTimer::timeout, this, &ChangeWatcher::check);
  timer_.start(poll_ms);
}

void ChangeWatcher::check() {
  std::string v = db_.change_token();
  if (v == version_) return;
  version_ = v;
  emit changed();
}

}  // namespace gui
