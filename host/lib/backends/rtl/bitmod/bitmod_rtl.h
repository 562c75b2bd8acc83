// The bitmod unit in the rtl backend: its Verilated array (a PE array, mixpe/pe_array_rtl_tile.h)
// fed two slice beats per K step (sim/bitmod/bitmod_step_feeder.h).
#pragma once

#include <memory>

#include "model/arch/hw_config.h"
#include "sim/common/stats.h"
#include "sim/top/core_driver.h"

namespace lowbit {

/// bitmod's core driver on the config's Verilated arrays (rtl_units.cpp registers it).
std::unique_ptr<CoreDriver> make_bitmod_rtl_driver(const HwConfig& hw, StatGroup& stats);

}  // namespace lowbit
