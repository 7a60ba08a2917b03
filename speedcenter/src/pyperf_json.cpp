// speedcenter/pyperf_json.cpp: importing pyperf result files as runs and exporting runs as pyperf files.
#include "speedcenter/pyperf_json.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>

#include "speedcenter/stats.h"

namespace speedcenter {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& what) {
  throw StoreError("not a pyperf result file: " + what,
                   "pass a file written by pyperf 2.x (e.g. python3 -m pyperf timeit ... -o bench.json)");
}

std::string utc_now() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string text(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& member(const json& object, const char* key) {
  static const json missing;
  auto it = object.find(key);
  return it == object.end() ? missing : *it;
}

// pyperf keeps metadata common to all benchmarks at the top, the rest per benchmark and per run.
std::string find_metadata(const json& doc, const json& bench, const char* key) {
  for (const json* md : {&member(bench, "metadata"), &member(doc, "metadata")})
    if (!text(*md, key).empty()) return text(*md, key);
  for (const auto& run : member(bench, "runs"))
    if (!text(member(run, "metadata"), key).empty()) return text(member(run, "metadata"), key);
  return {};
}

std::string store_unit(const std::string& pyperf_unit) {
  if (pyperf_unit.empty() || pyperf_unit == "second") return "s";
  if (pyperf_unit == "byte") return "bytes";
  return pyperf_unit;
}

void validate(const json& doc) {
  if (!doc.is_object()) malformed("the top level is not an object");
  if (text(doc, "version") != "1.0")
    malformed("unsupported version '" + text(doc, "version") + "' (expected 1.0)");
  if (!doc.contains("benchmarks") || !doc["benchmarks"].is_array()) malformed("no \"benchmarks\" list");
  for (const auto& b : doc["benchmarks"]) {
    if (!b.is_object() || !b.contains("runs") || !b["runs"].is_array())
      malformed("a benchmark has no \"runs\" list");
    for (const auto& r : b["runs"]) {
      if (r.contains("values"))
        for (const auto& v : r["values"])
          if (!v.is_number()) malformed("a value is not a number");
      if (r.contains("warmups"))
        for (const auto& w : r["warmups"])
          if (!w.is_array() || w.size() != 2 || !w[0].is_number() || !w[1].is_number())
            malformed("a warmup is not [loops, value]");
    }
  }
}

std::int64_t upsert(const Database& db, const char* insert, const char* select,
                    const std::vector<std::string>& keys, const std::vector<std::string>& extra) {
  auto ins = db.prepare(insert);
  int i = 1;
  for (const auto& k : keys) ins.bind(i++, k);
  for (const auto& e : extra) ins.bind(i++, e);
  ins.run();
  auto sel = db.prepare(select);
  i = 1;
  for (const auto& k : keys) sel.bind(i++, k);
  if (!sel.step()) throw StoreError("cannot store pyperf import");
  return sel.column_int(0);
}

class Importer {
 public:
  Importer(const Database& db, const json& doc, const PyperfImportOptions& options)
      : db_(db), doc_(doc), options_(options) {}

  std::int64_t run() {
    Transaction tx(db_);
    const json& first = doc_["benchmarks"].empty() ? json::object() : doc_["benchmarks"][0];
    auto meta = [&](const char* key) { return find_metadata(doc_, first, key); };
    std::string host = meta("hostname").empty() ? "pyperf" : meta("hostname");
    std::int64_t machine =
        upsert(db_, "INSERT OR IGNORE INTO machines (fingerprint, hostname, cpu_model) VALUES (?, ?, ?)",
               "SELECT id FROM machines WHERE fingerprint = ?",
               {"pyperf:" + host + ":" + meta("cpu_model_name")}, {host, meta("cpu_model_name")});
    std::string implementation = meta("python_implementation");
    std::string version = meta("python_version");
    version = version.substr(0, version.find(' '));
    std::string executable = meta("python_executable").empty() ? "python" : meta("python_executable");
    std::int64_t interpreter =
        upsert(db_,
               "INSERT OR IGNORE INTO interpreters (command, executable_sha256, executable, implementation, "
               "version) VALUES (?, ?, ?, ?, ?)",
               "SELECT id FROM interpreters WHERE command = ? AND executable_sha256 = ?",
               {json::array({executable}).dump(), "pyperf:" + implementation + ":" + version},
               {executable, implementation, version});
    std::optional<std::int64_t> revision;
    if (!options_.revision.empty())
      revision = upsert(db_, "INSERT OR IGNORE INTO revisions (repo, commit_hash, label) VALUES ('', '', ?)",
                        "SELECT id FROM revisions WHERE repo = '' AND commit_hash = '' AND label = ?",
                        {options_.revision}, {});
    std::string started = meta("date").empty() ? utc_now() : meta("date");
    std::replace(started.begin(), started.end(), ' ', 'T');
    db_.prepare(
           "INSERT INTO runs (started_at, finished_at, status, machine_id, revision_id, command_line, "
           "options_json,"
           " tool_version) VALUES (?, ?, 'complete', ?, ?, ?, ?, 'pyperf-import')")
        .bind(1, started)
        .bind(2, utc_now())
        .bind(3, machine)
        .bind(4, revision)
        .bind(5, options_.command_line)
        .bind(6, json{{"pyperf", skeleton()}}.dump())
        .run();
    run_id_ = db_.last_insert_id();
    std::string label = options_.label;
    if (label.empty()) label = implementation.empty() ? "pyperf" : implementation + "-" + version;
    db_.prepare("INSERT INTO run_interpreters (run_id, interpreter_id, label, position) VALUES (?, ?, ?, 0)")
        .bind(1, run_id_)
        .bind(2, interpreter)
        .bind(3, label)
        .run();
    for (const auto& bench : doc_["benchmarks"]) store_benchmark(bench, interpreter);
    tx.commit();
    return run_id_;
  }

 private:
  // The document without its numbers: values become their count, warmups their loop counts.
  json skeleton() const {
    json top = doc_;
    for (auto& bench : top["benchmarks"])
      for (auto& run : bench["runs"]) {
        if (run.contains("values")) run["values"] = run["values"].size();
        if (run.contains("warmups")) {
          json loops = json::array();
          for (const auto& w : run["warmups"]) loops.push_back(w[0]);
          run["warmups"] = loops;
        }
      }
    return top;
  }

  void store_benchmark(const json& bench, std::int64_t interpreter) {
    std::string name = find_metadata(doc_, bench, "name");
    if (name.empty()) malformed("a benchmark has no name in its metadata");
    std::string unit = store_unit(find_metadata(doc_, bench, "unit"));
    std::int64_t benchmark =
        upsert(db_, "INSERT OR IGNORE INTO benchmarks (name, suite, kind) VALUES (?, 'pyperf', 'batch')",
               "SELECT id FROM benchmarks WHERE name = ?", {name}, {});
    db_.prepare("INSERT INTO results (run_id, benchmark_id, interpreter_id, status) VALUES (?, ?, ?, 'ok')")
        .bind(1, run_id_)
        .bind(2, benchmark)
        .bind(3, interpreter)
        .run();
    std::int64_t result = db_.last_insert_id();
    auto worker = db_.prepare("INSERT INTO workers (result_id, process_index, status) VALUES (?, ?, 'ok')");
    auto sample = db_.prepare(
        "INSERT INTO samples (result_id, worker_id, kind, seq, warmup, value) VALUES (?, ?, 'iteration', ?, "
        "?, ?)");
    stats::Groups groups;  // one pyperf run = one worker process, the unit the bootstrap resamples
    std::int64_t index = 0;
    for (const auto& run : bench["runs"]) {
      worker.bind(1, result).bind(2, index++).run();
      std::int64_t worker_id = db_.last_insert_id();
      std::int64_t seq = 0;
      if (run.contains("warmups"))
        for (const auto& w : run["warmups"])
          sample.bind(1, result)
              .bind(2, worker_id)
              .bind(3, seq++)
              .bind(4, 1)
              .bind(5, w[1].get<double>())
              .run();
      groups.emplace_back();
      if (run.contains("values"))
        for (const auto& v : run["values"]) {
          groups.back().push_back(v.get<double>());
          sample.bind(1, result).bind(2, worker_id).bind(3, seq++).bind(4, 0).bind(5, v.get<double>()).run();
        }
    }
    store_metrics(result, stats::summarize(groups), unit);
  }

  // The same metrics, with the same process-level bootstrap intervals, as the harness stores for its own
  // runs.
  void store_metrics(std::int64_t result, const stats::Summary& s, const std::string& unit) {
    if (s.n == 0) return;
    auto metric = db_.prepare(
        "INSERT INTO metrics (result_id, name, value, unit, ci_low, ci_high) VALUES (?, ?, ?, ?, ?, ?)");
    auto put = [&](const char* name, double value, const std::string& u,
                   const stats::Interval* ci = nullptr) {
      std::optional<double> lo, hi;
      if (ci) lo = ci->low, hi = ci->high;
      metric.bind(1, result).bind(2, name).bind(3, value).bind(4, u).bind(5, lo).bind(6, hi).run();
    };
    put("mean", s.mean, unit, &s.mean_ci);
    put("median", s.median, unit);
    put("p50", s.p50, unit, &s.p50_ci);
    put("p90", s.p90, unit);
    put("p99", s.p99, unit, &s.p99_ci);
    put("stdev", s.stdev, unit);
    put("min", s.min, unit);
    put("max", s.max, unit);
    put("values", static_cast<double>(s.n), "count");
    put("processes", static_cast<double>(s.processes), "count");
  }

  const Database& db_;
  const json& doc_;
  const PyperfImportOptions& options_;
  std::int64_t run_id_ = 0;
};

struct StoredResult {
  std::int64_t id = 0;
  std::string benchmark, unit;
};

struct WorkerSamples {
  std::vector<double> warmups, values;
};

// Per successful worker (in process order): its warmup and measured samples of one kind. Workers without such
// samples are listed too (empty), so the lists of two kinds line up.
std::vector<WorkerSamples> worker_samples(const Database& db, std::int64_t result, const std::string& kind) {
  std::vector<WorkerSamples> out;
  auto st = db.prepare(
      "SELECT w.id, s.warmup, s.value FROM workers w LEFT JOIN samples s ON s.worker_id = w.id AND s.kind = ?"
      " WHERE w.result_id = ? AND w.status = 'ok' ORDER BY w.process_index, w.id, s.seq");
  st.bind(1, kind).bind(2, result);
  std::int64_t current = -1;
  while (st.step()) {
    if (st.column_int(0) != current) {
      current = st.column_int(0);
      out.emplace_back();
    }
    if (st.is_null(2)) continue;
    (st.column_int(1) ? out.back().warmups : out.back().values).push_back(st.column_double(2));
  }
  return out;
}

// What a result timed: requests ('latency') for web benchmarks, else iterations. Its 'cpu' samples are
// another clock over the same iterations, never values of their own.
std::string timed_kind(const Database& db, std::int64_t result) {
  auto st = db.prepare("SELECT EXISTS (SELECT 1 FROM samples WHERE result_id = ? AND kind = 'latency')");
  st.bind(1, result);
  return st.step() && st.column_int(0) ? "latency" : "iteration";
}

// One pyperf run per worker process: one value per measured iteration (or request) on the wall clock, warmups
// as [loops, value] pairs. The process's CPU time per measured iteration, when recorded, goes to the run's
// metadata: pyperf values are all on one clock.
json native_runs(const Database& db, std::int64_t result) {
  json runs = json::array();
  auto timed = worker_samples(db, result, timed_kind(db, result));
  auto cpu = worker_samples(db, result, "cpu");
  for (size_t w = 0; w < timed.size(); ++w) {
    const auto& [warmups, values] = timed[w];
    if (warmups.empty() && values.empty()) continue;  // pyperf refuses a run with neither
    json run = {{"metadata", json::object()}, {"values", values}};
    if (!warmups.empty()) {
      run["warmups"] = json::array();
      for (double v : warmups) run["warmups"].push_back(json::array({1, v}));
    }
    if (w < cpu.size() && !cpu[w].values.empty())
      run["metadata"]["cpu_seconds_per_iteration"] = stats::mean(cpu[w].values);
    runs.push_back(std::move(run));
  }
  return runs;
}

json rebuild_imported(const json& skeleton, const std::vector<StoredResult>& results, const Database& db) {
  json doc = skeleton;
  size_t i = 0;
  for (auto& bench : doc["benchmarks"]) {
    if (i >= results.size()) throw StoreError("the stored pyperf import is missing results");
    auto workers = worker_samples(db, results[i++].id, "iteration");
    size_t r = 0;
    for (auto& run : bench["runs"]) {
      if (r >= workers.size()) throw StoreError("the stored pyperf import is missing worker processes");
      const auto& [warmups, values] = workers[r++];
      if (run.contains("values")) run["values"] = values;
      if (run.contains("warmups")) {
        json pairs = json::array();
        for (size_t k = 0; k < warmups.size() && k < run["warmups"].size(); ++k)
          pairs.push_back(json::array({run["warmups"][k], warmups[k]}));
        run["warmups"] = pairs;
      }
    }
  }
  return doc;
}

std::string pyperf_unit(const std::string& unit) {
  if (unit == "s" || unit.empty()) return "second";
  if (unit == "bytes") return "byte";
  return unit;
}

}  // namespace

std::int64_t import_pyperf(const Database& db, const json& document, const PyperfImportOptions& options) {
  validate(document);
  return Importer(db, document, options).run();
}

std::int64_t import_pyperf_file(const Database& db, const std::filesystem::path& file,
                                const PyperfImportOptions& options) {
  std::ifstream in(file);
  if (!in) throw StoreError("cannot read " + file.string(), "check the path");
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) malformed(file.string() + " is not valid JSON");
  return import_pyperf(db, doc, options);
}

json export_pyperf(const Database& db, std::int64_t run_id, const std::string& interpreter) {
  auto head = db.prepare(
      "SELECT r.options_json, ri.interpreter_id, ri.label, coalesce(i.implementation, ''), "
      "coalesce(i.version, ''),"
      " i.executable, m.hostname, r.started_at FROM runs r JOIN run_interpreters ri ON ri.run_id = r.id"
      " JOIN interpreters i ON i.id = ri.interpreter_id JOIN machines m ON m.id = r.machine_id"
      " WHERE r.id = ? AND (? = '' OR ri.label = ?) ORDER BY ri.position LIMIT 1");
  head.bind(1, run_id).bind(2, interpreter).bind(3, interpreter);
  if (!head.step())
    throw StoreError("there is no run " + std::to_string(run_id) +
                         (interpreter.empty() ? "" : " with interpreter " + interpreter),
                     "list the runs with: pyston-bench list-runs");
  json options = json::parse(head.column_text(0), nullptr, false);
  std::int64_t interpreter_id = head.column_int(1);

  std::vector<StoredResult> results;
  auto res = db.prepare(
      "SELECT res.id, b.name, coalesce((SELECT unit FROM metrics WHERE result_id = res.id AND name = "
      "'mean'), 's')"
      " FROM results res JOIN benchmarks b ON b.id = res.benchmark_id"
      " WHERE res.run_id = ? AND res.interpreter_id = ? AND res.status = 'ok' ORDER BY res.id");
  res.bind(1, run_id).bind(2, interpreter_id);
  while (res.step()) results.push_back({res.column_int(0), res.column_text(1), res.column_text(2)});

  if (options.is_object() && options.contains("pyperf"))
    return rebuild_imported(options["pyperf"], results, db);

  json metadata = json::object();
  const std::pair<const char*, int> common[] = {{"python_implementation", 3},
                                                {"python_version", 4},
                                                {"python_executable", 5},
                                                {"hostname", 6},
                                                {"date", 7},
                                                {"pyston_bench_label", 2}};
  for (const auto& [key, column] : common)
    if (!head.column_text(column).empty())
      metadata[key] = head.column_text(column);  // pyperf refuses empty ones
  json doc = {{"version", "1.0"}, {"metadata", metadata}, {"benchmarks", json::array()}};
  for (const auto& r : results) {
    json runs = native_runs(db, r.id);
    if (runs.empty()) continue;  // nothing measured: pyperf refuses a benchmark without runs
    doc["benchmarks"].push_back(
        {{"metadata", {{"name", r.benchmark}, {"unit", pyperf_unit(r.unit)}, {"loops", 1}}},
         {"runs", std::move(runs)}});
  }
  return doc;
}

void export_pyperf_file(const Database& db, std::int64_t run_id, const std::filesystem::path& file,
                        const std::string& interpreter) {
  json doc = export_pyperf(db, run_id, interpreter);
  std::ofstream out(file);
  if (!out) throw StoreError("cannot write " + file.string(), "check the directory exists and is writable");
  out << doc.dump() << "\n";
  if (!out) throw StoreError("cannot write " + file.string());
}

}  // namespace speedcenter
