// The golden backend's speed (the untimed ISA interpreter): one workload's program on
// connect("golden"), every store compared with the integer-exact golden; counters give the
// interpreter's useful MACs per second (issue 20's goal: >= 2 G MACs/s on the decode token, no
// slower than the golden kernels it runs). LOWBIT_BENCH_WORKLOAD / LOWBIT_BENCH_CONFIG override
// the inputs (default: Llama-2-7B W2A8 decode, its 7 linear layers x 32 blocks, on
// lutcore_m2n64k4).
#include <benchmark/benchmark.h>

#include <bit>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "lowbit/accelerator.h"
#include "lowbit/compiler.h"
#include "lowbit/golden_run.h"
#include "lowbit/workload.h"
#include "model/kernels/mpgemm.h"

// libsystemc wants the symbol when lowbit_accel links SystemC; nothing calls it.
extern "C" int sc_main(int, char**) { return 1; }

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

void BM_GoldenBackend(benchmark::State& state) {
  const std::string wl = env_or("LOWBIT_BENCH_WORKLOAD", "llama2_7b_decode_w2a8");
  const std::string cfg =
      env_or("LOWBIT_BENCH_CONFIG", LOWBIT_SOURCE_DIR "/configs/lutcore_m2n64k4.json");
  const lowbit::Workload w = lowbit::load_workload(lowbit::resolve_workload(wl));
  const lowbit::HwConfig hw = lowbit::load_hw_config(cfg);
  std::vector<std::unique_ptr<lowbit::LayerData>> data;
  std::vector<lowbit::LayerInput> in;
  std::vector<std::vector<float>> golden;
  double macs = 0;
  for (const auto& l : w.layers) {
    data.push_back(std::make_unique<lowbit::LayerData>(lowbit::make_layer_data(l)));
    golden.push_back(lowbit::mpgemm_integer(data.back()->acts, data.back()->weights));
    in.push_back({l, data.back().get()});
    macs += static_cast<double>(l.m) * l.n * l.k * l.repeat;
  }
  const lowbit::CompiledProgram cp = lowbit::compile(hw, in);
  uint64_t mismatches = 0;
  double seconds = 0;
  for (auto _ : state) {
    lowbit::Program program = cp.program;
    auto acc = lowbit::connect("golden", hw);
    const auto t0 = std::chrono::steady_clock::now();
    acc->run(program, [&](uint64_t a, const uint8_t* p, uint64_t n) {
      for (const auto& o : cp.outputs) {
        if (a < o.dram || a + n > o.dram + 4ull * o.m * o.n) continue;
        for (uint64_t e = 0; e < n / 4; ++e) {
          uint32_t got;
          std::memcpy(&got, p + 4 * e, 4);
          mismatches += got != std::bit_cast<uint32_t>(golden[o.layer][(a - o.dram) / 4 + e]);
        }
      }
    });
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(seconds);
  }
  if (mismatches) state.SkipWithError("outputs differ from golden");
  state.counters["useful_macs"] = macs;
  state.counters["interpret_s"] = seconds;
  state.counters["G_macs_per_s"] = macs / seconds / 1e9;
}
BENCHMARK(BM_GoldenBackend)->Iterations(1)->Unit(benchmark::kSecond)->UseManualTime();

}  // namespace

BENCHMARK_MAIN();
