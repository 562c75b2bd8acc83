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

/// What it models: one DMA queue's address generator. It issues at most one burst request per
/// cycle and keeps at most max_outstanding bursts in flight; a burst shared by consecutive rows
/// (stride smaller than a burst) is fetched once.
class DmaEngine {
 public:
  DmaEngine(DramModel& dram, StatGroup& stats);

  /// Runs a transfer whose first request may issue at cycle `now`; returns the cycle its last
  /// byte has arrived (loads) or been accepted (stores). Transfers of one engine are sequential.
  uint64_t run(uint64_t now, const DmaTransfer& t);
  /// Earliest cycle the next transfer's first request may issue (one request per cycle).
  uint64_t next_issue_cycle() const { return m_issued_any ? m_last_issue + 1 : 0; }

 private:
  DramModel& m_dram;
  std::vector<uint64_t> m_inflight;  // completion cycles of the last max_outstanding requests
  size_t m_next = 0;                 // ring index into m_inflight
  uint64_t m_last_issue = 0;         // cycle of the last issue (+1 = earliest next issue)
  bool m_issued_any = false;
  uint64_t& m_transfers;
  uint64_t& m_bursts;
  uint64_t& m_useful_bytes;
  uint64_t& m_window_stall_cycles;
  uint64_t& m_busy_cycles;
};

}  // namespace lowbit
