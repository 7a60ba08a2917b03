// gui/change_watcher.h: notices when another process writes the results database. The store's change token
// (SQLite's data_version; PostgreSQL's newest ids) changes whenever another connection commits; it is polled
// cheaply, and for SQLite a file watcher on the db and its -wal file triggers an immediate check.
#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include "speedcenter/database.h"

namespace gui {

class ChangeWatcher : public QObject {
  Q_OBJECT
 public:
  ChangeWatcher(const speedcenter::Database& db, int poll_ms, QObject* parent = nullptr);

 signals:
  void changed();

 private:
  void check();
  const speedcenter::Database& db_;
  QFileSystemWatcher files_;
  QTimer timer_;
  std::string version_;
};

}  // namespace gui
