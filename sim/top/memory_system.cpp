// DRAM parameters of a top config and the bandwidth limits of its memory system.
#include "sim/top/memory_system.h"

#include <algorithm>

#include "model/isa/isa.h"
#include "sim/common/dma_engine.h"

namespace lowbit {

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
  m.issue_width = DmaEngine::issue_width(p);
  m.window_bursts = DmaEngine::window_bursts(p);
  m.dma_window = DmaEngine::window_bytes_per_cycle(p);
  m.deliverable = std::min(m.dram_peak, m.dma_window);
  m.deliverable_limit =
      m.dram_peak <= m.dma_window ? "DRAM peak" : "DMA window (top.dram.max_outstanding)";
  const BufferParams& w = top.buffers[static_cast<int>(isa::Buffer::kWeight)];
  m.weight_port = double(w.width_bytes) * std::max<uint32_t>(1, w.banks / 2);
  return m;
}

}  // namespace lowbit
