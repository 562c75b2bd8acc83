// The lutcore unit in the rtl backend: its Verilated tile behind ILutcoreTile, and its core driver.
#pragma once

#include <memory>
#include <string>

#include "model/arch/hw_config.h"
#include "model/arch/lutcore/lutcore_params.h"
#include "sim/common/stats.h"
#include "sim/lutcore/i_lutcore_tile.h"
#include "sim/top/core_driver.h"

namespace lowbit {

/// The Verilated RTL of lutcore config `config_name` ("lutcore_m2n8k4" or "m2n8k4"; `params` must
/// equal its verilated parameters), in lockstep with LutcoreModelTile (make_rtl_tile_raw() in
/// rtl_tiles.h says what is checked and thrown).
std::unique_ptr<ILutcoreTile> make_lutcore_rtl_tile(const std::string& config_name,
                                                    const LutcoreParams& params, StatGroup& stats);

/// The lutcore core driver on the config's Verilated tiles (rtl_units.cpp registers it).
std::unique_ptr<CoreDriver> make_lutcore_rtl_driver(const HwConfig& hw, StatGroup& stats);

}  // namespace lowbit
