// The memory system a `top` config builds (DRAM channels, DMA window) and the bandwidth it
// delivers.
#pragma once

#include <cstdint>
#include <string>

#include "model/arch/top_params.h"

namespace lowbit {

/// DRAM parameters in cycles of the accelerator clock.
struct DramParams {
  double bytes_per_cycle = 32.0;  ///< peak bandwidth of all channels together (GB/s / GHz)
  uint32_t latency_cycles = 100;  ///< request to first data
  uint32_t burst_bytes = 64;      ///< transfer granularity: requests are rounded up to bursts
  /// Bursts in flight per requester (used by DmaEngine); 0 = derived from the bandwidth-latency
  /// product (DmaEngine::window_bursts).
  uint32_t max_outstanding = 16;
  uint32_t channels = 1;  ///< independent data buses, bursts interleaved across them
};

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

/// Burst requests one DMA queue issues per cycle: enough to reach the DRAM peak.
uint32_t dma_issue_width(const DramParams& p);
/// Bursts one DMA queue keeps in flight: max_outstanding, or (0) enough for the bandwidth-latency
/// product.
uint32_t dma_window_bursts(const DramParams& p);
/// The bandwidth one queue's window sustains, bytes per cycle (Little's law).
double dma_window_bytes_per_cycle(const DramParams& p);

}  // namespace lowbit
