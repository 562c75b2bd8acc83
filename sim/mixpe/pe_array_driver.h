// The PE-array core driver (mixpe, mac) over any IPeArray (the C++ model, or the Verilated RTL in
// lockstep).
#pragma once

#include <functional>
#include <memory>

#include "model/arch/hw_config.h"
#include "sim/common/stats.h"
#include "sim/mixpe/i_pe_array.h"
#include "sim/top/core_driver.h"

namespace lowbit {

/// Makes array instance `tile` with its counters under the given group.
using PeArrayFactory = std::function<std::unique_ptr<IPeArray>(int tile, StatGroup&)>;

/// Builds the core's driver with top.tiles instances from `make` (model or RTL).
std::unique_ptr<CoreDriver> make_pe_array_driver(const HwConfig& hw, StatGroup& stats,
                                                 const PeArrayFactory& make);

}  // namespace lowbit
