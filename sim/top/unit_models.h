// The SystemC side of the unit registry: each unit's core driver built on its cycle-exact models.
#pragma once

#include <memory>
#include <string_view>

#include "model/arch/hw_config.h"
#include "sim/common/stats.h"
#include "sim/top/core_driver.h"

namespace lowbit {

/// Builds a config's core driver (top.tiles instances, counters under `stats`).
using CoreDriverMaker = std::unique_ptr<CoreDriver> (*)(const HwConfig& hw, StatGroup& stats);

/// The driver maker of a registered unit's C++ models, or nullptr when the unit has none.
/// unit_models.cpp is the one list; a new unit adds one line there.
CoreDriverMaker find_model_driver(std::string_view unit);

}  // namespace lowbit
