// The rtl backend's side of the unit registry: each unit's core driver on its Verilated tiles.
#pragma once

#include <string_view>

#include "sim/top/unit_models.h"

namespace lowbit {

/// The driver maker of a unit's Verilated RTL (in lockstep with its C++ model), or nullptr when
/// the unit has no RTL in the plugin. rtl_units.cpp is the one list; a new unit adds one line.
CoreDriverMaker find_rtl_driver(std::string_view unit);

}  // namespace lowbit
