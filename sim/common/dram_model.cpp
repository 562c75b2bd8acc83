// DRAM channel timing (see dram_model.h for the rule).
#include "sim/common/dram_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lowbit {

DramModel::DramModel(const DramParams& params, StatGroup& stats)
    : m_params(params),
      m_reads(stats.counter("reads", "burst read requests", "bursts")),
      m_writes(stats.counter("writes", "burst write requests", "bursts")),
      m_bytes_read(stats.counter("bytes_read", "bytes moved DRAM -> chip (whole bursts)", "bytes")),
      m_bytes_written(stats.counter("bytes_written", "bytes moved chip -> DRAM", "bytes")),
      m_bus_busy_micro(stats.counter(
          "bus_busy_ucycles", "data bus occupancy, summed over the channels", "micro-cycles")),
      m_queue_cycles(stats.counter(
          "queue_cycles", "cycles requests waited for the bus beyond the latency", "cycles")) {
  if (!(params.bytes_per_cycle > 0) || params.burst_bytes == 0 || params.channels == 0) {
    throw std::invalid_argument("DramModel: bandwidth, burst size and channels must be > 0");
  }
  m_burst_micro = static_cast<uint64_t>(
      std::ceil(params.burst_bytes * double(kMicro) * params.channels / params.bytes_per_cycle));
  m_bus_free_micro.assign(params.channels, 0);
}

uint64_t DramModel::request(uint64_t now, bool write, uint64_t burst) {
  uint64_t& bus_free = m_bus_free_micro[burst % m_bus_free_micro.size()];
  const uint64_t ready = (now + m_params.latency_cycles) * kMicro;
  const uint64_t start = std::max(ready, bus_free);
  m_queue_cycles += (start - ready) / kMicro;
  bus_free = start + m_burst_micro;
  m_bus_busy_micro += m_burst_micro;
  if (write) {
    ++m_writes;
    m_bytes_written += m_params.burst_bytes;
  } else {
    ++m_reads;
    m_bytes_read += m_params.burst_bytes;
  }
  return (bus_free + kMicro - 1) / kMicro;  // data complete at the end of that cycle
}

uint64_t DramModel::bus_free_cycle() const {
  const uint64_t last = *std::max_element(m_bus_free_micro.begin(), m_bus_free_micro.end());
  return (last + kMicro - 1) / kMicro;
}

}  // namespace lowbit
