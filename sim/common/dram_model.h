// DRAM timing model: independent channels of fixed bandwidth, a fixed access latency, bursts.
//
// Deliberately simple and honest (issue 6: "start simple: bandwidth, latency, burst size"): no
// banks, rows or refresh. The peak bandwidth is split evenly over `channels` data buses and
// consecutive bursts are interleaved across them (burst b goes to channel b mod channels), as a
// memory controller interleaves a physical address over channels at burst granularity. A burst
// request issued at cycle t starts on its channel's bus at max(t + latency, bus_free) and occupies
// it for burst_bytes / (bandwidth / channels) cycles; it completes when its last byte has crossed
// the bus. Time is kept in micro-cycles so fractional bandwidths (25.6 B per cycle) accumulate
// without drift. Plain C++ (no SystemC): the top's DMA process calls it and waits for the
// returned cycle.
#pragma once

#include <cstdint>
#include <vector>

#include "model/arch/memory_system.h"
#include "sim/common/stats.h"

namespace lowbit {

/// What it models: the DRAM channels shared by every DMA request, each serving in issue order.
class DramModel {
 public:
  DramModel(const DramParams& params, StatGroup& stats);

  /// Schedules one burst request issued at cycle `now` (non-decreasing across calls) for burst
  /// number `burst` of the address space (address / burst_bytes: it picks the channel). A request
  /// always moves a whole burst. Returns the cycle by which its data is complete.
  uint64_t request(uint64_t now, bool write, uint64_t burst = 0);

  const DramParams& params() const { return m_params; }
  /// Cycle at which every channel's bus is next free (for utilization and tests).
  uint64_t bus_free_cycle() const;

 private:
  static constexpr uint64_t kMicro = 1000000;  // micro-cycles per cycle
  DramParams m_params;
  uint64_t m_burst_micro;                  // one burst's occupancy of its channel, micro-cycles
  std::vector<uint64_t> m_bus_free_micro;  // per channel
  uint64_t& m_reads;
  uint64_t& m_writes;
  uint64_t& m_bytes_read;
  uint64_t& m_bytes_written;
  uint64_t& m_bus_busy_micro;
  uint64_t& m_queue_cycles;
};

}  // namespace lowbit
