// CPU reference kernels (sgemm, onednn_int8, tmac) on Llama-2-7B q/k/v/o shapes: 4096x4096 GEMV
// W2A8 and W4A8 (warm and cold caches), 256x4096x4096 GEMM, threads 1 and 2, the STREAM triad.
// Each kernel is verified against golden once before it is timed (docs/cpu-reference.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "lowbit/cpu_reference.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

constexpr int kN = 4096;
constexpr int kK = 4096;
constexpr int kGemmM = 256;
constexpr int kGroup = 128;

enum Format { kW2 = 0, kW4 = 1 };
enum Shape { kGemv = 0, kGemm = 1 };

const QuantizedWeights& weights(Format f) {
  static std::map<Format, QuantizedWeights> cache;
  auto it = cache.find(f);
  if (it == cache.end()) {
    it = cache
             .emplace(f, quantize_weights(synth_gaussian(kN, kK, 1, 0.02f), kN, kK,
                                          parse_weight_format(f == kW2 ? "int2" : "int4"), kGroup))
             .first;
  }
  return it->second;
}

const Activations& activations(Shape s) {
  static std::map<Shape, Activations> cache;
  auto it = cache.find(s);
  if (it == cache.end()) {
    const int m = s == kGemv ? 1 : kGemmM;
    it = cache.emplace(s, quantize_activations_int8(synth_gaussian(m, kK, 2 + s), m, kK)).first;
  }
  return it->second;
}

// One prepared kernel per (kernel, format), verified against golden once for each shape.
struct Prepared {
  std::unique_ptr<ICpuKernel> kernel;
  std::string reason;
  std::map<Shape, std::string> verdict;
};

Prepared& prepared(CpuKernel kind, Format f, Shape s) {
  static std::map<std::pair<CpuKernel, Format>, Prepared> cache;
  Prepared& p = cache[{kind, f}];
  if (!p.kernel && p.reason.empty()) {
    p.kernel = make_cpu_kernel(kind, weights(f), &p.reason);
  }
  if (p.kernel && !p.verdict.count(s)) {
    CpuRunOptions opt;
    opt.threads = 2;
    opt.warmup = 0;
    opt.repetitions = 1;
    const CpuKernelResult r = run_cpu_kernel(kind, activations(s), weights(f), opt);
    char text[160];
    std::snprintf(text, sizeof text, "%s (%lld mismatches, max |diff| %.3g, max diff/bound %.3g)",
                  r.verification.passed ? "verified" : "VERIFICATION FAILED",
                  static_cast<long long>(r.verification.mismatches), r.verification.max_abs_diff,
                  r.verification.max_bound_ratio);
    p.verdict[s] = text;
  }
  return p;
}

// Writing 2 x LLC (at least 64 MiB) evicts the weights, as a decode step over a model much larger
// than the cache sees them: every layer's weights come from DRAM once per token.
void flush_caches() {
  static std::vector<char> buffer(
      std::max<size_t>(size_t{64} << 20, 2 * read_cpu_info().llc_bytes));
  static char value = 0;
  ++value;
  for (size_t i = 0; i < buffer.size(); i += 64) buffer[i] = value;
  benchmark::ClobberMemory();
}

void run_kernel(benchmark::State& state, CpuKernel kind) {
  const auto f = static_cast<Format>(state.range(0));
  const auto s = static_cast<Shape>(state.range(1));
  const int threads = static_cast<int>(state.range(2));
  const bool cold = state.range(3) != 0;
  Prepared& p = prepared(kind, f, s);
  if (!p.kernel) {
    state.SkipWithError(("unavailable: " + p.reason).c_str());
    return;
  }
  const Activations& a = activations(s);
  std::vector<float> out;
  p.kernel->run(a, threads, out);  // warm-up: caches, oneDNN primitive for this thread count
  RaplMeter rapl;
  rapl.start();
  for (auto _ : state) {
    if (cold) {
      state.PauseTiming();
      flush_caches();
      state.ResumeTiming();
    }
    p.kernel->run(a, threads, out);
    benchmark::DoNotOptimize(out.data());
  }
  const double ops = 2.0 * a.m * static_cast<double>(kN) * kK;
  state.counters["GOPS"] =
      benchmark::Counter(ops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["weight_GB/s"] =
      benchmark::Counter(static_cast<double>(p.kernel->weight_bytes()) * 1e-9,
                         benchmark::Counter::kIsIterationInvariantRate);
  if (rapl.available()) {
    state.counters["J/run"] = rapl.stop_joules() / static_cast<double>(state.iterations());
  }
  state.SetLabel(p.verdict[s]);
}

void sgemm(benchmark::State& s) { run_kernel(s, CpuKernel::kSgemm); }
void onednn_int8(benchmark::State& s) { run_kernel(s, CpuKernel::kOnednnInt8); }
void tmac(benchmark::State& s) { run_kernel(s, CpuKernel::kTmac); }

void stream_triad(benchmark::State& state) {
  StreamResult r;
  for (auto _ : state) {
    StreamOptions opt;
    opt.threads = static_cast<int>(state.range(0));
    r = measure_stream_triad(opt);
  }
  state.counters["best_GB/s"] = r.best_gb_per_s;
  state.counters["median_GB/s"] = r.median_gb_per_s;
  state.counters["array_MiB"] = static_cast<double>(r.array_bytes >> 20);
}

// Args: format (0 = int2, 1 = int4), shape (0 = GEMV 1x4096x4096, 1 = GEMM 256x4096x4096),
// threads, cold (1: caches flushed before every iteration; GEMV only, a fixed iteration count).
void warm(benchmark::internal::Benchmark* b) {
  for (int shape : {kGemv, kGemm}) {
    for (int format : {kW2, kW4}) {
      for (int threads : {1, 2}) b->Args({format, shape, threads, 0});
    }
  }
  b->ArgNames({"w4", "gemm", "threads", "cold"})->UseRealTime()->Unit(benchmark::kMillisecond);
}
void cold(benchmark::internal::Benchmark* b) {
  for (int format : {kW2, kW4}) {
    for (int threads : {1, 2}) b->Args({format, kGemv, threads, 1});
  }
  b->ArgNames({"w4", "gemm", "threads", "cold"})->UseRealTime()->Unit(benchmark::kMillisecond);
  b->Iterations(40);
}

BENCHMARK(sgemm)->Apply(warm);
BENCHMARK(onednn_int8)->Apply(warm);
BENCHMARK(tmac)->Apply(warm);
BENCHMARK(sgemm)->Apply(cold);
BENCHMARK(onednn_int8)->Apply(cold);
BENCHMARK(tmac)->Apply(cold);
BENCHMARK(stream_triad)->Arg(1)->Arg(2)->ArgName("threads")->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace lowbit

int main(int argc, char** argv) {
  using namespace lowbit;
  const CpuInfo info = read_cpu_info();
  benchmark::AddCustomContext("cpu_model", info.model_name);
  benchmark::AddCustomContext("cpu_cores", std::to_string(info.physical_cores) + " cores, " +
                                               std::to_string(info.logical_cpus) + " logical");
  benchmark::AddCustomContext("cpu_isa", std::string("avx2 ") + (info.avx2 ? "yes" : "no") +
                                             ", avx512f " + (info.avx512f ? "yes" : "no") +
                                             ", avx512_vnni " + (info.avx512_vnni ? "yes" : "no"));
  const RaplMeter rapl;
  benchmark::AddCustomContext(
      "energy", rapl.available() ? "RAPL " + rapl.domains() + " (J/run counter)"
                                 : "no J/run counter: RAPL unavailable: " + rapl.reason());
  for (CpuKernel k : all_cpu_kernels()) {
    std::string reason;
    auto kernel = make_cpu_kernel(k, weights(kW2), &reason);
    benchmark::AddCustomContext(std::string("kernel_") + cpu_kernel_name(k),
                                kernel ? "available" : "unavailable: " + reason);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
