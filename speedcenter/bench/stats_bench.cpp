// speedcenter-stats-bench: what the process-level bootstrap costs, since every stored result pays for it (a
// summary is three bootstraps: mean, p50, p99) and a report's geometric mean redraws every benchmark at once.
// Sizes: the default run (6 processes x 5 values), a rigorous one (40 x 20), the micro suite's geomean.
#include <benchmark/benchmark.h>

#include <utility>
#include <vector>

#include "speedcenter/stats.h"
#include "speedcenter/synthetic_data.h"

namespace {

namespace stats = speedcenter::stats;

using speedcenter::simulated_processes;

// One CI of the mean (2000 resamples); items are resamples.
void BM_BootstrapMeanCI(benchmark::State& state) {
  auto groups =
      simulated_processes(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), 1.0, 1);
  const stats::BootstrapOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(stats::bootstrap_ci(groups, stats::mean, options));
  state.SetItemsProcessed(state.iterations() * options.resamples);
}
BENCHMARK(BM_BootstrapMeanCI)->Args({6, 5})->Args({40, 20})->Unit(benchmark::kMicrosecond);

// What storing one result costs: descriptive statistics and the mean, p50 and p99 intervals.
void BM_Summarize(benchmark::State& state) {
  auto groups =
      simulated_processes(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), 1.0, 2);
  for (auto _ : state) benchmark::DoNotOptimize(stats::summarize(groups));
}
BENCHMARK(BM_Summarize)->Args({6, 5})->Args({40, 20})->Unit(benchmark::kMicrosecond);

// One benchmark's speedup with its CI (both sides resampled).
void BM_CompareSpeedup(benchmark::State& state) {
  int processes = static_cast<int>(state.range(0)), values = static_cast<int>(state.range(1));
  auto base = simulated_processes(processes, values, 1.0, 3),
       candidate = simulated_processes(processes, values, 0.8, 4);
  for (auto _ : state) benchmark::DoNotOptimize(stats::compare(base, candidate));
}
BENCHMARK(BM_CompareSpeedup)->Args({6, 5})->Args({40, 20})->Unit(benchmark::kMicrosecond);

// The joint geomean bootstrap: every resample redraws both sides of every benchmark (argument 0 benchmarks of
// 6 processes x 5 values a side; 16 is the micro suite).
void BM_GeomeanJointBootstrap(benchmark::State& state) {
  std::vector<std::pair<stats::Groups, stats::Groups>> benchmarks;
  for (std::int64_t b = 0; b < state.range(0); ++b) {
    auto seed = static_cast<std::uint64_t>(10 + 2 * b);
    benchmarks.emplace_back(simulated_processes(6, 5, 1.0, seed), simulated_processes(6, 5, 0.7, seed + 1));
  }
  for (auto _ : state) benchmark::DoNotOptimize(stats::geometric_mean_speedup(benchmarks));
}
BENCHMARK(BM_GeomeanJointBootstrap)->Arg(16)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
