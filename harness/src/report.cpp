// harness/report.cpp: console and JSON reports of a run, computed from what the store holds.
#include "harness/report.h"

#include "harness/system_noise.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace harness {
namespace {

std::string fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string three_digits(double v) { return fixed(v, v >= 100 ? 0 : v >= 10 ? 1 : 2); }

std::string speedup_text(const stats::Comparison& c) {
  auto word = [](double s) { return s >= 1 ? three_digits(s) + "x faster" : three_digits(1 / s) + "x slower"; };
  return word(c.speedup) + " [" + fixed(c.speedup_ci.low, 2) + ", " + fixed(c.speedup_ci.high, 2) + "]" +
         (c.significant ? " *" : "");
}

std::string pad(const std::string& s, size_t width) { return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' '); }

const speedcenter::MetricRecord* metric(const speedcenter::ResultRecord* r, const std::string& name) {
  if (!r) return nullptr;
  auto it = r->metrics.find(name);
  return it == r->metrics.end() || !it->second.value ? nullptr : &it->second;
}

std::string mean_cell(const speedcenter::ResultRecord* r) {
  if (!r) return "-";
  if (r->status != "ok") return "FAILED";
  const auto* m = metric(r, "mean");
  if (!m) return "-";
  std::string text = format_seconds(*m->value);
  if (m->ci_low && m->ci_high) text += " +- " + format_seconds((*m->ci_high - *m->ci_low) / 2);
  return text;
}

// Benchmark, one column per interpreter, then one per candidate against the baseline (the first).
void print_table_header(std::ostream& out, const speedcenter::RunRecord& run, size_t name_width, size_t cell) {
  out << "\n" << pad("Benchmark", name_width);
  for (const auto& i : run.interpreters) out << pad(i.label, cell);
  for (size_t p = 1; p < run.interpreters.size(); ++p)
    out << pad(run.interpreters[p].label + " vs " + run.interpreters[0].label, 34);
  out << "\n";
}

// A run measured with --instructions: every result that ran has an exact instruction count, and the timings
// stored beside it (of iterations under valgrind) say nothing about speed.
bool instruction_run(const speedcenter::RunRecord& run) {
  bool any = false;
  for (const auto& r : run.results) {
    if (r.status != "ok") continue;
    if (!metric(&r, "instructions")) return false;
    any = true;
  }
  return any;
}

std::string count_text(double n) {
  if (n >= 1e9) return three_digits(n / 1e9) + "G";
  if (n >= 1e6) return three_digits(n / 1e6) + "M";
  if (n >= 1e3) return three_digits(n / 1e3) + "k";
  return fixed(n, 0);
}

// baseline / candidate instructions: above 1, the candidate executes fewer.
std::string instruction_ratio_text(double ratio) {
  return ratio >= 1 ? three_digits(ratio) + "x fewer" : three_digits(1 / ratio) + "x more";
}

void print_instruction_comparison(std::ostream& out, const speedcenter::RunRecord& run) {
  const size_t name_width = 20, cell = 22;
  print_table_header(out, run, name_width, cell);
  std::vector<double> log_sums(run.interpreters.size(), 0);
  std::vector<int> counted(run.interpreters.size(), 0);
  for (const auto& name : run.benchmarks) {
    out << pad(name, name_width);
    const auto* base = metric(run.result(name, 0), "instructions");
    for (size_t p = 0; p < run.interpreters.size(); ++p) {
      const auto* r = run.result(name, static_cast<int>(p));
      const auto* m = metric(r, "instructions");
      out << pad(r && r->status != "ok" ? "FAILED" : m ? count_text(*m->value) : "-", cell);
    }
    for (size_t p = 1; p < run.interpreters.size(); ++p) {
      const auto* m = metric(run.result(name, static_cast<int>(p)), "instructions");
      if (!base || !m || *m->value <= 0 || *base->value <= 0) {
        out << pad("-", 34);
        continue;
      }
      double ratio = *base->value / *m->value;
      log_sums[p] += std::log(ratio);
      counted[p]++;
      out << pad(instruction_ratio_text(ratio), 34);
    }
    out << "\n";
  }
  out << pad("Geometric mean", name_width + cell * run.interpreters.size());
  for (size_t p = 1; p < run.interpreters.size(); ++p)
    out << pad(counted[p] ? instruction_ratio_text(std::exp(log_sums[p] / counted[p])) + " (" +
                                std::to_string(counted[p]) + ")"
                          : "-",
               34);
  out << "\n\nInstructions per iteration, exact (cachegrind: one more steady-state iteration, counted as the\n"
         "difference of two runs); ratio = baseline / candidate. Timings under valgrind are not reported.\n";
}

void print_web_tables(std::ostream& out, const speedcenter::RunRecord& run, const RunComparison& comparison) {
  for (const auto& name : run.benchmarks) {
    const speedcenter::ResultRecord* first = run.result(name, 0);
    if (!first || first->kind != "web") continue;
    out << "\n" << name << " (server measured from a native client; latency after warmup)\n";
    out << pad("", 22);
    for (const auto& i : run.interpreters) out << pad(i.label, 22);
    out << "\n";
    auto row = [&](const std::string& title, const std::function<std::string(const speedcenter::ResultRecord*)>& cell) {
      out << pad(title, 22);
      for (size_t p = 0; p < run.interpreters.size(); ++p) out << pad(cell(run.result(name, static_cast<int>(p))), 22);
      out << "\n";
    };
    auto seconds_metric = [&](const std::string& m) {
      return [&, m](const speedcenter::ResultRecord* r) {
        if (r && r->status != "ok") return std::string("FAILED");
        const auto* v = metric(r, m);
        return v ? format_seconds(*v->value) : std::string("-");
      };
    };
    row("mean latency", seconds_metric("mean"));
    row("p99 latency", seconds_metric("p99"));
    row("memory (peak RSS)", [&](const speedcenter::ResultRecord* r) {
      const auto* v = metric(r, "server_rss_peak");
      if (!v) v = metric(r, "peak_rss");
      return v ? format_bytes(*v->value) : std::string("-");
    });
    row("warmup time", [&](const speedcenter::ResultRecord* r) {
      if (!r || r->status != "ok") return std::string("-");
      auto it = r->metrics.find("warmup_seconds");
      if (it == r->metrics.end()) return std::string("-");
      return it->second.value ? format_seconds(*it->second.value) : std::string("n/a");
    });
    row("speedup (mean)", [&](const speedcenter::ResultRecord* r) {
      if (!r || r->position == 0) return std::string(r ? "1x" : "-");
      for (const auto& c : comparison.rows)
        if (c.benchmark == name && c.candidate == r->position && c.available) return speedup_text(c.comparison);
      return std::string("-");
    });
  }
}

bool is_skipped(const speedcenter::FailureRecord& f) { return f.reason.rfind(kSkippedPrefix, 0) == 0; }

std::string percent(double fraction) { return std::isinf(fraction) ? "-" : fixed(fraction * 100, 1) + "%"; }

// compare --precision: each candidate's interval over interleaved pairs, whether it reached the target, and
// the benchmarks that did not.
void print_precision(std::ostream& out, const speedcenter::RunRecord& run, const RunComparison& comparison) {
  const auto& rule = stats::kPrecisionRule;
  out << "\nPrecision (target: interval narrower than " << percent(comparison.precision_target)
      << " of the speedup; interleaved process pairs, at least " << rule.min_pairs << ")\n";
  out << pad("Benchmark", 20) << pad("candidate", 14) << pad("speedup [interval]", 26) << pad("pairs", 7)
      << pad("width", 8) << "\n";
  std::vector<std::string> missed;
  int reached = 0, measured = 0;
  for (const auto& row : comparison.rows) {
    if (!row.sequential) continue;
    const auto& s = *row.sequential;
    ++measured;
    reached += row.precision_reached;
    std::string label = run.interpreters[row.candidate].label;
    out << pad(row.benchmark, 20) << pad(label, 14)
        << pad(fixed(s.speedup, 3) + "x [" + fixed(s.ci.low, 3) + ", " + fixed(s.ci.high, 3) + "]", 26)
        << pad(std::to_string(s.pairs), 7) << pad(percent(s.width), 8)
        << (row.precision_reached ? "reached" : "NOT reached") << "\n";
    if (!row.precision_reached)
      missed.push_back(row.benchmark + (run.interpreters.size() > 2 ? " (" + label + ")" : "") + " " + percent(s.width));
  }
  out << "\n" << reached << " of " << measured << " reached " << percent(comparison.precision_target) << ".";
  if (!missed.empty()) {
    out << " Not within the budget (--max-time, --max-total-time):";
    for (const auto& m : missed) out << " " << m << (&m == &missed.back() ? "." : ",");
  }
  out << "\nInterval: Student's t at " << fixed(rule.look_confidence * 100, 0)
      << "% on the log ratios of the pairs, the level at which the stopping rule covers the true speedup at\n"
         "least 95% of the time (checked by simulation of A/A runs, tests/speedcenter/precision_rule_test.cpp).\n";
}

// The machine during the run (stored figures) and pyperf-style warnings when the run was disturbed: CPU steal,
// a loaded machine, or results whose iterations vary by more than 10% of their mean.
void print_machine_activity(std::ostream& out, const speedcenter::RunRecord& run) {
  auto number = [&](const std::string& name) -> std::optional<double> {
    auto it = run.machine_activity.find(name);
    return it == run.machine_activity.end() ? std::nullopt : it->second.value;
  };
  auto text = [&](const std::string& name) {
    auto it = run.machine_activity.find(name);
    return it == run.machine_activity.end() ? std::string("-") : it->second.text;
  };
  std::vector<std::string> warnings;
  if (auto steal = number("steal_fraction")) {
    double cpus = number("cpus").value_or(1);
    out << "\nMachine during the run: load " << fixed(number("load1_before").value_or(0), 2) << " before, "
        << fixed(number("load1_after").value_or(0), 2) << " after (" << fixed(cpus, 0) << " CPUs); CPU steal "
        << percent(*steal) << ", CPUs busy " << percent(number("busy_fraction").value_or(0)) << ", "
        << fixed(number("context_switches_per_second").value_or(0), 0) << " context switches/s;\n  ASLR "
        << (number("aslr").value_or(-1) == 0 ? "off" : "on") << "; governor " << text("governor") << "; isolation "
        << text("isolation") << ".\n";
    if (*steal >= kNoisyStealFraction)
      warnings.push_back("CPU steal was " + percent(*steal) + ": the hypervisor gave this VM's CPUs to others");
    if (number("load1_before").value_or(0) > kNoisyLoadPerCpu * cpus)
      warnings.push_back("the load average was " + fixed(number("load1_before").value_or(0), 2) + " on " +
                         fixed(cpus, 0) + " CPUs before the run: other processes competed for the CPUs");
  }
  // Exact instruction counts do not depend on what else the machine runs: only time runs are warned about.
  if (instruction_run(run)) return;
  for (const auto& r : run.results) {
    if (r.status != "ok" || r.kind == "web") continue;  // web latencies vary by nature
    const auto* mean = metric(&r, "mean");
    const auto* sd = metric(&r, "stdev");
    if (mean && sd && *mean->value > 0 && *sd->value / *mean->value > kUnstableRelativeStdev)
      warnings.push_back(r.benchmark + " under " + run.interpreters[r.position].label + " is unstable: stdev " +
                         percent(*sd->value / *mean->value) + " of the mean");
  }
  if (warnings.empty()) return;
  out << "\nWARNING: this run was noisy (pyperf warns above a 10% spread):\n";
  for (const auto& w : warnings) out << "  - " << w << "\n";
  out << "  Intervals stay honest but widen; see `pyston-bench system` for what could change, or use --precision.\n";
}

}  // namespace

std::string format_seconds(double seconds) {
  double a = std::fabs(seconds);
  if (a >= 1) return three_digits(seconds) + " s";
  if (a >= 1e-3) return three_digits(seconds * 1e3) + " ms";
  if (a >= 1e-6) return three_digits(seconds * 1e6) + " us";
  return three_digits(seconds * 1e9) + " ns";
}

std::string format_bytes(double bytes) {
  if (bytes >= 1e9) return three_digits(bytes / 1e9) + " GB";
  if (bytes >= 1e6) return three_digits(bytes / 1e6) + " MB";
  if (bytes >= 1e3) return three_digits(bytes / 1e3) + " kB";
  return three_digits(bytes) + " B";
}

RunComparison compare_run(const speedcenter::RunRecord& run) {
  RunComparison result;
  size_t n = run.interpreters.size();
  result.geomeans.resize(n);
  result.geomean_benchmarks.assign(n, 0);
  nlohmann::json options = nlohmann::json::parse(run.options_json, nullptr, false);
  if (options.is_object() && options.value("precision", 0.0) > 0) result.precision_target = options["precision"].get<double>();
  for (size_t p = 1; p < n; ++p) {
    std::vector<std::pair<stats::Groups, stats::Groups>> pairs;
    for (const auto& name : run.benchmarks) {
      ComparisonRow row;
      row.benchmark = name;
      row.candidate = static_cast<int>(p);
      const auto* base = run.result(name, 0);
      const auto* cand = run.result(name, static_cast<int>(p));
      if (base && cand && base->status == "ok" && cand->status == "ok" && !base->groups.empty() &&
          !cand->groups.empty()) {
        row.available = true;
        row.comparison = stats::compare(base->groups, cand->groups);
        if (result.precision_target > 0) {
          row.sequential = stats::sequential_speedup(stats::process_means(base->groups), stats::process_means(cand->groups));
          row.precision_reached = stats::precision_reached(*row.sequential, result.precision_target);
        }
        pairs.emplace_back(base->groups, cand->groups);
      }
      result.rows.push_back(row);
    }
    if (!pairs.empty()) result.geomeans[p] = stats::geometric_mean_speedup(pairs);
    result.geomean_benchmarks[p] = static_cast<int>(pairs.size());
  }
  return result;
}

void print_time_comparison(std::ostream& out, const speedcenter::RunRecord& run, const RunComparison& comparison) {
  const size_t name_width = 20, cell = 22;
  print_table_header(out, run, name_width, cell);
  for (const auto& name : run.benchmarks) {
    out << pad(name, name_width);
    for (size_t p = 0; p < run.interpreters.size(); ++p) out << pad(mean_cell(run.result(name, static_cast<int>(p))), cell);
    for (const auto& row : comparison.rows) {
      if (row.benchmark != name) continue;
      out << pad(row.available ? speedup_text(row.comparison) : "-", 34);
    }
    out << "\n";
  }
  out << pad("Geometric mean", name_width + cell * run.interpreters.size());
  for (size_t p = 1; p < run.interpreters.size(); ++p) {
    if (comparison.geomean_benchmarks[p] == 0) {
      out << pad("-", 34);
      continue;
    }
    const auto& g = comparison.geomeans[p];
    stats::Comparison c{g.value, g.ci, 0, g.ci.low > 1 || g.ci.high < 1};
    out << pad(speedup_text(c) + " (" + std::to_string(comparison.geomean_benchmarks[p]) + ")", 34);
  }
  out << "\n\nMean +- half-width of its 95% CI. Speedup = baseline mean / candidate mean, with a 95% bootstrap CI\n"
         "that resamples whole worker processes; * = significant (the CI excludes 1.0).\n";
  print_web_tables(out, run, comparison);
  if (comparison.precision_target > 0) print_precision(out, run, comparison);
}

void print_comparison(std::ostream& out, const speedcenter::RunRecord& run, const RunComparison& comparison) {
  out << "Run " << run.id << " (" << run.status << ", " << run.started_at << ", " << run.hostname << ")\n";
  for (const auto& i : run.interpreters)
    out << "  " << pad(i.label + ":", 14) << i.implementation << " " << i.version << "  " << i.executable << "\n";
  if (instruction_run(run))
    print_instruction_comparison(out, run);
  else
    print_time_comparison(out, run, comparison);
  print_machine_activity(out, run);
  for (bool skipped : {true, false}) {
    bool first = true;
    for (const auto& f : run.failures) {
      if (is_skipped(f) != skipped) continue;
      if (first) out << (skipped ? "\nSkipped:\n" : "\nFailures:\n");
      first = false;
      out << "  " << (f.benchmark.empty() ? "" : f.benchmark + " ") << (f.interpreter.empty() ? "" : "[" + f.interpreter + "] ")
          << (skipped ? f.reason.substr(std::string(kSkippedPrefix).size()) : f.reason) << "\n";
    }
  }
}

nlohmann::json comparison_json(const speedcenter::RunRecord& run, const RunComparison& comparison) {
  nlohmann::json j;
  j["run"] = {{"id", run.id}, {"status", run.status}, {"started_at", run.started_at},
              {"finished_at", run.finished_at}, {"host", run.hostname}, {"command_line", run.command_line}};
  for (const auto& i : run.interpreters)
    j["interpreters"].push_back({{"label", i.label}, {"implementation", i.implementation}, {"version", i.version},
                                 {"executable", i.executable}});
  for (const auto& name : run.benchmarks) {
    nlohmann::json b = {{"name", name}};
    for (size_t p = 0; p < run.interpreters.size(); ++p) {
      const auto* r = run.result(name, static_cast<int>(p));
      if (!r) continue;
      nlohmann::json res = {{"interpreter", run.interpreters[p].label}, {"status", r->status}};
      if (!r->error.empty()) res["error"] = r->error;
      for (const auto& [metric_name, m] : r->metrics) {
        nlohmann::json mj = {{"value", m.value ? nlohmann::json(*m.value) : nlohmann::json(nullptr)}, {"unit", m.unit}};
        if (m.ci_low) mj["ci"] = {*m.ci_low, *m.ci_high};
        if (!m.note.empty()) mj["note"] = m.note;
        res["metrics"][metric_name] = mj;
      }
      b["results"].push_back(res);
    }
    for (const auto& row : comparison.rows) {
      if (row.benchmark != name || !row.available) continue;
      b["comparisons"].push_back({{"baseline", run.interpreters[0].label},
                                  {"candidate", run.interpreters[row.candidate].label},
                                  {"speedup", row.comparison.speedup},
                                  {"ci", {row.comparison.speedup_ci.low, row.comparison.speedup_ci.high}},
                                  {"mann_whitney_p", row.comparison.p_value},
                                  {"significant", row.comparison.significant}});
      if (row.sequential)
        b["comparisons"].back()["precision"] = {{"speedup", row.sequential->speedup},
                                                {"ci", {row.sequential->ci.low, row.sequential->ci.high}},
                                                {"width", std::isinf(row.sequential->width) ? nlohmann::json(nullptr)
                                                                                              : nlohmann::json(row.sequential->width)},
                                                {"pairs", row.sequential->pairs},
                                                {"target", comparison.precision_target},
                                                {"reached", row.precision_reached}};
    }
    j["benchmarks"].push_back(b);
  }
  for (size_t p = 1; p < run.interpreters.size(); ++p) {
    if (comparison.geomean_benchmarks[p] == 0) continue;
    j["geometric_mean"].push_back({{"candidate", run.interpreters[p].label},
                                   {"speedup", comparison.geomeans[p].value},
                                   {"ci", {comparison.geomeans[p].ci.low, comparison.geomeans[p].ci.high}},
                                   {"benchmarks", comparison.geomean_benchmarks[p]}});
  }
  for (const auto& [name, fact] : run.machine_activity)
    j["machine_activity"][name] = fact.value ? nlohmann::json(*fact.value) : nlohmann::json(fact.text);
  for (const auto& f : run.failures) {
    if (is_skipped(f))
      j["skipped"].push_back({{"benchmark", f.benchmark}, {"reason", f.reason.substr(std::string(kSkippedPrefix).size())}});
    else
      j["failures"].push_back({{"benchmark", f.benchmark}, {"interpreter", f.interpreter}, {"reason", f.reason}});
  }
  return j;
}

}  // namespace harness
