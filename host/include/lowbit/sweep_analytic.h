// The analytical tier: a tile-level estimate of a run's metrics, from the compiler's tiling.
#pragma once

#include "lowbit/run_record.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

/// Estimates what `lowbit run --backend sim` would measure, without simulating: the workload is
/// compiled for `hw` (compile(), on zero-filled operands of the right shapes, so no data is
/// generated) and each layer costs
///   max(core cycles, DRAM cycles) + fill,
/// core cycles = M-blocks x N-blocks x sum over K-chunks of the chunk's beats x cycles per beat
///   (lutcore: the weight bits, bit-serial; arrays: 1; at least the weight-buffer port's cycles),
/// DRAM cycles = the layer's bytes (weights, scales, activations, outputs) / the effective DRAM
///   bandwidth min(peak, max_outstanding x burst / latency) (Little's law),
/// fill = DRAM latency + the first weight chunk's load + the last output block's store,
/// times the layer's repeat. Returns the run record of backend "analytic": workload, config,
/// layers, the metrics (the same RunMetrics as a cycle-level run, computed by run_metrics()) and
/// the tiling; not verified (nothing runs), no stats tree, no cost.
/// Throws InputError when the workload cannot be compiled for the config.
RunRecord estimate_run(const HwConfig& hw, const Workload& w);

}  // namespace lowbit
