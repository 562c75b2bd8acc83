// Parameters of the accelerator top: clock, tiles, queues, on-chip buffers and DRAM ("top" subtree).
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lowbit {

/// A bad hardware config: what() is one line naming the file, the key and what is allowed.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One on-chip SRAM buffer: capacity, port width and banks. Banks are contiguous address ranges
/// (bank = address / (capacity / banks)); each bank is single-ported (one read or write per cycle
/// of width_bytes).
struct BufferParams {
  uint32_t kib = 64;
  uint32_t width_bytes = 64;
  uint32_t banks = 2;
  uint64_t bytes() const { return uint64_t{kib} * 1024; }
  uint64_t bank_bytes() const { return bytes() / banks; }
};

/// Everything around the compute tiles (docs/top.md).
struct TopParams {
  double clock_mhz = 1000;      ///< accelerator clock
  int tiles = 1;                ///< compute tiles (lutcore) or arrays (mixpe, mac) working side by side
  int queue_depth = 16;         ///< instruction queue entries per unit
  double dram_bandwidth_gbps = 64;  ///< peak DRAM bandwidth, GB/s (1e9 bytes/s)
  double dram_latency_ns = 100;     ///< request to first data
  int dram_burst_bytes = 64;        ///< DRAM transfer granularity
  int dram_max_outstanding = 0;     ///< bursts in flight per DMA queue (0 = derived)
  int dram_channels = 1;            ///< independent DRAM channels, bursts interleaved
  std::string dram_preset;          ///< named memory (sim/top/dram_presets.h); "" = none
  /// Indexed by isa::Buffer: act, weight, scale, out.
  std::array<BufferParams, 4> buffers{};

  double dram_bytes_per_cycle() const { return dram_bandwidth_gbps * 1e3 / clock_mhz; }
  uint32_t dram_latency_cycles() const;
};

/// One declared parameter of the "top" subtree: the single source for parsing, range checks,
/// defaults, `--set` keys and docs/top.md's table.
struct TopParamInfo {
  std::string path;  ///< dotted key under "top", e.g. "dram.bandwidth_gbps"
  std::string type;  ///< "int", "float" or "string" (a name; min / max unused)
  double default_value;
  double min_value;
  double max_value;
  std::string unit;
  std::string description;
};
const std::vector<TopParamInfo>& top_param_infos();

/// Reads the "top" subtree (absent = all defaults); unknown keys and out-of-range values throw
/// ConfigError naming `source` and the key.
TopParams top_params_from_json(const nlohmann::json& config, std::string_view source);
/// The "top" subtree with every declared key present (defaults filled in), for `--set`.
nlohmann::json top_params_to_json(const TopParams& p);

}  // namespace lowbit
