// The analytical tier: an estimate of a run's metrics from its compiled program, without data.
#pragma once

#include "lowbit/run_record.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

/// Estimates what `lowbit run --backend sim` would measure, without simulating: the workload is
/// compiled for `hw` from its shapes alone (compile() in CompileMode::kShapesOnly: no data, no
/// weight image) and the program is replayed one instruction at a time (controller queues,
/// semaphores, DMA bursts on the DRAM, each tile op by the unit's block timing,
/// IUnitSpec::core_timing; docs/analytic.md). Returns the run record of backend "analytic":
/// workload, config, layers, the metrics (the same RunMetrics as a cycle-level run, computed by
/// run_metrics()) and the tiling; not verified (nothing runs), no stats tree, no cost.
/// Throws InputError when the workload cannot be compiled for the config.
RunRecord estimate_run(const HwConfig& hw, const Workload& w);

}  // namespace lowbit
