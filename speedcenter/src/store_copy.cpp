// speedcenter/store_copy.cpp: copy_runs(). Rows are copied column by column as the schema has them (read from
// the store, so a column added by a later migration travels too), with every id remapped to the destination's.
#include "speedcenter/store_copy.h"

#include <map>
#include <string>

#include "dialect.h"

namespace speedcenter {
namespace {

using IdMap = std::map<std::int64_t, std::int64_t>;

// The registry tables: rows shared by many runs, found in the destination by their natural key.
struct Registry {
  const char* table;
  const char* key;  // columns of the UNIQUE constraint
};
constexpr Registry kMachines{"machines", "fingerprint"}, kInterpreters{"interpreters", "command, executable_sha256"},
    kRevisions{"revisions", "repo, commit_hash, label"}, kBenchmarks{"benchmarks", "name"};

std::vector<std::string> columns_of(const Database& db, const std::string& table) {
  auto st = db.prepare(detail::dialect(db.backend()).table_columns);
  st.bind(1, table);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.column_text(0));
  if (out.empty()) throw StoreError("the store " + db.path().string() + " has no table " + table);
  return out;
}

std::string joined(const std::vector<std::string>& names, const std::string& separator = ", ") {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
  return out;
}

void bind_value(Statement& to, int index, const Statement& from, int column) {
  switch (from.column_type(column)) {
    case ValueType::Null: to.bind_null(index); break;
    case ValueType::Integer: to.bind(index, from.column_int(column)); break;
    case ValueType::Real: to.bind(index, from.column_double(column)); break;
    case ValueType::Text: to.bind(index, from.column_text(column)); break;
  }
}

class Copier {
 public:
  Copier(const Database& from, const Database& to) : from_(from), to_(to) {}

  // Copies the rows of `table` selected by `where` (one ? bound to `parent`), with the columns named in
  // `remaps` translated through their maps. Returns old id -> new id when `want_ids`.
  IdMap copy_rows(const std::string& table, const std::string& where, std::int64_t parent,
                  const std::map<std::string, const IdMap*>& remaps, bool want_ids = false) {
    const Table& t = table_info(table);
    auto select = from_.prepare("SELECT " + joined(t.source_columns) + " FROM " + table + " WHERE " + where);
    select.bind(1, parent);
    IdMap ids;
    Statement& insert = t.insert;
    while (select.step()) {
      for (size_t i = 0; i < t.copied.size(); ++i) {
        int column = t.copied[i], index = static_cast<int>(i) + 1;
        auto remap = remaps.find(t.source_columns[static_cast<size_t>(column)]);
        if (remap != remaps.end() && !select.is_null(column)) {
          auto found = remap->second->find(select.column_int(column));
          if (found == remap->second->end())
            throw StoreError("the source store is inconsistent: " + table + "." + remap->first + " = " +
                                 std::to_string(select.column_int(column)) + " refers to no row",
                             "check it with pyston-bench list-runs, or copy the other runs with --run");
          insert.bind(index, found->second);
        } else {
          bind_value(insert, index, select, column);
        }
      }
      insert.run();
      if (want_ids) ids[select.column_int(t.id_column)] = to_.last_insert_id();
    }
    return ids;
  }

  // The destination id of a registry row (machine, interpreter, revision, benchmark), inserting it when new.
  std::int64_t registry_id(const Registry& r, std::int64_t source_id) {
    IdMap& known = registries_[r.table];
    if (auto found = known.find(source_id); found != known.end()) return found->second;
    const Table& t = table_info(r.table);
    auto select = from_.prepare("SELECT " + joined(t.source_columns) + " FROM " + r.table + " WHERE id = ?");
    select.bind(1, source_id);
    if (!select.step()) throw StoreError(std::string("the source store has no ") + r.table + " row " + std::to_string(source_id));
    std::vector<std::string> key;
    for (size_t start = 0; start <= std::string(r.key).size();) {
      std::string k(r.key);
      size_t end = k.find(", ", start);
      key.push_back(k.substr(start, end == std::string::npos ? std::string::npos : end - start));
      start = end == std::string::npos ? k.size() + 1 : end + 2;
    }
    auto upsert = to_.prepare("INSERT INTO " + std::string(r.table) + " (" + joined(t.copied_names) + ") VALUES (" +
                              placeholders(t.copied.size()) + ") ON CONFLICT (" + r.key + ") DO NOTHING");
    for (size_t i = 0; i < t.copied.size(); ++i) bind_value(upsert, static_cast<int>(i) + 1, select, t.copied[i]);
    upsert.run();
    auto find = to_.prepare("SELECT id FROM " + std::string(r.table) + " WHERE " + joined(key, " = ? AND ") + " = ?");
    for (size_t k = 0; k < key.size(); ++k) {
      for (size_t c = 0; c < t.source_columns.size(); ++c)
        if (t.source_columns[c] == key[k]) bind_value(find, static_cast<int>(k) + 1, select, static_cast<int>(c));
    }
    find.step();
    return known[source_id] = find.column_int(0);
  }

  // Registry ids of every row of `table` referenced by `column` in the rows `where` (bound to `parent`).
  const IdMap& registry_ids(const Registry& r, const std::string& table, const std::string& column,
                            const std::string& where, std::int64_t parent) {
    auto st = from_.prepare("SELECT DISTINCT " + column + " FROM " + table + " WHERE " + where + " AND " + column +
                            " IS NOT NULL");
    st.bind(1, parent);
    while (st.step()) registry_id(r, st.column_int(0));
    return registries_[r.table];
  }

 private:
  struct Table {
    std::vector<std::string> source_columns;  // as selected, id first when the table has one
    std::vector<int> copied;                  // indexes into source_columns of the columns inserted
    std::vector<std::string> copied_names;
    int id_column = -1;
    mutable Statement insert;
  };

  static std::string placeholders(size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
  }

  const Table& table_info(const std::string& table) {
    if (auto found = tables_.find(table); found != tables_.end()) return found->second;
    std::vector<std::string> columns = columns_of(from_, table), copied_names;
    std::vector<int> copied;
    int id_column = -1;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == "id") {
        id_column = static_cast<int>(i);
      } else {
        copied.push_back(static_cast<int>(i));
        copied_names.push_back(columns[i]);
      }
    }
    auto insert = to_.prepare("INSERT INTO " + table + " (" + joined(copied_names) + ") VALUES (" +
                              placeholders(copied.size()) + ")");
    return tables_.emplace(table, Table{columns, copied, copied_names, id_column, std::move(insert)}).first->second;
  }

  const Database& from_;
  const Database& to_;
  std::map<std::string, Table> tables_;
  std::map<std::string, IdMap> registries_;
};

// The destination's id of the same run, if it holds it.
std::optional<std::int64_t> same_run(const Database& from, const Database& to, std::int64_t run) {
  auto head = from.prepare(
      "SELECT m.fingerprint, r.started_at, r.command_line, r.options_json FROM runs r JOIN machines m"
      " ON m.id = r.machine_id WHERE r.id = ?");
  head.bind(1, run);
  if (!head.step())
    throw StoreError("there is no run " + std::to_string(run) + " in " + from.path().string(),
                     "list the runs with: pyston-bench --db " + from.path().string() + " list-runs");
  auto find = to.prepare(
      "SELECT r.id FROM runs r JOIN machines m ON m.id = r.machine_id WHERE m.fingerprint = ? AND r.started_at = ?"
      " AND r.command_line = ? AND r.options_json = ?");
  for (int i = 0; i < 4; ++i) find.bind(i + 1, head.column_text(i));
  if (find.step()) return find.column_int(0);
  return std::nullopt;
}

std::int64_t copy_run(Copier& c, const Database& from, const Database& to, std::int64_t run) {
  Transaction tx(to);
  IdMap runs{{run, 0}}, none;
  IdMap machines, revisions;
  {
    auto head = from.prepare("SELECT machine_id, revision_id FROM runs WHERE id = ?");
    head.bind(1, run);
    head.step();
    machines[head.column_int(0)] = c.registry_id(kMachines, head.column_int(0));
    if (!head.is_null(1)) revisions[head.column_int(1)] = c.registry_id(kRevisions, head.column_int(1));
  }
  runs = c.copy_rows("runs", "id = ?", run, {{"machine_id", &machines}, {"revision_id", &revisions}}, true);
  const IdMap& interpreters = c.registry_ids(kInterpreters, "run_interpreters", "interpreter_id", "run_id = ?", run);
  c.copy_rows("run_interpreters", "run_id = ?", run, {{"run_id", &runs}, {"interpreter_id", &interpreters}});
  c.registry_ids(kInterpreters, "results", "interpreter_id", "run_id = ?", run);
  c.registry_ids(kInterpreters, "hot_line_profiles", "interpreter_id", "run_id = ?", run);
  const IdMap& benchmarks = c.registry_ids(kBenchmarks, "results", "benchmark_id", "run_id = ?", run);
  IdMap results = c.copy_rows("results", "run_id = ?", run,
                              {{"run_id", &runs}, {"benchmark_id", &benchmarks}, {"interpreter_id", &interpreters}},
                              true);
  std::int64_t samples = 0;
  for (const auto& [old_result, new_result] : results) {
    IdMap result{{old_result, new_result}};
    IdMap workers = c.copy_rows("workers", "result_id = ?", old_result, {{"result_id", &result}}, true);
    c.copy_rows("samples", "result_id = ?", old_result, {{"result_id", &result}, {"worker_id", &workers}});
    samples += to.scalar_int("SELECT count(*) FROM samples WHERE result_id = " + std::to_string(new_result));
    for (const auto& [old_worker, new_worker] : workers) {
      IdMap worker{{old_worker, new_worker}};
      c.copy_rows("memory_series", "worker_id = ?", old_worker, {{"worker_id", &worker}});
    }
    c.copy_rows("metrics", "result_id = ?", old_result, {{"result_id", &result}});
  }
  c.copy_rows("failures", "run_id = ?", run, {{"run_id", &runs}, {"result_id", &results}});
  IdMap profiles = c.copy_rows("hot_line_profiles", "run_id = ?", run,
                               {{"run_id", &runs}, {"result_id", &results}, {"interpreter_id", &interpreters}}, true);
  for (const auto& [old_profile, new_profile] : profiles) {
    IdMap profile{{old_profile, new_profile}};
    c.copy_rows("hot_line_entries", "profile_id = ?", old_profile, {{"profile_id", &profile}});
    c.copy_rows("hot_line_frames", "profile_id = ?", old_profile, {{"profile_id", &profile}});
    c.copy_rows("hot_line_stack_nodes", "profile_id = ?", old_profile, {{"profile_id", &profile}});
  }
  tx.commit();
  return samples;
}

}  // namespace

CopyReport copy_runs(const Database& from, const Database& to, const CopyOptions& options) {
  std::vector<std::int64_t> runs = options.runs;
  if (runs.empty()) {
    auto all = from.prepare("SELECT id FROM runs ORDER BY id");
    while (all.step()) runs.push_back(all.column_int(0));
  }
  Copier copier(from, to);
  CopyReport report;
  for (std::int64_t run : runs) {
    if (same_run(from, to, run)) {
      report.already_there.push_back(run);
      continue;
    }
    auto status = from.prepare("SELECT status FROM runs WHERE id = ?");
    status.bind(1, run);
    if (status.step() && status.column_text(0) == "running") {
      report.still_running.push_back(run);
      continue;
    }
    report.samples += copy_run(copier, from, to, run);
    report.copied.push_back(run);
  }
  return report;
}

}  // namespace speedcenter
