// The analytic tier's speed (issue 20's goal: >= 1,000 points per second in one process):
// estimate_run, what `lowbit estimate --batch` runs per point, over a grid of design points.
//  - BM_EstimateSpecGrid: the shapes of bench/analytic_spec.json (one-layer decode and prefill
//    GEMMs) on the 64 x 64 and default configs x DRAM bandwidth x tiles x group;
//  - BM_EstimateDecodeBlock: one Llama-2-7B W2A8 decoder block (7 layers, bench/sweep) on
//    lutcore_m2n64k4 x bandwidth x tiles, a point as large as a sweep's typical design point.
// Counters: points_per_s, points estimated per second of wall time (one thread);
// points_per_cpu_s, per second of the process's CPU time (the same on an idle machine).
#include <benchmark/benchmark.h>

#include <ctime>
#include <string>
#include <vector>

#include "lowbit/config_override.h"
#include "lowbit/sweep_analytic.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

// libsystemc wants the symbol when lowbit_accel links SystemC; nothing calls it.
extern "C" int sc_main(int, char**) { return 1; }

namespace {

using lowbit::HwConfig;
using lowbit::Workload;

HwConfig config_with(const std::string& name, double gbps, int tiles) {
  const HwConfig base = lowbit::load_hw_config(LOWBIT_SOURCE_DIR "/configs/" + name + ".json");
  nlohmann::json j = base.to_json();
  lowbit::apply_overrides(j,
                          {"top.dram.bandwidth_gbps=" + std::to_string(gbps),
                           "top.tiles=" + std::to_string(tiles), "top.buffers.out.kib=128"},
                          name);
  return lowbit::hw_config_from_json(j, name);
}

Workload gemm(int m, int n, int k, int group, const std::string& weights, const std::string& acts) {
  nlohmann::json layer = {{"name", "gemm"},
                          {"m", m},
                          {"n", n},
                          {"k", k},
                          {"weight_format", weights},
                          {"activation_format", acts},
                          {"group_size", group}};
  return lowbit::workload_from_json({{"name", "gemm"}, {"layers", {layer}}}, "bench");
}

struct Point {
  HwConfig hw;
  Workload w;
};

void run_points(benchmark::State& state, const std::vector<Point>& points) {
  double cycles = 0;
  const std::clock_t cpu0 = std::clock();
  for (auto _ : state) {
    for (const Point& p : points) {
      cycles += static_cast<double>(lowbit::estimate_run(p.hw, p.w).metrics->cycles);
    }
  }
  const double cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  benchmark::DoNotOptimize(cycles);
  state.counters["points"] = static_cast<double>(points.size());
  state.counters["points_per_s"] = benchmark::Counter(
      static_cast<double>(points.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  // Per second of this process's CPU time: what one core does when the machine is shared.
  state.counters["points_per_cpu_s"] =
      static_cast<double>(points.size()) * static_cast<double>(state.iterations()) / cpu_s;
}

void BM_EstimateSpecGrid(benchmark::State& state) {
  struct Unit {
    const char* config;
    const char* weights;
    const char* acts;
  };
  const Unit units[] = {{"lutcore_m2n64k4", "uint2", "int8"},
                        {"mixpe_64x64", "uint4", "int8"},
                        {"mac_64x64", "uint4", "int8"},
                        {"bitmod_64x16", "bitmod_w3", "fp16"}};
  const int shapes[][3] = {{1, 512, 2048}, {4, 256, 1024}, {64, 256, 512}, {256, 128, 256}};
  std::vector<Point> points;
  for (const Unit& u : units) {
    for (const double gbps : {16.0, 64.0, 256.0, 1000.0}) {
      for (const int tiles : {1, 2, 4}) {
        const HwConfig hw = config_with(u.config, gbps, tiles);
        for (const auto& s : shapes) {
          for (const int g : {32, 64, 128}) {
            points.push_back({hw, gemm(s[0], s[1], s[2], g, u.weights, u.acts)});
          }
        }
      }
    }
  }
  run_points(state, points);
}
BENCHMARK(BM_EstimateSpecGrid)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EstimateDecodeBlock(benchmark::State& state) {
  const Workload w =
      lowbit::load_workload(LOWBIT_SOURCE_DIR "/bench/sweep/llama2_7b_block_w2a8.json");
  std::vector<Point> points;
  for (const double gbps : {16.0, 64.0, 256.0, 1000.0}) {
    for (const int tiles : {1, 2, 4})
      points.push_back({config_with("lutcore_m2n64k4", gbps, tiles), w});
  }
  run_points(state, points);
}
BENCHMARK(BM_EstimateDecodeBlock)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
