// Workload data generation speed: synthetic matrices, weight quantization, whole preset blocks.
//
// make_layer_data/<preset> makes every layer of a preset's decoder block once (what `lowbit run`
// does before simulating); the other benchmarks split that time into its parts on a 4096x4096
// Llama-2-7B q_proj. Melem/s counters are per wall second; all_threads_cpu_s is the CPU time of
// every thread, which a loaded machine does not inflate. The data never depend on the thread
// count (docs/workloads.md, "Synthetic data"), so the 1-thread rows show the per-core rate.
#include <benchmark/benchmark.h>

#include <ctime>
#include <vector>

#include "lowbit/golden_run.h"
#include "lowbit/workload.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

constexpr int kN = 4096;
constexpr int kK = 4096;

void set_rate(benchmark::State& state, double elements) {
  state.counters["Melem/s"] =
      benchmark::Counter(elements * 1e-6, benchmark::Counter::kIsIterationInvariantRate);
}

// The weight spec make_layer_data uses for heavy-tailed weights (host/lib/golden_run.cpp).
HeavyTailSpec weight_spec() {
  HeavyTailSpec spec;
  spec.dof = 4.0;
  spec.scale = 0.02f;
  spec.outlier_gain = 4.0f;
  return spec;
}

// Argument: generator threads (0 = all cores).
void heavy_tailed(benchmark::State& state, HeavyTailSpec spec) {
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(synth_heavy_tailed(kN, kK, 1, spec, threads));
  set_rate(state, double{kN} * kK);
}

void gaussian(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(synth_gaussian(kN, kK, 1, 0.02f, threads));
  set_rate(state, double{kN} * kK);
}

void quantize(benchmark::State& state, const char* format, int group) {
  const std::vector<float> w = synth_heavy_tailed(kN, kK, 1, weight_spec());
  const WeightFormat f = parse_weight_format(format);
  for (auto _ : state) benchmark::DoNotOptimize(quantize_weights(w, kN, kK, f, group));
  set_rate(state, double{kN} * kK);
}

// Every layer of one block of the preset; Melem/s counts weights.
void make_layer_data(benchmark::State& state, const char* preset) {
  const Workload w = load_workload(resolve_workload(preset));
  double weights = 0;
  for (const LayerSpec& l : w.layers) weights += double{1} * l.n * l.k;
  const std::clock_t cpu0 = std::clock();  // CPU time of the whole process, every thread
  for (auto _ : state) {
    for (const LayerSpec& l : w.layers) benchmark::DoNotOptimize(make_layer_data(l));
  }
  const double cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  set_rate(state, weights);
  state.counters["Mweights"] = weights * 1e-6;
  // All threads' CPU seconds per block: the cost on an idle machine, whatever the load now.
  state.counters["all_threads_cpu_s"] =
      benchmark::Counter(cpu_s, benchmark::Counter::kAvgIterations);
}

BENCHMARK_CAPTURE(heavy_tailed, weights_dof4, weight_spec())
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(heavy_tailed, activations_dof3, HeavyTailSpec{})
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(gaussian)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(quantize, uint2_g128, "uint2", 128)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(quantize, uint4_g128, "uint4", 128)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(quantize, ternary_tensor, "ternary", kWholeRow)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(make_layer_data, llama2_7b_decode_w2a8, "llama2_7b_decode_w2a8")
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(make_layer_data, llama2_7b_prefill_w4a8, "llama2_7b_prefill_w4a8")
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(make_layer_data, bitnet_b158_3b_decode, "bitnet_b158_3b_decode")
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace lowbit

BENCHMARK_MAIN();
