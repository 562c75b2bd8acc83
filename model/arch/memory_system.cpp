// DRAM parameters of a top config and the bandwidth limits of its memory system.
#include "model/arch/memory_system.h"

#include <algorithm>
#include <cmath>

#include "model/isa/isa.h"

namespace lowbit {

uint32_t dma_issue_width(const DramParams& p) {
  return std::max<uint32_t>(1, static_cast<uint32_t>(std::ceil(p.bytes_per_cycle / p.burst_bytes)));
}

uint32_t dma_window_bursts(const DramParams& p) {
  if (p.max_outstanding > 0) return p.max_outstanding;
  const double bdp = p.bytes_per_cycle * (p.latency_cycles + 2.0) / p.burst_bytes;
  const double need = std::ceil(bdp) + p.channels + 2.0 * dma_issue_width(p);
  return static_cast<uint32_t>(std::max(128.0, need));
}

double dma_window_bytes_per_cycle(const DramParams& p) {
  // A slot is reused when its burst completes: latency plus the burst's whole cycles on its
  // channel.
  const double burst_cycles =
      std::max(1.0, std::ceil(p.burst_bytes * p.channels / p.bytes_per_cycle));
  return double(dma_window_bursts(p)) * p.burst_bytes / (p.latency_cycles + burst_cycles);
}

DramParams dram_params(const TopParams& top) {
  DramParams p;
  p.bytes_per_cycle = top.dram_bytes_per_cycle();
  p.latency_cycles = top.dram_latency_cycles();
  p.burst_bytes = static_cast<uint32_t>(top.dram_burst_bytes);
  p.max_outstanding = static_cast<uint32_t>(top.dram_max_outstanding);
  p.channels = static_cast<uint32_t>(top.dram_channels);
  return p;
}

MemoryBandwidth memory_bandwidth(const TopParams& top) {
  const DramParams p = dram_params(top);
  MemoryBandwidth m;
  m.dram_peak = p.bytes_per_cycle;
  m.issue_width = dma_issue_width(p);
  m.window_bursts = dma_window_bursts(p);
  m.dma_window = dma_window_bytes_per_cycle(p);
  m.deliverable = std::min(m.dram_peak, m.dma_window);
  m.deliverable_limit =
      m.dram_peak <= m.dma_window ? "DRAM peak" : "DMA window (top.dram.max_outstanding)";
  const BufferParams& w = top.buffers[static_cast<int>(isa::Buffer::kWeight)];
  m.weight_port = double(w.width_bytes) * std::max<uint32_t>(1, w.banks / 2);
  return m;
}

}  // namespace lowbit
