// The memory system a `top` config builds (DRAM channels, DMA window) and the bandwidth it
// delivers.
#pragma once

#include <string>

#include "sim/common/dram_model.h"
#include "sim/top/top_params.h"

namespace lowbit {

/// The DRAM model's parameters for a top config (cycles of its clock).
DramParams dram_params(const TopParams& top);

/// Bandwidth limits on a streaming load, in bytes per accelerator cycle (docs/top.md).
struct MemoryBandwidth {
  double dram_peak = 0;           ///< dram.bandwidth_gbps / clock
  double dma_window = 0;          ///< one DMA queue's window: outstanding x burst / round trip
  double deliverable = 0;         ///< min(dram_peak, dma_window): what the roofline uses
  std::string deliverable_limit;  ///< "DRAM peak" or "DMA window (dram.max_outstanding)"
  double weight_port = 0;         ///< the core's weight read port: width x banks of one buffer half
  uint32_t issue_width = 1;       ///< burst requests per cycle per DMA queue
  uint32_t window_bursts = 0;     ///< bursts in flight per DMA queue
};
MemoryBandwidth memory_bandwidth(const TopParams& top);

}  // namespace lowbit
