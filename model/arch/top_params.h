// Parameters of the accelerator top: clock, tiles, queues, on-chip buffers and DRAM ("top"
// subtree).
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/arch/config_error.h"
#include "model/arch/param_info.h"

namespace lowbit {

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

/// Everything around the compute tiles (docs/top.md). Defaults: top_param_fields().
struct TopParams {
  double clock_mhz = 1000;          ///< accelerator clock
  int tiles = 1;                    ///< compute tiles or arrays working side by side
  int queue_depth = 16;             ///< instruction queue entries per unit
  double dram_bandwidth_gbps = 64;  ///< peak DRAM bandwidth, GB/s (1e9 bytes/s)
  double dram_latency_ns = 100;     ///< request to first data
  int dram_burst_bytes = 64;        ///< DRAM transfer granularity
  int dram_max_outstanding = 0;     ///< bursts in flight per DMA queue (0 = derived)
  int dram_channels = 1;            ///< independent DRAM channels, bursts interleaved
  std::string dram_preset;          ///< named memory (model/arch/dram_presets.h); "" = none
  /// Indexed by isa::Buffer: act, weight, scale, out.
  std::array<BufferParams, 4> buffers{BufferParams{128, 64, 2}, BufferParams{512, 128, 4},
                                      BufferParams{64, 32, 2}, BufferParams{64, 64, 2}};

  double dram_bytes_per_cycle() const { return dram_bandwidth_gbps * 1e3 / clock_mhz; }
  uint32_t dram_latency_cycles() const;
};

/// Every parameter of the "top" subtree, bound to its TopParams member: the single source for
/// parsing, range checks, defaults, `--set` keys, `lowbit params` and docs/params.md.
const std::vector<ParamField<TopParams>>& top_param_fields();
const std::vector<ParamInfo>& top_param_infos();

/// Reads the "top" subtree of a config (absent = all defaults); unknown keys, out-of-range values
/// and the cross-key rules (burst a power of two, banks divide the capacity) throw ConfigError
/// naming `source` and the key.
TopParams top_params_from_json(const nlohmann::json& config, std::string_view source);
/// The "top" subtree with every declared key present, for `--set` and stats.json.
nlohmann::json top_params_to_json(const TopParams& p);

}  // namespace lowbit
