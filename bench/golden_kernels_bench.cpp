// Golden mpGEMM speed on one core: 4096x4096 W2A8 GEMV and 256x4096x4096 GEMM, kernels (a)-(d),
// plus the W2A16 (FP16 activations) GEMV and the LUT kernel with INT8 table quantization.
#include <benchmark/benchmark.h>

#include <memory>

#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/bit_planes.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

constexpr int kN = 4096;
constexpr int kK = 4096;

// Llama-2-7B q/k/v/o shape, int2 weights in groups of 128 quantized from seeded Gaussian data.
struct Operands {
  QuantizedWeights w;
  BitPlanes planes;    // packed once, as a weight loader would
  Activations act[3];  // indexed by Shape
};
enum Shape { kGemvA8 = 0, kGemmA8 = 1, kGemvA16 = 2 };

const Operands& operands() {
  static const std::unique_ptr<Operands> ops = [] {
    auto o = std::make_unique<Operands>();
    o->w = quantize_weights(synth_gaussian(kN, kK, 1), kN, kK, parse_weight_format("int2"), 128);
    o->planes = pack_bit_planes(o->w, 4);
    o->act[kGemvA8] = quantize_activations_int8(synth_gaussian(1, kK, 2), 1, kK);
    o->act[kGemmA8] = quantize_activations_int8(synth_gaussian(256, kK, 3), 256, kK);
    o->act[kGemvA16] = quantize_activations_fp16(synth_gaussian(1, kK, 2), 1, kK);
    return o;
  }();
  return *ops;
}

template <class Fn>
void run(benchmark::State& state, Fn&& fn) {
  const Operands& o = operands();
  const Activations& a = o.act[state.range(0)];
  for (auto _ : state) benchmark::DoNotOptimize(fn(a, o));
  const double macs = static_cast<double>(a.m) * kN * kK;
  state.counters["GMAC"] =
      benchmark::Counter(macs * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

void reference(benchmark::State& s) {
  run(s, [](const Activations& a, const Operands& o) { return mpgemm_reference(a, o.w); });
}
void integer(benchmark::State& s) {
  run(s, [](const Activations& a, const Operands& o) { return mpgemm_integer(a, o.w); });
}
void lut(benchmark::State& s) {
  run(s, [](const Activations& a, const Operands& o) {
    return mpgemm_lut(a, o.w, o.planes, LutOptions{});
  });
}
void lut_table_int8(benchmark::State& s) {
  run(s, [](const Activations& a, const Operands& o) {
    return mpgemm_lut(a, o.w, o.planes, LutOptions{4, true});
  });
}
void mixpe(benchmark::State& s) {
  run(s, [](const Activations& a, const Operands& o) { return mpgemm_mixpe(a, o.w); });
}

// The GEMM takes seconds per call: one iteration.
#define LOWBIT_GOLDEN_BENCH(fn)                                                                   \
  BENCHMARK(fn)->Name(#fn "/gemv_1x4096x4096_w2a8")->Arg(kGemvA8)->Unit(benchmark::kMillisecond); \
  BENCHMARK(fn)                                                                                   \
      ->Name(#fn "/gemm_256x4096x4096_w2a8")                                                      \
      ->Arg(kGemmA8)                                                                              \
      ->Iterations(1)                                                                             \
      ->Unit(benchmark::kMillisecond);                                                            \
  BENCHMARK(fn)->Name(#fn "/gemv_1x4096x4096_w2a16")->Arg(kGemvA16)->Unit(benchmark::kMillisecond);

LOWBIT_GOLDEN_BENCH(reference)
LOWBIT_GOLDEN_BENCH(integer)
LOWBIT_GOLDEN_BENCH(lut)
LOWBIT_GOLDEN_BENCH(mixpe)
BENCHMARK(lut_table_int8)
    ->Name("lut_table_int8/gemv_1x4096x4096_w2a16")
    ->Arg(kGemvA16)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lowbit

BENCHMARK_MAIN();
