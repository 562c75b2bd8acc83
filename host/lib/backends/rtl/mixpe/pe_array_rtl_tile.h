// The PE-array units (mixpe, mac) in the rtl backend: their Verilated arrays behind IPeArray, and
// their core drivers.
#pragma once

#include <memory>
#include <string>

#include "model/arch/hw_config.h"
#include "model/arch/pe_array_params.h"
#include "sim/common/stats.h"
#include "sim/mixpe/i_pe_array.h"
#include "sim/top/core_driver.h"

namespace lowbit {

/// The Verilated RTL of PE-array config `config_name` of `unit` ("mixpe_8x8" or "8x8"; `params`
/// must equal its verilated parameters), in lockstep with PeArrayModel (make_rtl_tile_raw() in
/// rtl_tiles.h says what is checked and thrown). The 64 x 64 arrays are verilated only with
/// -DLOWBIT_MIXPE_RTL_64X64=ON (and their eval needs `ulimit -s unlimited`, see docs/mixpe.md).
std::unique_ptr<IPeArray> make_pe_array_rtl(const std::string& unit, const std::string& config_name,
                                            const PeArrayParams& params, StatGroup& stats);

/// The PE-array core driver of `unit` on the config's Verilated arrays.
std::unique_ptr<CoreDriver> make_pe_array_rtl_driver(const std::string& unit, const HwConfig& hw,
                                                     StatGroup& stats);

/// mixpe's (rtl_units.cpp registers it).
std::unique_ptr<CoreDriver> make_mixpe_rtl_driver(const HwConfig& hw, StatGroup& stats);

}  // namespace lowbit
