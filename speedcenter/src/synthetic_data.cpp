// speedcenter/synthetic_data.cpp: writers of synthetic histories and large web runs with known properties.
#include "speedcenter/synthetic_data.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace speedcenter {
namespace {

std::int64_t id_of(const Database& db, const std::string& select, const std::string& key) {
  auto st = db.prepare(select);
  st.bind(1, key);
  if (!st.step()) throw StoreError("synthetic data: lookup failed: " + select);
  return st.column_int(0);
}

struct Ids {
  std::int64_t machine, benchmark;
};

Ids common_rows(const Database& db, const std::string& machine, const std::string& benchmark, const std::string& kind) {
  db.prepare("INSERT OR IGNORE INTO machines (fingerprint, hostname) VALUES (?, ?)").bind(1, "synthetic:" + machine).bind(2, machine).run();
  db.prepare("INSERT OR IGNORE INTO benchmarks (name, suite, kind) VALUES (?, 'synthetic', ?)").bind(1, benchmark).bind(2, kind).run();
  return {id_of(db, "SELECT id FROM machines WHERE fingerprint = ?", "synthetic:" + machine),
          id_of(db, "SELECT id FROM benchmarks WHERE name = ?", benchmark)};
}

std::int64_t interpreter_row(const Database& db, const std::string& label) {
  std::string command = "[\"/usr/bin/" + label + "\"]";
  db.prepare("INSERT OR IGNORE INTO interpreters (command, executable, executable_sha256, implementation, version)"
             " VALUES (?, ?, 'synthetic', 'cpython', ?)")
      .bind(1, command)
      .bind(2, "/usr/bin/" + label)
      .bind(3, label.substr(label.find('-') == std::string::npos ? 0 : label.find('-') + 1))
      .run();
  return id_of(db, "SELECT id FROM interpreters WHERE command = ?", command);
}

std::int64_t run_row(const Database& db, std::int64_t machine, std::optional<std::int64_t> revision, const std::string& started) {
  db.prepare("INSERT INTO runs (started_at, finished_at, status, machine_id, revision_id, command_line, tool_version)"
             " VALUES (?, ?, 'complete', ?, ?, 'synthetic', 'synthetic')")
      .bind(1, started).bind(2, started).bind(3, machine).bind(4, revision).run();
  return db.last_insert_id();
}

void metric(const Database& db, std::int64_t result, const char* name, double value, const char* unit,
            std::optional<double> lo = {}, std::optional<double> hi = {}) {
  db.prepare("INSERT INTO metrics (result_id, name, value, unit, ci_low, ci_high) VALUES (?, ?, ?, ?, ?, ?)"
             " ON CONFLICT (result_id, name) DO UPDATE SET value = excluded.value, unit = excluded.unit,"
             " ci_low = excluded.ci_low, ci_high = excluded.ci_high")
      .bind(1, result).bind(2, name).bind(3, value).bind(4, unit).bind(5, lo).bind(6, hi).run();
}

// 2026-01-01 plus `days`, as an ISO date at noon UTC.
std::string synthetic_date(int days) {
  static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year = 2026, month = 0;
  while (days >= month_days[month] + (month == 1 && year % 4 == 0 ? 1 : 0)) {
    days -= month_days[month] + (month == 1 && year % 4 == 0 ? 1 : 0);
    if (++month == 12) {
      month = 0;
      ++year;
    }
  }
  char date[64];
  std::snprintf(date, sizeof date, "%04d-%02d-%02dT12:00:00Z", year, month + 1, days + 1);
  return date;
}

}  // namespace

std::vector<std::int64_t> write_synthetic_history(const Database& db, const SyntheticHistory& spec) {
  std::mt19937_64 rng(spec.seed);
  std::normal_distribution<double> normal(0, 1);
  const auto benchmarks = spec.benchmarks.empty() ? std::vector<std::string>{spec.benchmark} : spec.benchmarks;
  const auto interpreters =
      spec.interpreters.empty() ? std::vector<std::string>{spec.interpreter} : spec.interpreters;
  Transaction tx(db);
  std::int64_t machine = 0;
  std::vector<std::int64_t> benchmark_ids, interpreter_ids;
  for (const auto& b : benchmarks) {
    Ids ids = common_rows(db, spec.machine, b, "batch");
    machine = ids.machine;
    benchmark_ids.push_back(ids.benchmark);
  }
  for (const auto& i : interpreters) interpreter_ids.push_back(interpreter_row(db, i));
  auto sample = db.prepare("INSERT INTO samples (result_id, worker_id, kind, seq, warmup, t, value) VALUES (?, ?, 'iteration', ?, 0, ?, ?)");
  std::vector<std::int64_t> runs;
  for (int r = 0; r < spec.revisions; ++r) {
    std::string date = synthetic_date(r);
    std::string label = "r" + std::to_string(r + 1);
    db.prepare("INSERT OR IGNORE INTO revisions (repo, commit_hash, label, committed_at, message) VALUES ('synthetic', ?, ?, ?, ?)")
        .bind(1, "c0ffee" + std::to_string(1000 + r)).bind(2, label).bind(3, date).bind(4, "synthetic revision " + label).run();
    std::int64_t revision = id_of(db, "SELECT id FROM revisions WHERE label = ? AND repo = 'synthetic'", label);
    std::int64_t run = run_row(db, machine, revision, date);
    runs.push_back(run);
    for (size_t k = 0; k < interpreters.size(); ++k)
      db.prepare("INSERT INTO run_interpreters (run_id, interpreter_id, label, position) VALUES (?, ?, ?, ?)")
          .bind(1, run).bind(2, interpreter_ids[k]).bind(3, interpreters[k]).bind(4, static_cast<std::int64_t>(k)).run();
    for (size_t b = 0; b < benchmarks.size(); ++b)
      for (size_t k = 0; k < interpreters.size(); ++k) {
        db.prepare("INSERT INTO results (run_id, benchmark_id, interpreter_id, status) VALUES (?, ?, ?, 'ok')")
            .bind(1, run).bind(2, benchmark_ids[b]).bind(3, interpreter_ids[k]).run();
        std::int64_t result = db.last_insert_id();
        double level = spec.base_seconds * (1 + 0.25 * static_cast<double>(b % 7)) /
                       (1 + 0.3 * static_cast<double>(k)) *
                       (b == 0 && spec.step_at && r >= *spec.step_at ? 1 + spec.step : 1.0);
        double run_mean = level * (1 + spec.run_noise * normal(rng));
        stats::Groups processes;
        for (int p = 0; p < spec.processes; ++p) {
          db.prepare("INSERT INTO workers (result_id, process_index, status) VALUES (?, ?, 'ok')").bind(1, result).bind(2, p).run();
          std::int64_t worker = db.last_insert_id();
          processes.emplace_back();
          for (int i = 0; i < spec.iterations; ++i) {
            double v = run_mean * (1 + spec.within_run_noise * normal(rng));
            sample.bind(1, result).bind(2, worker).bind(3, i).bind(4, run_mean * (i + 1)).bind(5, v).run();
            processes.back().push_back(v);
          }
        }
        // The metrics a real run of these samples would get.
        stats::Summary s = stats::summarize(processes, {.resamples = spec.resamples});
        metric(db, result, "mean", s.mean, "s", s.mean_ci.low, s.mean_ci.high);
        metric(db, result, "p99", s.p99, "s", s.p99_ci.low, s.p99_ci.high);
        metric(db, result, "median", s.median, "s", s.p50_ci.low, s.p50_ci.high);
        metric(db, result, "processes", static_cast<double>(s.processes), "count");
      }
  }
  tx.commit();
  return runs;
}

std::int64_t write_synthetic_web_run(const Database& db, const SyntheticWebRun& spec) {
  std::mt19937_64 rng(spec.seed);
  std::lognormal_distribution<double> latency(std::log(0.004), 0.35);
  Transaction tx(db);
  Ids ids = common_rows(db, "synthetic-host", spec.benchmark, "web");
  std::int64_t run = run_row(db, ids.machine, std::nullopt, "2026-02-01T12:00:00Z");
  auto sample = db.prepare("INSERT INTO samples (result_id, worker_id, kind, seq, warmup, t, value) VALUES (?, ?, 'latency', ?, ?, ?, ?)");
  auto memory = db.prepare("INSERT INTO memory_series (worker_id, t, rss_bytes) VALUES (?, ?, ?)");
  for (size_t k = 0; k < spec.interpreters.size(); ++k) {
    std::int64_t interp = interpreter_row(db, spec.interpreters[k]);
    db.prepare("INSERT INTO run_interpreters (run_id, interpreter_id, label, position) VALUES (?, ?, ?, ?)")
        .bind(1, run).bind(2, interp).bind(3, spec.interpreters[k]).bind(4, static_cast<std::int64_t>(k)).run();
    db.prepare("INSERT INTO results (run_id, benchmark_id, interpreter_id, status) VALUES (?, ?, ?, 'ok')")
        .bind(1, run).bind(2, ids.benchmark).bind(3, interp).run();
    std::int64_t result = db.last_insert_id();
    db.prepare("INSERT INTO workers (result_id, process_index, status) VALUES (?, 0, 'ok')").bind(1, result).run();
    std::int64_t worker = db.last_insert_id();
    double speed = 1.0 / (1.0 + 0.6 * static_cast<double>(k));  // later interpreters are faster
    double warm_until = spec.seconds * 0.1;
    double sum = 0;
    for (std::int64_t i = 0; i < spec.samples_per_interpreter; ++i) {
      double t = spec.seconds * static_cast<double>(i) / static_cast<double>(spec.samples_per_interpreter);
      double warm = t < warm_until ? 1 + 2.0 * (1 - t / warm_until) : 1.0;
      double v = latency(rng) * speed * warm;
      sample.bind(1, result).bind(2, worker).bind(3, i).bind(4, t < warm_until ? 1 : 0).bind(5, t).bind(6, v).run();
      if (t >= warm_until) sum += v;
    }
    for (int s = 0; s <= static_cast<int>(spec.seconds * 10); ++s) {
      double t = s / 10.0;
      double rss = (40 + 15 * static_cast<double>(k) + 25 * (1 - std::exp(-t / 20))) * 1024 * 1024;
      memory.bind(1, worker).bind(2, t).bind(3, static_cast<std::int64_t>(rss)).run();
    }
    double mean = sum / (0.9 * static_cast<double>(spec.samples_per_interpreter));
    metric(db, result, "mean", mean, "s", mean * 0.99, mean * 1.01);
    metric(db, result, "warmup_seconds", warm_until, "s");
    metric(db, result, "peak_rss", (65 + 15 * static_cast<double>(k)) * 1024 * 1024, "bytes");
    metric(db, result, "processes", 1, "count");
  }
  tx.commit();
  return run;
}

std::int64_t write_synthetic_hot_lines(const Database& db, const std::string& target, int lines) {
  Transaction tx(db);
  std::vector<std::int64_t> counts;
  for (int i = 0; i < lines; ++i) counts.push_back(static_cast<std::int64_t>(100000.0 / std::pow(i + 1, 1.2)));
  std::int64_t total = std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
  db.prepare("INSERT INTO hot_line_profiles (target, created_at, samples, failed_samples, rate_hz) VALUES (?, ?, ?, 0, 1000)")
      .bind(1, target).bind(2, "2026-02-01T12:00:00Z").bind(3, total).run();
  std::int64_t id = db.last_insert_id();
  auto entry = db.prepare("INSERT INTO hot_line_entries (profile_id, rank, filename, line, count) VALUES (?, ?, ?, ?, ?)");
  for (int i = 0; i < lines; ++i)
    entry.bind(1, id).bind(2, i + 1).bind(3, target).bind(4, 10 + (i * 37) % 400).bind(5, counts[static_cast<size_t>(i)]).run();
  tx.commit();
  return id;
}

stats::Groups simulated_processes(int processes, int values, double true_mean, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> process_offset(0.0, 0.05 * true_mean);
  std::normal_distribution<double> value_noise(0.0, 0.02 * true_mean);
  stats::Groups groups(static_cast<size_t>(processes));
  for (auto& g : groups) {
    double process_mean = true_mean + process_offset(rng);
    for (int i = 0; i < values; ++i) g.push_back(process_mean + value_noise(rng));
  }
  return groups;
}

}  // namespace speedcenter
