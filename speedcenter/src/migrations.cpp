// speedcenter/migrations.cpp: the results schema, as an ordered list of migrations. Migration N takes a
// database from user_version N to N+1. Never edit a migration that has landed; append a new one.
#include "migrations.h"

namespace speedcenter {

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> list = {
      // 0 -> 1: the initial schema.
      R"sql(
CREATE TABLE machines (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,      -- hostname + cpu model + cores + memory
  hostname TEXT NOT NULL,
  cpu_model TEXT, cores INTEGER, memory_bytes INTEGER, kernel TEXT,
  pmu_available INTEGER                  -- 1 when hardware counters work, 0 when not, NULL unknown
);
CREATE TABLE interpreters (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,                 -- JSON array: executable path then arguments
  executable TEXT NOT NULL,
  executable_sha256 TEXT NOT NULL,
  implementation TEXT, version TEXT, build_flags TEXT, probe_json TEXT,
  UNIQUE (command, executable_sha256)
);
CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  repo TEXT NOT NULL DEFAULT '',
  commit_hash TEXT NOT NULL DEFAULT '',
  label TEXT NOT NULL DEFAULT '',
  branch TEXT, committed_at TEXT, message TEXT,
  UNIQUE (repo, commit_hash, label)
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,              -- ISO 8601 UTC
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'incomplete', 'failed')),
  machine_id INTEGER NOT NULL REFERENCES machines(id),
  revision_id INTEGER REFERENCES revisions(id),
  command_line TEXT NOT NULL,
  options_json TEXT NOT NULL DEFAULT '{}',
  tool_version TEXT NOT NULL
);
-- The interpreters compared in a run, with the user's label and their order (position 0 is the baseline).
CREATE TABLE run_interpreters (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  interpreter_id INTEGER NOT NULL REFERENCES interpreters(id),
  label TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE TABLE benchmarks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  suite TEXT NOT NULL,                   -- 'micro', 'macro', ...
  kind TEXT NOT NULL                     -- 'batch' (iterations timed) or 'web' (requests timed)
);
-- One benchmark measured under one interpreter within a run.
CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id),
  interpreter_id INTEGER NOT NULL REFERENCES interpreters(id),
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  error TEXT,
  started_at TEXT, finished_at TEXT,
  UNIQUE (run_id, benchmark_id, interpreter_id)
);
-- One worker (or server) process of a result.
CREATE TABLE workers (
  id INTEGER PRIMARY KEY,
  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  process_index INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  error TEXT,
  exit_status INTEGER,                   -- exit code, or -signal
  wall_seconds REAL, cpu_seconds REAL,
  peak_rss_bytes INTEGER,                -- peak RSS of the process tree, sampled from /proc
  stderr_tail TEXT
);
-- Every raw measurement. kind 'iteration': value = seconds per iteration; kind 'latency': seconds per request.
-- t is seconds since the worker started (for warmup curves); warmup = 1 for values excluded from statistics.
CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  seq INTEGER NOT NULL,
  warmup INTEGER NOT NULL DEFAULT 0,
  t REAL,
  value REAL NOT NULL
);
CREATE INDEX samples_by_result ON samples(result_id, kind);
-- Memory of a worker's process tree over time.
CREATE TABLE memory_series (
  worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
  t REAL NOT NULL,
  rss_bytes INTEGER NOT NULL,
  pss_bytes INTEGER
);
CREATE INDEX memory_by_worker ON memory_series(worker_id);
-- Derived metrics per result: mean, median, stdev, p50/p90/p99, rss_peak, warmup_seconds, counters...
-- value is NULL with a note when a metric could not be measured (e.g. note = 'unavailable: no PMU').
CREATE TABLE metrics (
  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value REAL,
  unit TEXT NOT NULL DEFAULT '',
  ci_low REAL, ci_high REAL,
  note TEXT,
  PRIMARY KEY (result_id, name)
);
-- Failures that are not tied to one result (interpreter probe failed, run interrupted, ...) and those that are.
CREATE TABLE failures (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  result_id INTEGER REFERENCES results(id) ON DELETE CASCADE,
  benchmark TEXT, interpreter TEXT,
  reason TEXT NOT NULL,
  detail TEXT
);
-- measure_loc profiles: one row per profiled program and interpreter, lines in hot_line_entries.
CREATE TABLE hot_line_profiles (
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  result_id INTEGER REFERENCES results(id) ON DELETE CASCADE,
  interpreter_id INTEGER REFERENCES interpreters(id),
  target TEXT NOT NULL,                  -- script or benchmark name
  created_at TEXT NOT NULL,
  samples INTEGER NOT NULL,
  failed_samples INTEGER NOT NULL,
  rate_hz REAL,
  lines_50 INTEGER, lines_75 INTEGER, lines_90 INTEGER, lines_99 INTEGER
);
CREATE TABLE hot_line_entries (
  profile_id INTEGER NOT NULL REFERENCES hot_line_profiles(id) ON DELETE CASCADE,
  rank INTEGER NOT NULL,
  filename TEXT NOT NULL,
  line INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (profile_id, rank)
);
)sql",
      // 1 -> 2: what the machine was doing during a run (pyston-bench system's figures): load average before
      // and after, CPU steal and context switches during the run, ASLR, frequency governor, CPU isolation.
      R"sql(
CREATE TABLE run_metadata (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value REAL,                            -- numbers (load1_before, steal_fraction, ...)
  text TEXT,                             -- the rest (governor, isolation)
  PRIMARY KEY (run_id, name)
);
)sql",
      // 2 -> 3: measure_loc's whole stacks, stored compactly: each profile's distinct frames once, and its
      // distinct stacks as a tree (a node is a frame under its parent node, shared by every stack with that
      // prefix) with the samples whose stack ends at each node. hot_line_entries stays the leaf-line table.
      R"sql(
CREATE TABLE hot_line_frames (
  profile_id INTEGER NOT NULL REFERENCES hot_line_profiles(id) ON DELETE CASCADE,
  frame_index INTEGER NOT NULL,
  filename TEXT NOT NULL,
  function_name TEXT NOT NULL,
  line INTEGER NOT NULL,                 -- -1: no line
  PRIMARY KEY (profile_id, frame_index)
);
CREATE TABLE hot_line_stack_nodes (
  profile_id INTEGER NOT NULL REFERENCES hot_line_profiles(id) ON DELETE CASCADE,
  node_index INTEGER NOT NULL,
  parent_index INTEGER,                  -- NULL: an outermost frame
  frame_index INTEGER NOT NULL,
  count INTEGER NOT NULL,                -- samples whose stack ends at this node
  PRIMARY KEY (profile_id, node_index)
);
ALTER TABLE hot_line_profiles ADD COLUMN processes INTEGER;  -- Python processes summed (NULL: one)
)sql",
  };
  return list;
}

}  // namespace speedcenter
