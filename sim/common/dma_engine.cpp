// DMA burst generation with an issue width and an outstanding-request window (see dma_engine.h).
#include "sim/common/dma_engine.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lowbit {

uint32_t DmaEngine::issue_width(const DramParams& p) { return dma_issue_width(p); }
uint32_t DmaEngine::window_bursts(const DramParams& p) { return dma_window_bursts(p); }
double DmaEngine::window_bytes_per_cycle(const DramParams& p) {
  return dma_window_bytes_per_cycle(p);
}

DmaEngine::DmaEngine(DramModel& dram, StatGroup& stats)
    : m_dram(dram),
      m_width(issue_width(dram.params())),
      m_inflight(window_bursts(dram.params()), 0),
      m_transfers(stats.counter("transfers", "ld/st instructions executed", "transfers")),
      m_bursts(stats.counter("bursts", "DRAM burst requests issued", "bursts")),
      m_useful_bytes(stats.counter("bytes", "bytes the transfers asked for", "bytes")),
      m_window_stall_cycles(stats.counter(
          "stall_dram_cycles",
          "cycles a ready burst waited for a free outstanding slot (DRAM bandwidth/latency bound)",
          "cycles")),
      m_busy_cycles(
          stats.counter("busy_cycles", "cycles from a transfer's start to its end", "cycles")) {}

uint64_t DmaEngine::run(uint64_t now, const DmaTransfer& t) {
  if (t.rows == 0 || t.row_bytes == 0) throw std::invalid_argument("DmaEngine: empty transfer");
  const uint64_t burst = m_dram.params().burst_bytes;
  ++m_transfers;
  m_useful_bytes += static_cast<uint64_t>(t.rows) * t.row_bytes;
  uint64_t done = now;
  uint64_t last_burst = ~0ull;
  uint64_t earliest = std::max(now, next_issue_cycle());
  for (uint32_t r = 0; r < t.rows; ++r) {
    const uint64_t first = (t.dram + r * t.stride) / burst;
    const uint64_t last = (t.dram + r * t.stride + t.row_bytes - 1) / burst;
    for (uint64_t b = first; b <= last; ++b) {
      if (b == last_burst) continue;  // already fetched for the previous row
      last_burst = b;
      // The slot this request reuses frees when the request window_bursts() earlier completes.
      const uint64_t slot_free = m_inflight[m_next];
      const uint64_t issue = std::max(earliest, slot_free);
      m_window_stall_cycles += issue - earliest;
      const uint64_t complete = m_dram.request(issue, t.write, b);
      m_inflight[m_next] = complete;
      m_next = (m_next + 1) % m_inflight.size();
      ++m_bursts;
      m_issued_in_cycle = m_issued_any && issue == m_last_issue ? m_issued_in_cycle + 1 : 1;
      m_last_issue = issue;
      m_issued_any = true;
      earliest = next_issue_cycle();
      done = std::max(done, complete);
    }
  }
  m_busy_cycles += done - now;
  return done;
}

}  // namespace lowbit
