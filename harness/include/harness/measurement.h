// harness/measurement.h: what one worker (or server) process measured, before it is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace harness {

struct Sample {
  std::string kind = "iteration";  // "iteration" (seconds per iteration) or "latency" (seconds per request)
  int seq = 0;
  bool warmup = false;
  double t = 0;                    // seconds since the worker started
  double value = 0;
};

struct MemoryPoint {
  double t = 0;
  std::int64_t rss_bytes = 0;
  std::optional<std::int64_t> pss_bytes;
};

struct Metric {
  std::string name;
  std::optional<double> value;     // nullopt with a note when it could not be measured
  std::string unit;
  std::optional<double> ci_low, ci_high;
  std::string note;
};

struct WorkerResult {
  int process_index = 0;
  bool ok = false;
  std::string error;               // why it failed: "timeout after 60 s", "exit status 1: ValueError: ...", ...
  std::optional<int> exit_status;  // exit code, or -signal
  double wall_seconds = 0, cpu_seconds = 0;
  std::int64_t peak_rss_bytes = 0; // of the whole process tree
  std::string stderr_tail;
  std::vector<Sample> samples;
  std::vector<MemoryPoint> memory;
  std::vector<Metric> metrics;     // per-worker extras (e.g. counters), merged by the analysis
};

}  // namespace harness
