// DMA engine: splits 2-D transfers (rows x bytes, DRAM stride) into DRAM bursts and issues them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/common/dram_model.h"
#include "sim/common/stats.h"

namespace lowbit {

/// One `ld` / `st` of docs/isa.md: `rows` rows of `row_bytes` bytes, row r at dram + r * stride.
struct DmaTransfer {
  uint64_t dram = 0;
  uint32_t rows = 1;
  uint32_t row_bytes = 0;
  uint64_t stride = 0;
  bool write = false;
};

/// What it models: one DMA queue's address generator. It issues up to issue_width() burst
/// requests per cycle (as many bursts as the DRAM can move per cycle, so issue never caps the
/// bandwidth) and keeps at most window_bursts() bursts in flight; a burst shared by consecutive
/// rows (stride smaller than a burst) is fetched once.
class DmaEngine {
 public:
  DmaEngine(DramModel& dram, StatGroup& stats);

  /// Burst requests per cycle: ceil(bytes_per_cycle / burst_bytes), at least 1.
  static uint32_t issue_width(const DramParams& p);
  /// Bursts in flight: max_outstanding, or when it is 0 the smallest window that covers the
  /// bandwidth-latency product (Little's law): bytes_per_cycle x (latency + 2) / burst_bytes, plus
  /// one burst per channel (a burst's own time on its channel) and two cycles of issue; at least
  /// 128 (the former fixed default).
  static uint32_t window_bursts(const DramParams& p);
  /// Peak bytes per cycle one queue can sustain with that window (Little's law): window x burst /
  /// (latency + a burst's whole cycles on its channel, at least 1), the round trip of one slot.
  static double window_bytes_per_cycle(const DramParams& p);

  /// Runs a transfer whose first request may issue at cycle `now`; returns the cycle its last
  /// byte has arrived (loads) or been accepted (stores). Transfers of one engine are sequential.
  uint64_t run(uint64_t now, const DmaTransfer& t);
  /// Earliest cycle the next transfer's first request may issue (issue_width() per cycle).
  uint64_t next_issue_cycle() const {
    if (!m_issued_any) return 0;
    return m_issued_in_cycle < m_width ? m_last_issue : m_last_issue + 1;
  }

 private:
  DramModel& m_dram;
  uint32_t m_width;                  // burst requests per cycle
  std::vector<uint64_t> m_inflight;  // completion cycles of the last window_bursts() requests
  size_t m_next = 0;                 // ring index into m_inflight
  uint64_t m_last_issue = 0;         // cycle of the last issue
  uint32_t m_issued_in_cycle = 0;    // requests issued in cycle m_last_issue
  bool m_issued_any = false;
  uint64_t& m_transfers;
  uint64_t& m_bursts;
  uint64_t& m_useful_bytes;
  uint64_t& m_window_stall_cycles;
  uint64_t& m_busy_cycles;
};

}  // namespace lowbit
