// Simulation speed of the lutcore tile: simulated table lookups per second of the SystemC model
// (LUTCORE_DUT_SC) or of the Verilated RTL (LUTCORE_DUT_RTL), both inside the same SystemC
// testbench on the same transaction stream (fixed seed), outputs still checked against golden.
// The Verilated model (C++ mode) first: verilated.h picks its SystemC time hooks when <systemc> was
// included before it, which a C++-mode model must not.
#ifdef LUTCORE_DUT_RTL
#include LUTCORE_VTOP_HEADER
#endif

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <systemc>
#include <vector>

#include "sim/common/stats.h"
#include "tests/crosscheck/lutcore_plan.h"
#include "tests/crosscheck/lutcore_rtl_sc.h"
#include "tests/crosscheck/lutcore_tb.h"
#ifdef LUTCORE_DUT_RTL
#define LUTCORE_RTL_TYPE \
  lowbit::lutcore_tb::LutcoreRtlSc<LUTCORE_VCLASS, LUTCORE_M, LUTCORE_N, LUTCORE_K>
#else
#define LUTCORE_RTL_TYPE lowbit::lutcore_tb::NoRtl
#endif

namespace {

using namespace lowbit;
using namespace lowbit::lutcore_tb;
using Tb = Testbench<LUTCORE_M, LUTCORE_N, LUTCORE_K, LUTCORE_RTL_TYPE>;

constexpr int kCyclesPerIteration = 20000;

// The stream: a fixed pool of random segments (all formats, no handshake stalls: peak rate),
// replayed in order, so both implementations see exactly the same beats.
struct Bench {
  LutcoreParams params = lutcore_params_from_file(LUTCORE_CONFIG_PATH);
  StatGroup stats{"lutcore"};
  std::vector<Segment> pool;
  size_t next = 0;
  std::unique_ptr<Tb> tb;

  Bench() {
    Generator gen(params, 1);
    for (int s = 0; s < 64; ++s) {
      const auto kind = weight_kind_from_field(static_cast<uint64_t>(s));
      Segment seg = gen.random_segment(kind, kind == WeightKind::kSigned ? 2 + s % 3 : 1 + s % 4,
                                       params.fp16 && (s / 4) % 2 == 1, 4);
      seg.p_in = seg.p_out = 1.0;
      pool.push_back(std::move(seg));
    }
#ifdef LUTCORE_DUT_RTL
    Verilated::randReset(0);
    const bool use_sc = false;
#else
    const bool use_sc = true;
#endif
    tb = std::make_unique<Tb>(
        "tb", params, use_sc, stats,
        [this](Segment& s) {
          s = pool[next++ % pool.size()];
          return true;
        },
        1, true);
  }
};

void BM_LutcoreTile(benchmark::State& state) {
  static Bench bench;  // one elaboration per process
  const auto& t = bench.tb->totals();
  const uint64_t lanes =
      static_cast<uint64_t>(bench.params.m) * bench.params.n * bench.params.tables_per_row();
  const uint64_t planes0 = t.planes, cycles0 = t.cycles;
  for (auto _ : state) {
    sc_core::sc_start(sc_core::sc_time(10.0 * kCyclesPerIteration, sc_core::SC_NS));
  }
  if (t.mismatches || t.golden_errors) state.SkipWithError("outputs differ from golden");
  const double lookups = static_cast<double>((t.planes - planes0) * lanes);
  state.counters["lookups_per_s"] = benchmark::Counter(lookups, benchmark::Counter::kIsRate);
  state.counters["cycles_per_s"] =
      benchmark::Counter(static_cast<double>(t.cycles - cycles0), benchmark::Counter::kIsRate);
  state.counters["lookups_per_cycle"] =
      lookups / static_cast<double>(std::max<uint64_t>(1, t.cycles - cycles0));
}
BENCHMARK(BM_LutcoreTile)->Name(LUTCORE_BENCH_NAME)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
