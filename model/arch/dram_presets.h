// Named memory systems for `top.dram.preset`: bandwidth, latency, burst and channels of real parts.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit {

/// One memory part as the DRAM model sees it, with where each number comes from (docs/top.md).
struct DramPreset {
  std::string_view name;
  double bandwidth_gbps;  ///< peak of all channels, 1e9 B/s
  double latency_ns;      ///< closed-row read: ACTIVATE to READ (tRCD) + READ to data (tAA / RL)
  int burst_bytes;        ///< one burst of one (pseudo) channel: burst length x channel width
  int channels;           ///< independent (pseudo) channels the bandwidth is split over
  std::string_view energy_spec;  ///< model/cost/dram_energy.h spec used for its energy
  std::string_view source;
};

/// The presets, in the order docs/top.md lists them.
const std::vector<DramPreset>& dram_presets();
/// The preset called `name`, or nullptr.
const DramPreset* find_dram_preset(std::string_view name);
/// "ddr4_3200_x64, lpddr5x_8533_x64, ..." for error messages.
std::string dram_preset_names();

/// The `top.dram` keys a preset sets; an explicit key beside the preset overrides it.
inline constexpr std::array<std::string_view, 4> kDramPresetKeys = {"bandwidth_gbps", "latency_ns",
                                                                    "burst_bytes", "channels"};

}  // namespace lowbit
