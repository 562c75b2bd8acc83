// What the whole-program benchmarks share (bench_top, bench_golden_backend): the workload and
// config they run (LOWBIT_BENCH_WORKLOAD / LOWBIT_BENCH_CONFIG, default Llama-2-7B W2A8 decode on
// lutcore_m2n64k4), its layers' data and integer-exact goldens, and the check of every store.
#pragma once

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "lowbit/compiler.h"
#include "lowbit/golden_run.h"
#include "lowbit/workload.h"
#include "model/kernels/mpgemm.h"

namespace lowbit::bench {

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

/// One benchmark input: the workload's layers with their data and goldens.
struct ProgramInputs {
  HwConfig hw;
  std::vector<std::unique_ptr<LayerData>> data;
  std::vector<LayerInput> in;
  std::vector<std::vector<float>> golden;  ///< integer-exact output per layer
  double macs = 0;                         ///< useful MACs: m x n x k x repeat over the layers
};

inline ProgramInputs program_inputs() {
  const std::string wl = env_or("LOWBIT_BENCH_WORKLOAD", "llama2_7b_decode_w2a8");
  const std::string cfg =
      env_or("LOWBIT_BENCH_CONFIG", LOWBIT_SOURCE_DIR "/configs/lutcore_m2n64k4.json");
  const Workload w = load_workload(resolve_workload(wl));
  ProgramInputs p{load_hw_config(cfg), {}, {}, {}, 0};
  for (const auto& l : w.layers) {
    p.data.push_back(std::make_unique<LayerData>(make_layer_data(l)));
    p.golden.push_back(mpgemm_integer(p.data.back()->acts, p.data.back()->weights));
    p.in.push_back({l, p.data.back().get()});
    p.macs += static_cast<double>(l.m) * l.n * l.k * l.repeat;
  }
  return p;
}

/// Compares a store of n bytes at DRAM address a with the goldens of the output region it falls
/// in; counts the elements compared and those that differ.
inline void check_store(const CompiledProgram& cp, const std::vector<std::vector<float>>& golden,
                        uint64_t a, const uint8_t* p, uint64_t n, uint64_t& compared,
                        uint64_t& mismatches) {
  for (const auto& o : cp.outputs) {
    if (a < o.dram || a + n > o.dram + 4ull * o.m * o.n) continue;
    for (uint64_t e = 0; e < n / 4; ++e) {
      uint32_t got;
      std::memcpy(&got, p + 4 * e, 4);
      mismatches += got != std::bit_cast<uint32_t>(golden[o.layer][(a - o.dram) / 4 + e]);
      ++compared;
    }
  }
}

}  // namespace lowbit::bench
