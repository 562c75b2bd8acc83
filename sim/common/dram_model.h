// DRAM timing model: one data bus of fixed bandwidth, a fixed access latency, burst granularity.
//
// Deliberately simple and honest (issue 6: "start simple: bandwidth, latency, burst size"): no
// banks, rows or refresh. A burst request issued at cycle t starts on the bus at
// max(t + latency, bus_free) and occupies it for bytes / bandwidth cycles; it completes when its
// last byte has crossed the bus. Time is kept in micro-cycles so fractional bandwidths (25.6 B per
// cycle) accumulate without drift. Plain C++ (no SystemC): the top's DMA process calls it and
// waits for the returned cycle.
#pragma once

#include <cstdint>

#include "sim/common/stats.h"

namespace lowbit {

/// DRAM parameters in cycles of the accelerator clock.
struct DramParams {
  double bytes_per_cycle = 32.0;  ///< peak bandwidth (GB/s divided by the clock in GHz)
  uint32_t latency_cycles = 100;  ///< request to first data
  uint32_t burst_bytes = 64;      ///< transfer granularity: requests are rounded up to bursts
  uint32_t max_outstanding = 16;  ///< bursts in flight per requester (used by DmaEngine)
};

/// What it models: the DRAM data bus shared by every DMA request, in issue order.
class DramModel {
 public:
  DramModel(const DramParams& params, StatGroup& stats);

  /// Schedules one burst request issued at cycle `now` (non-decreasing across calls). A request
  /// always moves a whole burst. Returns the cycle by which its data is complete.
  uint64_t request(uint64_t now, bool write);

  const DramParams& params() const { return m_params; }
  /// Cycle at which the bus is next free (for utilization and tests).
  uint64_t bus_free_cycle() const;

 private:
  static constexpr uint64_t kMicro = 1000000;  // micro-cycles per cycle
  DramParams m_params;
  uint64_t m_burst_micro;     // bus occupancy of one full burst, micro-cycles (rounded up)
  uint64_t m_bus_free_micro = 0;
  uint64_t& m_reads;
  uint64_t& m_writes;
  uint64_t& m_bytes_read;
  uint64_t& m_bytes_written;
  uint64_t& m_bus_busy_micro;
  uint64_t& m_queue_cycles;
};

}  // namespace lowbit
