// The steps lowbit::run()'s backends share, and the runner of each kind of backend (run.cpp keeps
// the table of backend names -> runner).
#pragma once

#include <memory>
#include <vector>

#include "lowbit/golden_run.h"
#include "lowbit/run.h"

namespace lowbit {

/// The record's identity (workload, config, core, backend, what is not modelled).
RunRecord record_header(const RunRequest& q);

/// Checks the side-output paths the request names (trace, VCD, dump), before any work.
void check_side_outputs(const RunRequest& q);

/// Every layer's quantized data.
std::vector<std::unique_ptr<LayerData>> make_data(const Workload& w);

/// The golden outputs of every layer (the golden kernels also check each other); appends each
/// layer's record to `r` (calling on_layer) and sets r.golden_kernels_agree and r.ops_per_run.
struct GoldenOutputs {
  std::vector<std::vector<float>> hardware;       ///< what the configured hardware computes
  std::vector<std::vector<float>> integer_exact;  ///< mpgemm_integer (the CPU kernels' golden)
};
GoldenOutputs run_goldens(const RunRequest& q, const std::vector<std::unique_ptr<LayerData>>& data,
                          RunRecord& r);

/// golden, sim, rtl: the compiled ISA program on connect(backend), every store checked.
RunRecord run_program(const RunRequest& q);
/// cpu: the layers on the measured CPU reference kernels, each checked by its rule.
RunRecord run_cpu(const RunRequest& q);
/// analytic: the tile-level model of the compiled program (nothing runs, nothing to verify).
RunRecord run_analytic(const RunRequest& q);

}  // namespace lowbit
