// `lowbit run --backend cpu`: the workload's layers on the measured CPU reference kernels.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lowbit/golden_run.h"
#include "lowbit/workload.h"
#include "model/quant/kv_quant.h"

namespace lowbit {

struct CpuRunSettings {
  int max_threads = 0;  ///< threads 1..max_threads are measured; 0 = every logical CPU
  int repetitions = 5;
  double package_watts = 0;  ///< for the labelled energy estimate when RAPL is unreadable
};

/// Times every CPU kernel on every layer for threads 1..N, verifies each output against golden,
/// prints (after a blank line) a table and the machine facts, and returns the JSON for result.json.
/// `golden[i]` is layer i's golden output. Returns false in `verified` when a kernel broke its
/// rule.
nlohmann::ordered_json run_cpu_reference(const Workload& w,
                                         const std::vector<const LayerData*>& data,
                                         const std::vector<const std::vector<float>*>& golden,
                                         const CpuRunSettings& s, bool& verified);

/// `lowbit run --backend cpu` on a workload with whole decoder blocks: the blocks (each block's
/// input the previous block's output), the final RMSNorm and the LM head on the CPU
/// (cpu_decoder.h), every thread count 1..N, cold and warm caches, each block `repetitions` times
/// (median); per operator class and per token, tokens/s (time to first token for a prefill),
/// scaled to the model's blocks after --decoder-blocks. `best_kernels[i]` names layer i's kernel
/// (the fastest verified in the per-layer table). Checks: every block's linear outputs against
/// golden by the kernel's rule, the LM head's likewise, block 0 against the float64 block
/// reference by the block rule. Prints its table and returns the JSON for result.json
/// "cpu.decoder"; `verified` false when a check failed.
nlohmann::ordered_json run_cpu_decoder(const Workload& w, const KvCacheSpec& kv,
                                       const std::vector<const LayerData*>& data,
                                       const std::vector<std::string>& best_kernels,
                                       const CpuRunSettings& s, bool& verified);

}  // namespace lowbit
