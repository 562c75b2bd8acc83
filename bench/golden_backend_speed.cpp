// The golden backend's speed (the untimed ISA interpreter): one workload's program on
// connect("golden"), every store compared with the integer-exact golden; counters give the
// interpreter's useful MACs per second (issue 20's goal: >= 2 G MACs/s on the decode token, no
// slower than the golden kernels it runs). LOWBIT_BENCH_WORKLOAD / LOWBIT_BENCH_CONFIG override
// the inputs (default: Llama-2-7B W2A8 decode, its 7 linear layers x 32 blocks, on
// lutcore_m2n64k4).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <ctime>

#include "bench/program_bench.h"
#include "lowbit/accelerator.h"

// libsystemc wants the symbol when lowbit_accel links SystemC; nothing calls it.
extern "C" int sc_main(int, char**) { return 1; }

namespace {

// CPU seconds of this process (all threads): the figure that survives a shared, loaded machine.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

void BM_GoldenBackend(benchmark::State& state) {
  const lowbit::bench::ProgramInputs in = lowbit::bench::program_inputs();
  const lowbit::HwConfig& hw = in.hw;
  const double macs = in.macs;
  const lowbit::CompiledProgram cp = lowbit::compile(hw, in.in);
  uint64_t mismatches = 0;
  double seconds = 0, cpu = 0;
  for (auto _ : state) {
    lowbit::Program program = cp.program;
    auto acc = lowbit::connect("golden", hw);
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    uint64_t compared = 0;
    acc->run(program, [&](uint64_t a, const uint8_t* p, uint64_t n) {
      lowbit::bench::check_store(cp, in.golden, a, p, n, compared, mismatches);
    });
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpu = cpu_seconds() - cpu0;
    state.SetIterationTime(seconds);
  }
  if (mismatches) state.SkipWithError("outputs differ from golden");
  state.counters["useful_macs"] = macs;
  state.counters["interpret_s"] = seconds;
  state.counters["G_macs_per_s"] = macs / seconds / 1e9;
  state.counters["interpret_cpu_s"] = cpu;
  state.counters["G_macs_per_cpu_s"] = macs / cpu / 1e9;
}
BENCHMARK(BM_GoldenBackend)->Iterations(1)->Unit(benchmark::kSecond)->UseManualTime();

}  // namespace

BENCHMARK_MAIN();
