// harness/result_store.cpp: persisting runs through speedcenter's store (SQLite or PostgreSQL).
#include "harness/result_store.h"

#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "harness/error.h"

namespace harness {
namespace {

std::string read_command(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buffer;
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string MachineInfo::fingerprint() const {
  return hostname + "|" + cpu_model + "|" + std::to_string(cores) + "|" + std::to_string(memory_bytes >> 20);
}

MachineInfo describe_machine() {
  MachineInfo m;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  m.hostname = host;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0 && m.cpu_model.empty()) m.cpu_model = line.substr(line.find(':') + 2);
  }
  m.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  m.memory_bytes = static_cast<std::int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
  utsname u{};
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  return m;
}

RevisionInfo describe_revision(const std::string& repo, const std::string& label) {
  RevisionInfo r;
  r.label = label;
  if (repo.empty()) return r;
  std::string git = "git -C " + shell_quote(repo) + " ";
  r.commit_hash = read_command(git + "rev-parse HEAD 2>/dev/null");
  if (r.commit_hash.empty())
    throw HarnessError("--repo " + repo + " is not a git work tree", "pass the path of a git checkout");
  r.repo = read_command(git + "rev-parse --show-toplevel 2>/dev/null");
  r.branch = read_command(git + "rev-parse --abbrev-ref HEAD 2>/dev/null");
  r.committed_at = read_command(git + "log -1 --format=%cI HEAD 2>/dev/null");
  r.message = read_command(git + "log -1 --format=%s HEAD 2>/dev/null");
  return r;
}

void mark_abandoned_runs(speedcenter::Database& db) {
  std::string host = describe_machine().hostname;
  auto select = db.prepare("SELECT id, options_json FROM runs WHERE status = 'running'");
  std::vector<std::int64_t> dead;
  while (select.step()) {
    std::int64_t id = select.column_int(0);
    if (auto gone = db.owner_gone(id)) {  // PostgreSQL: the owner's run lock tells, on any machine
      if (*gone) dead.push_back(id);
      continue;
    }
    nlohmann::json options = nlohmann::json::parse(select.column_text(1), nullptr, false);
    if (!options.is_object()) continue;
    pid_t pid = options.value("pid", 0);
    bool same_host = options.value("host", "") == host;
    if (same_host && pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) dead.push_back(id);
  }
  for (auto id : dead)
    db.prepare("UPDATE runs SET status = 'incomplete' WHERE id = ?").bind(1, id).run();
}

std::int64_t ResultStore::upsert_interpreter(const Interpreter& interpreter) {
  nlohmann::json command = interpreter.argv;
  db_.prepare(
         "INSERT INTO interpreters (command, executable, executable_sha256, implementation, version, build_flags,"
         " probe_json) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command, executable_sha256) DO UPDATE SET"
         " implementation = excluded.implementation, version = excluded.version, probe_json = excluded.probe_json")
      .bind(1, command.dump())
      .bind(2, interpreter.executable.string())
      .bind(3, interpreter.executable_sha256)
      .bind(4, interpreter.implementation)
      .bind(5, interpreter.version)
      .bind(6, interpreter.build_flags)
      .bind(7, interpreter.probe_json)
      .run();
  auto id = db_.prepare("SELECT id FROM interpreters WHERE command = ? AND executable_sha256 = ?");
  id.bind(1, command.dump()).bind(2, interpreter.executable_sha256);
  id.step();
  return id.column_int(0);
}

std::int64_t ResultStore::upsert_benchmark(const Benchmark& benchmark) {
  db_.prepare(
         "INSERT INTO benchmarks (name, suite, kind) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
         " suite = excluded.suite, kind = excluded.kind")
      .bind(1, benchmark.name)
      .bind(2, benchmark.suite)
      .bind(3, benchmark.kind)
      .run();
  auto id = db_.prepare("SELECT id FROM benchmarks WHERE name = ?");
  id.bind(1, benchmark.name);
  id.step();
  return id.column_int(0);
}

std::int64_t ResultStore::begin_run(const std::vector<Interpreter>& interpreters, const std::string& command_line,
                                    const nlohmann::json& options, const std::optional<RevisionInfo>& revision) {
  mark_abandoned_runs(db_);
  MachineInfo machine = describe_machine();
  speedcenter::Transaction tx(db_);
  db_.prepare(
         "INSERT INTO machines (fingerprint, hostname, cpu_model, cores, memory_bytes, kernel) VALUES (?, ?, ?, ?,"
         " ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET kernel = excluded.kernel")
      .bind(1, machine.fingerprint())
      .bind(2, machine.hostname)
      .bind(3, machine.cpu_model)
      .bind(4, machine.cores)
      .bind(5, machine.memory_bytes)
      .bind(6, machine.kernel)
      .run();
  auto machine_id = db_.prepare("SELECT id FROM machines WHERE fingerprint = ?");
  machine_id.bind(1, machine.fingerprint());
  machine_id.step();

  std::optional<std::int64_t> revision_id;
  if (revision) {
    db_.prepare(
           "INSERT INTO revisions (repo, commit_hash, label, branch, committed_at, message) VALUES (?, ?, ?, ?, ?, ?)"
           " ON CONFLICT (repo, commit_hash, label) DO NOTHING")
        .bind(1, revision->repo)
        .bind(2, revision->commit_hash)
        .bind(3, revision->label)
        .bind(4, revision->branch)
        .bind(5, revision->committed_at)
        .bind(6, revision->message)
        .run();
    auto id = db_.prepare("SELECT id FROM revisions WHERE repo = ? AND commit_hash = ? AND label = ?");
    id.bind(1, revision->repo).bind(2, revision->commit_hash).bind(3, revision->label);
    id.step();
    revision_id = id.column_int(0);
  }

  nlohmann::json stored_options = options;
  stored_options["pid"] = getpid();
  stored_options["host"] = machine.hostname;
  db_.prepare(
         "INSERT INTO runs (started_at, status, machine_id, revision_id, command_line, options_json, tool_version)"
         " VALUES (?, 'running', ?, ?, ?, ?, ?)")
      .bind(1, utc_now_iso8601())
      .bind(2, machine_id.column_int(0))
      .bind(3, revision_id)
      .bind(4, command_line)
      .bind(5, stored_options.dump())
      .bind(6, std::string("pyston-bench ") + PB_VERSION)
      .run();
  run_id_ = db_.last_insert_id();
  db_.hold_run_lock(run_id_);  // before the run is visible to others: a live run always holds it
  for (size_t i = 0; i < interpreters.size(); ++i) {
    std::int64_t id = upsert_interpreter(interpreters[i]);
    interpreter_ids_.push_back(id);
    interpreter_labels_.push_back(interpreters[i].label);
    db_.prepare("INSERT INTO run_interpreters (run_id, interpreter_id, label, position) VALUES (?, ?, ?, ?)")
        .bind(1, run_id_)
        .bind(2, id)
        .bind(3, interpreters[i].label)
        .bind(4, static_cast<std::int64_t>(i))
        .run();
  }
  tx.commit();
  return run_id_;
}

void ResultStore::record_benchmark(const BenchmarkOutcome& outcome, const std::vector<ResultAnalysis>& analyses) {
  speedcenter::Transaction tx(db_);
  std::int64_t benchmark_id = upsert_benchmark(outcome.benchmark);
  auto insert_result = db_.prepare(
      "INSERT INTO results (run_id, benchmark_id, interpreter_id, status, error, started_at, finished_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)");
  auto insert_worker = db_.prepare(
      "INSERT INTO workers (result_id, process_index, status, error, exit_status, wall_seconds, cpu_seconds,"
      " peak_rss_bytes, stderr_tail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto insert_sample =
      db_.prepare("INSERT INTO samples (result_id, worker_id, kind, seq, warmup, t, value) VALUES (?, ?, ?, ?, ?, ?, ?)");
  auto insert_memory =
      db_.prepare("INSERT INTO memory_series (worker_id, t, rss_bytes, pss_bytes) VALUES (?, ?, ?, ?)");
  auto insert_metric = db_.prepare(
      "INSERT INTO metrics (result_id, name, value, unit, ci_low, ci_high, note) VALUES (?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (result_id, name) DO UPDATE SET value = excluded.value, unit = excluded.unit,"
      " ci_low = excluded.ci_low, ci_high = excluded.ci_high, note = excluded.note");
  auto insert_failure = db_.prepare(
      "INSERT INTO failures (run_id, result_id, benchmark, interpreter, reason, detail) VALUES (?, ?, ?, ?, ?, ?)");

  for (size_t i = 0; i < outcome.per_interpreter.size(); ++i) {
    const auto& o = outcome.per_interpreter[i];
    insert_result.bind(1, run_id_)
        .bind(2, benchmark_id)
        .bind(3, interpreter_ids_.at(i))
        .bind(4, o.ok ? "ok" : "failed")
        .bind(5, o.ok ? std::optional<std::string>() : std::optional<std::string>(o.error))
        .bind(6, o.started_at)
        .bind(7, o.finished_at);
    insert_result.run();
    std::int64_t result_id = db_.last_insert_id();
    for (const auto& w : o.workers) {
      insert_worker.bind(1, result_id)
          .bind(2, w.process_index)
          .bind(3, w.ok ? "ok" : "failed")
          .bind(4, w.ok ? std::optional<std::string>() : std::optional<std::string>(w.error))
          .bind(5, w.exit_status)
          .bind(6, w.wall_seconds)
          .bind(7, w.cpu_seconds)
          .bind(8, w.peak_rss_bytes)
          .bind(9, w.stderr_tail);
      insert_worker.run();
      std::int64_t worker_id = db_.last_insert_id();
      for (const auto& s : w.samples) {
        insert_sample.bind(1, result_id)
            .bind(2, worker_id)
            .bind(3, s.kind)
            .bind(4, s.seq)
            .bind(5, s.warmup ? 1 : 0)
            .bind(6, s.t)
            .bind(7, s.value);
        insert_sample.run();
      }
      for (const auto& m : w.memory) {
        insert_memory.bind(1, worker_id).bind(2, m.t).bind(3, m.rss_bytes).bind(4, m.pss_bytes);
        insert_memory.run();
      }
    }
    if (i < analyses.size()) {
      for (const auto& m : analyses[i].metrics) {
        insert_metric.bind(1, result_id)
            .bind(2, m.name)
            .bind(3, m.value)
            .bind(4, m.unit)
            .bind(5, m.ci_low)
            .bind(6, m.ci_high)
            .bind(7, m.note.empty() ? std::optional<std::string>() : std::optional<std::string>(m.note));
        insert_metric.run();
      }
    }
    if (!o.ok) {
      std::string detail = o.workers.empty() ? "" : o.workers.back().stderr_tail;
      insert_failure.bind(1, run_id_)
          .bind(2, result_id)
          .bind(3, outcome.benchmark.name)
          .bind(4, interpreter_labels_.at(i))
          .bind(5, o.error)
          .bind(6, detail);
      insert_failure.run();
    }
  }
  tx.commit();
}

void ResultStore::record_failure(const std::string& benchmark, const std::string& interpreter,
                                 const std::string& reason, const std::string& detail) {
  db_.prepare("INSERT INTO failures (run_id, benchmark, interpreter, reason, detail) VALUES (?, ?, ?, ?, ?)")
      .bind(1, run_id_)
      .bind(2, benchmark)
      .bind(3, interpreter)
      .bind(4, reason)
      .bind(5, detail)
      .run();
}

void ResultStore::record_run_metadata(const std::string& name, std::optional<double> value, const std::string& text) {
  auto insert = db_.prepare("INSERT INTO run_metadata (run_id, name, value, text) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (run_id, name) DO UPDATE SET value = excluded.value, text = excluded.text");
  insert.bind(1, run_id_).bind(2, name).bind(3, value).bind(4, text).run();
}

void ResultStore::finish_run(const std::string& status) {
  db_.prepare("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?")
      .bind(1, status)
      .bind(2, utc_now_iso8601())
      .bind(3, run_id_)
      .run();
}

}  // namespace harness
