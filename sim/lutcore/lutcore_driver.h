// The lutcore core driver over any ILutcoreTile (the C++ model, or the Verilated RTL in lockstep).
#pragma once

#include <functional>
#include <memory>

#include "model/arch/hw_config.h"
#include "sim/common/stats.h"
#include "sim/lutcore/i_lutcore_tile.h"
#include "sim/top/core_driver.h"

namespace lowbit {

/// Makes tile instance `tile` with its counters under the given group.
using LutcoreTileFactory = std::function<std::unique_ptr<ILutcoreTile>(int tile, StatGroup&)>;

/// Builds the core's driver with top.tiles instances from `make` (model or RTL).
std::unique_ptr<CoreDriver> make_lutcore_driver(const HwConfig& hw, StatGroup& stats,
                                                const LutcoreTileFactory& make);

}  // namespace lowbit
