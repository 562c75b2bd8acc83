// The mac unit in the rtl backend: a PE array (mixpe/pe_array_rtl_tile.h) with the MAC core.
#pragma once

#include <memory>

#include "model/arch/hw_config.h"
#include "sim/common/stats.h"
#include "sim/top/core_driver.h"

namespace lowbit {

/// mac's core driver on the config's Verilated arrays (rtl_units.cpp registers it).
std::unique_ptr<CoreDriver> make_mac_rtl_driver(const HwConfig& hw, StatGroup& stats);

}  // namespace lowbit
