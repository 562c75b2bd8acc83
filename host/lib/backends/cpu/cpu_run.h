// `lowbit run --backend cpu`: the workload's layers on the measured CPU reference kernels.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lowbit/golden_run.h"
#include "lowbit/workload.h"

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

}  // namespace lowbit
