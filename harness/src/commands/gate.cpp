// harness/commands/gate.cpp: `gate --baseline REF --candidate REF`: judges stored results benchmark by benchmark
// and exits 0 (pass), 1 (a regression: CI entirely beyond the threshold) or 2 (inconclusive, or an error).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.h"
#include "harness/error.h"
#include "harness/gate.h"

namespace harness {
namespace {

struct GateOptions {
  std::string baseline, candidate, metric = "time", threshold = "3%", config, save_baseline;
  bool geomean = false;
};

std::string percent(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%+.2f%%", v * 100);
  return buffer;
}

const char* verdict_name(Verdict v) {
  return v == Verdict::pass ? "ok" : v == Verdict::regression ? "REGRESSION" : "inconclusive";
}

nlohmann::json row_json(const GateRow& r) {
  nlohmann::json row = {{"benchmark", r.benchmark}, {"verdict", verdict_name(r.verdict)}, {"threshold", r.threshold}};
  if (r.note.empty()) row.update({{"change", r.change}, {"ci_low", r.ci.low}, {"ci_high", r.ci.high}});
  else row["note"] = r.note;
  return row;
}

nlohmann::json to_json(const GateReport& report, GateMetric metric, const GateSide& base, const GateSide& cand) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : report.rows) rows.push_back(row_json(r));
  nlohmann::json out = {{"metric", gate_metric_name(metric)},
                        {"baseline", {{"run", base.run_id}, {"interpreter", base.label}}},
                        {"candidate", {{"run", cand.run_id}, {"interpreter", cand.label}}},
                        {"rows", rows},
                        {"exit_code", report.exit_code()}};
  if (report.geomean) out["geomean"] = row_json(*report.geomean);
  return out;
}

void print_row(const GateRow& r) {
  std::string threshold = percent(r.threshold).substr(1);
  if (!r.note.empty()) {
    std::printf("%-22s %-10s %-24s %-10s %s (%s)\n", r.benchmark.c_str(), "-", "-", threshold.c_str(),
                verdict_name(r.verdict), r.note.c_str());
    return;
  }
  std::string ci = "[" + percent(r.ci.low) + ", " + percent(r.ci.high) + "]";
  std::printf("%-22s %-10s %-24s %-10s %s\n", r.benchmark.c_str(), percent(r.change).c_str(), ci.c_str(),
              threshold.c_str(), verdict_name(r.verdict));
}

void print_report(const GateReport& report, GateMetric metric, const GateSide& base, const GateSide& cand) {
  std::printf("gate on %s: candidate %s vs baseline %s (positive change = worse)\n", gate_metric_name(metric).c_str(),
              cand.describe().c_str(), base.describe().c_str());
  std::printf("%-22s %-10s %-24s %-10s %s\n", "benchmark", "change", "95% CI", "threshold", "verdict");
  int regressions = 0, inconclusive = 0;
  for (const auto& r : report.rows) {
    print_row(r);
    regressions += r.verdict == Verdict::regression;
    inconclusive += r.verdict == Verdict::inconclusive;
  }
  if (report.geomean) {
    print_row(*report.geomean);
    const char* outcome[] = {"PASS", "FAIL", "INCONCLUSIVE"};
    std::printf("%s: judged on the geometric mean over %zu benchmark(s) only (--geomean); the rows above inform\n",
                outcome[report.exit_code()], report.rows.size());
    return;
  }
  if (regressions) std::printf("FAIL: %d regression(s) beyond the threshold\n", regressions);
  else if (inconclusive || report.rows.empty())
    std::printf("INCONCLUSIVE: %d benchmark(s) cannot be judged (CI straddles the threshold or data missing)\n",
                inconclusive);
  else std::printf("PASS: %zu benchmark(s) within their thresholds\n", report.rows.size());
}

int gate(const GateOptions& o, const CommonOptions& common) {
  GateMetric metric = parse_gate_metric(o.metric);
  GateThresholds thresholds = load_gate_thresholds(o.config, parse_threshold(o.threshold));
  speedcenter::Database db(common.db_path());
  if (!o.save_baseline.empty()) {
    save_gate_baseline(db, resolve_gate_ref(db, o.candidate), o.save_baseline);
    std::printf("wrote %s\n", o.save_baseline.c_str());
    return kExitOk;
  }
  if (o.baseline.empty()) throw HarnessError("--baseline is required (unless --save-baseline)");
  GateSide base = resolve_gate_ref(db, o.baseline), cand = resolve_gate_ref(db, o.candidate);
  GateReport report = run_gate(db, base, cand, metric, thresholds, o.geomean);
  if (common.json) std::cout << to_json(report, metric, base, cand).dump(2) << "\n";
  else print_report(report, metric, base, cand);
  return report.exit_code();
}

}  // namespace

void add_gate_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static GateOptions options;
  auto* cmd = app.add_subcommand(
      "gate",
      "fail on a regression: exit 0 pass, 1 regression (CI entirely beyond the threshold), 2 inconclusive or error");
  cmd->add_option("--baseline", options.baseline,
                  "REF[:LABEL]: run id, revision label or commit (LABEL = interpreter), or a baseline .json file");
  cmd->add_option("--candidate", options.candidate, "REF[:LABEL], as --baseline")->required();
  cmd->add_option("--metric", options.metric, "time, cpu-time, p99, rss, warmup or instructions")->capture_default_str();
  cmd->add_option("--threshold", options.threshold, "allowed worsening (default for every benchmark)")
      ->capture_default_str();
  cmd->add_option("--config", options.config,
                  "TOML thresholds: threshold = \"3%\"; [instructions] threshold = \"1%\", nbody = \"2%\"")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--geomean", options.geomean,
                "judge only the geometric mean of the benchmarks' ratios (the suite as a whole) against the threshold");
  cmd->add_option("--save-baseline", options.save_baseline,
                  "write the candidate's instruction counts to this .json file (to commit) instead of gating");
  cmd->callback([&common, &action] {
    // Errors leave through run_cli with kExitUsage = 2, which is also the gate's "error" code.
    action = [&common] { return gate(options, common); };
  });
}

}  // namespace harness
